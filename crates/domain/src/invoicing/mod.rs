//! Invoices as Spain's law has the company issue them, whatever the site: types and
//! gapless numbers ([`number`]), the document ([`invoice`]) and its corrections
//! ([`rectifying`]), how each sale is taxed and so which invoice it
//! takes ([`treatment`]), and VERI*FACTU's chained records of every invoice
//! ([`verifactu`]); the accountant's periods ([`period`]) and VAT figures
//! ([`vat_summary`]), and the statement of intra-community supplies
//! ([`recapitulative`], modelo 349).

pub mod invoice;
pub mod number;
pub mod period;
pub mod recapitulative;
pub mod rectifying;
pub mod treatment;
pub mod vat_summary;
pub mod verifactu;

pub use invoice::{Invoice, InvoiceLine, Party, SAMPLE_ISSUER_TAX_ID};
pub use number::{InvoiceNumber, InvoiceType};
pub use treatment::{InvoiceTypeError, SIMPLIFIED_LIMIT, Treatment, invoice_type};
