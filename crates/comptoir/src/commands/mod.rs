//! Each command of the `comptoir` binary in its own file.

pub(crate) mod catalogue;
pub(crate) mod import;
pub(crate) mod invoices;
pub(crate) mod load;
pub(crate) mod magento;
pub(crate) mod probe;
pub(crate) mod promotions;
pub(crate) mod serve;
pub(crate) mod staff;
