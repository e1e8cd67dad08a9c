//! How a sale is taxed, and so which invoice it takes and how VERI*FACTU
//! describes it. The company is Spanish: a sale delivered in Spain's VAT territory
//! is taxed in Spain; one to a consumer elsewhere in the EU is a distance sale taxed
//! in the destination country under the one-stop shop; one to a business with a
//! confirmed VAT number elsewhere in the EU is an exempt intra-community supply; one
//! to the Canaries, Ceuta or Melilla is an exempt export.

use crate::destination::{Country, TaxZone};
use crate::invoicing::InvoiceType;
use crate::money::Money;

/// The most a simplified invoice may carry, VAT included (RD 1619/2012 art. 4.1).
pub const SIMPLIFIED_LIMIT: Money = Money::eur(300_000);

/// How a sale is taxed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Treatment {
    /// Delivered in Spain's VAT territory (the peninsula and the Balearics): Spanish VAT.
    Domestic,
    /// To a consumer in another member state: its VAT, declared in Spain's one-stop
    /// shop (`ClaveRegimen` 17, not subject in Spain: `N2`).
    DistanceSale(Country),
    /// To a business in another member state whose VAT number VIES confirmed:
    /// exempt under art. 25 of the VAT law (`E5`), listed in the modelo 349.
    IntraCommunitySupply(Country),
    /// To the Canaries, Ceuta or Melilla: an export exempt under art. 21 (`E2`,
    /// `ClaveRegimen` 02).
    Export,
}

impl Treatment {
    /// The treatment of a sale delivered to `zone`; `business_abroad` when the buyer
    /// is a business whose VAT number of another member state VIES confirmed.
    pub fn of(zone: TaxZone, business_abroad: bool) -> Treatment {
        match zone {
            TaxZone::Standard(Country::Es) => Treatment::Domestic,
            TaxZone::OutsideEuVat => Treatment::Export,
            TaxZone::Standard(country) if business_abroad => {
                Treatment::IntraCommunitySupply(country)
            }
            TaxZone::Azores | TaxZone::Madeira if business_abroad => {
                Treatment::IntraCommunitySupply(Country::Pt)
            }
            TaxZone::Standard(country) => Treatment::DistanceSale(country),
            TaxZone::Azores | TaxZone::Madeira => Treatment::DistanceSale(Country::Pt),
        }
    }

    /// VERI*FACTU's `ClaveRegimen`.
    pub fn regime_key(self) -> &'static str {
        match self {
            Treatment::Domestic | Treatment::IntraCommunitySupply(_) => "01",
            Treatment::Export => "02",
            Treatment::DistanceSale(_) => "17",
        }
    }

    /// VERI*FACTU's `CalificacionOperacion` for what is not exempt: subject and not
    /// exempt (`S1`), or not subject in Spain (`N2`).
    pub fn qualification(self) -> Option<&'static str> {
        match self {
            Treatment::Domestic => Some("S1"),
            Treatment::DistanceSale(_) => Some("N2"),
            Treatment::IntraCommunitySupply(_) | Treatment::Export => None,
        }
    }

    /// VERI*FACTU's `OperacionExenta`: the article the sale is exempt under.
    pub fn exemption(self) -> Option<&'static str> {
        match self {
            Treatment::IntraCommunitySupply(_) => Some("E5"),
            Treatment::Export => Some("E2"),
            Treatment::Domestic | Treatment::DistanceSale(_) => None,
        }
    }

    /// Whether Spain's VAT is charged: the record's `CuotaTotal` is the invoice's
    /// VAT, else 0.00 (a distance sale's VAT is the destination's).
    pub fn charges_spanish_vat(self) -> bool {
        self == Treatment::Domestic
    }
}

/// Why an invoice cannot be made out as asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InvoiceTypeError {
    #[error("a full invoice needs the customer's NIF or NIE")]
    TaxIdMissing,
}

/// The type of a sale's first invoice: simplified for a sale in Spain up to
/// 3 000 €, unless the customer asked for a full one (which needs their tax id, as
/// one above 3 000 € does); full for every other sale, which must name the buyer.
pub fn invoice_type(
    treatment: Treatment,
    total: Money,
    full_requested: bool,
    has_tax_id: bool,
) -> Result<InvoiceType, InvoiceTypeError> {
    match treatment {
        Treatment::Domestic if !full_requested && total <= SIMPLIFIED_LIMIT => Ok(InvoiceType::F2),
        Treatment::Domestic if !has_tax_id => Err(InvoiceTypeError::TaxIdMissing),
        _ => Ok(InvoiceType::F1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_destination_has_its_treatment() {
        assert_eq!(
            Treatment::of(TaxZone::Standard(Country::Es), false),
            Treatment::Domestic
        );
        assert_eq!(
            Treatment::of(TaxZone::Standard(Country::Es), true),
            Treatment::Domestic,
            "a Spanish business pays Spanish VAT"
        );
        assert_eq!(
            Treatment::of(TaxZone::OutsideEuVat, false),
            Treatment::Export
        );
        assert_eq!(
            Treatment::of(TaxZone::Standard(Country::Fr), false),
            Treatment::DistanceSale(Country::Fr)
        );
        assert_eq!(
            Treatment::of(TaxZone::Madeira, false),
            Treatment::DistanceSale(Country::Pt)
        );
        assert_eq!(
            Treatment::of(TaxZone::Standard(Country::It), true),
            Treatment::IntraCommunitySupply(Country::It)
        );
        let oss = Treatment::DistanceSale(Country::Fr);
        assert_eq!(
            (oss.regime_key(), oss.qualification(), oss.exemption()),
            ("17", Some("N2"), None)
        );
        assert_eq!(
            (
                Treatment::Export.regime_key(),
                Treatment::Export.exemption()
            ),
            ("02", Some("E2"))
        );
        assert_eq!(
            Treatment::IntraCommunitySupply(Country::It).exemption(),
            Some("E5")
        );
        assert!(Treatment::Domestic.charges_spanish_vat() && !oss.charges_spanish_vat());
    }

    #[test]
    fn simplified_invoices_only_for_sales_in_spain_up_to_three_thousand_euros() {
        let at = |cents| Money::eur(cents);
        assert_eq!(
            invoice_type(Treatment::Domestic, at(300_000), false, false),
            Ok(InvoiceType::F2)
        );
        assert_eq!(
            invoice_type(Treatment::Domestic, at(300_001), false, false),
            Err(InvoiceTypeError::TaxIdMissing)
        );
        assert_eq!(
            invoice_type(Treatment::Domestic, at(300_001), false, true),
            Ok(InvoiceType::F1)
        );
        assert_eq!(
            invoice_type(Treatment::Domestic, at(2000), true, true),
            Ok(InvoiceType::F1),
            "asked for"
        );
        assert_eq!(
            invoice_type(Treatment::DistanceSale(Country::Fr), at(2000), false, false),
            Ok(InvoiceType::F1),
            "named by name and address"
        );
        assert_eq!(
            invoice_type(Treatment::Export, at(2000), false, false),
            Ok(InvoiceType::F1)
        );
    }
}
