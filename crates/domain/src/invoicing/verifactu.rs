//! VERI*FACTU's invoicing records (Royal Decree 1007/2023, Order HAC/1177/2024):
//! every invoice issued makes a registration record (`RegistroAlta`), an invoice
//! issued by mistake an annulment record (`RegistroAnulacion`). Each record carries
//! its footprint (`Huella`): the SHA-256, in upper-case hex, of its fields in AEAT's
//! fixed order and format, the previous record's footprint among them, so that the
//! company's records form one chain in which nothing can be changed unseen.

use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate};
use sha2::{Digest, Sha256};

use crate::invoicing::InvoiceType;
use crate::money::Money;

/// A record's footprint: 64 upper-case hexadecimal digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Footprint(String);

impl Footprint {
    /// Reads a stored footprint: 64 upper-case hex digits.
    pub fn parse(text: &str) -> Option<Footprint> {
        (text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'A'..=b'F')))
            .then(|| Footprint(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Footprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The invoice a record is about, as AEAT identifies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceId {
    /// The issuer's NIF.
    pub issuer: String,
    /// `NumSerieFactura`.
    pub number: String,
    pub issued_on: NaiveDate,
}

/// What a record registers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordKind {
    /// An invoice issued (`RegistroAlta`).
    Registration {
        invoice_type: InvoiceType,
        /// Spanish VAT of the invoice (`CuotaTotal`; 0.00 for a distance sale).
        vat_total: Money,
        /// What the invoice comes to (`ImporteTotal`).
        total: Money,
        /// A new record fixing wrong data in an earlier one (`Subsanacion` = `S`).
        correction: bool,
    },
    /// An invoice issued by mistake (`RegistroAnulacion`); its number stays used.
    Annulment,
}

/// One record of the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub invoice: InvoiceId,
    pub kind: RecordKind,
    /// The footprint of the company's previous record; none for the first.
    pub previous: Option<Footprint>,
    /// When it was made, on Spain's clock (`FechaHoraHusoGenRegistro`).
    pub generated_at: DateTime<FixedOffset>,
}

/// `dd-mm-yyyy`, as VERI*FACTU writes dates.
pub fn date(day: NaiveDate) -> String {
    day.format("%d-%m-%Y").to_string()
}

impl Record {
    /// The record's fields as they enter its footprint, in AEAT's order: what
    /// `comptoir invoices records` writes, and what anyone recomputes the chain from.
    pub fn fields(&self) -> Vec<(&'static str, String)> {
        let previous = self
            .previous
            .as_ref()
            .map(|footprint| footprint.0.clone())
            .unwrap_or_default();
        let generated_at = self.generated_at.to_rfc3339();
        let (number, issued_on) = (self.invoice.number.clone(), date(self.invoice.issued_on));
        match &self.kind {
            RecordKind::Registration {
                invoice_type,
                vat_total,
                total,
                ..
            } => vec![
                ("IDEmisorFactura", self.invoice.issuer.clone()),
                ("NumSerieFactura", number),
                ("FechaExpedicionFactura", issued_on),
                ("TipoFactura", invoice_type.code().to_owned()),
                ("CuotaTotal", vat_total.decimal()),
                ("ImporteTotal", total.decimal()),
                ("Huella", previous),
                ("FechaHoraHusoGenRegistro", generated_at),
            ],
            RecordKind::Annulment => vec![
                ("IDEmisorFacturaAnulada", self.invoice.issuer.clone()),
                ("NumSerieFacturaAnulada", number),
                ("FechaExpedicionFacturaAnulada", issued_on),
                ("Huella", previous),
                ("FechaHoraHusoGenRegistro", generated_at),
            ],
        }
    }

    /// The text hashed: `name=value` pairs joined by `&`, values trimmed.
    pub fn footprint_text(&self) -> String {
        self.fields()
            .iter()
            .map(|(name, value)| format!("{name}={}", value.trim()))
            .collect::<Vec<_>>()
            .join("&")
    }

    pub fn footprint(&self) -> Footprint {
        let digest = Sha256::digest(self.footprint_text().as_bytes());
        Footprint(hex_upper(&digest))
    }

    /// `Alta` or `Anulacion`.
    pub fn record_type(&self) -> &'static str {
        match self.kind {
            RecordKind::Registration { .. } => "Alta",
            RecordKind::Annulment => "Anulacion",
        }
    }

    /// The record as one flat object of strings, formatted as they enter the
    /// footprint: `TipoRegistro`, the invoice's fields, `Subsanacion` for a
    /// registration, `HuellaAnterior` (the previous footprint), the time and `Huella`.
    pub fn export_fields(&self) -> Vec<(&'static str, String)> {
        let mut fields = vec![("TipoRegistro", self.record_type().to_owned())];
        for (name, value) in self.fields() {
            match name {
                "Huella" => fields.push(("HuellaAnterior", value)),
                "FechaHoraHusoGenRegistro" => {
                    if let RecordKind::Registration { correction, .. } = self.kind {
                        fields.push(("Subsanacion", if correction { "S" } else { "N" }.into()));
                    }
                    fields.push((name, value));
                }
                _ => fields.push((name, value)),
            }
        }
        fields.push(("Huella", self.footprint().0));
        fields
    }
}

fn hex_upper(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02X}")).collect()
}

/// Whether `records`, in chain order, chain: each names the footprint of the one
/// before (the first none). The first record that does not, by its position.
pub fn broken_link(records: &[Record]) -> Option<usize> {
    let mut previous: Option<Footprint> = None;
    for (at, record) in records.iter().enumerate() {
        if record.previous != previous {
            return Some(at);
        }
        previous = Some(record.footprint());
    }
    None
}

/// Which of AEAT's hosts a QR code sends the shopper to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AeatHost {
    Test,
    Production,
}

impl AeatHost {
    fn base(self) -> &'static str {
        match self {
            AeatHost::Test => "https://prewww2.aeat.es",
            AeatHost::Production => "https://www2.agenciatributaria.gob.es",
        }
    }
}

/// Where records go (`VERIFACTU_ENDPOINT`): nowhere yet (`off`: made and queued,
/// as in the demo), or AEAT's test or production service. QR codes point at the
/// test host until records go to production.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Endpoint {
    #[default]
    Off,
    Test,
    Production,
}

impl Endpoint {
    pub fn parse(text: &str) -> Result<Endpoint, String> {
        match text.trim() {
            "off" => Ok(Endpoint::Off),
            "test" => Ok(Endpoint::Test),
            "production" => Ok(Endpoint::Production),
            other => Err(format!("'{other}' is not one of off, test or production")),
        }
    }

    /// AEAT's service that takes records; none when records are not sent.
    pub fn service_url(self) -> Option<&'static str> {
        match self {
            Endpoint::Off => None,
            Endpoint::Test => {
                Some("https://prewww1.aeat.es/wlpl/TIKE-CONT/ws/SistemaFacturacion/VerifactuSOAP")
            }
            Endpoint::Production => Some(
                "https://www1.agenciatributaria.gob.es/wlpl/TIKE-CONT/ws/SistemaFacturacion/VerifactuSOAP",
            ),
        }
    }

    /// The host invoices' QR codes send customers to.
    pub fn qr_host(self) -> AeatHost {
        match self {
            Endpoint::Off | Endpoint::Test => AeatHost::Test,
            Endpoint::Production => AeatHost::Production,
        }
    }
}

/// The URL an invoice's QR code carries: AEAT's page that checks the invoice was
/// registered, with the issuer's NIF, the number, the date and the total.
pub fn verification_url(host: AeatHost, invoice: &InvoiceId, total: Money) -> String {
    format!(
        "{}/wlpl/TIKE-CONT/ValidarQR?nif={}&numserie={}&fecha={}&importe={}",
        host.base(),
        url_encoded(&invoice.issuer),
        url_encoded(&invoice.number),
        url_encoded(&date(invoice.issued_on)),
        url_encoded(&total.decimal())
    )
}

/// Percent-encodes all but RFC 3986's unreserved characters.
fn url_encoded(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(text).unwrap()
    }

    fn invoice(number: &str) -> InvoiceId {
        InvoiceId {
            issuer: "89890001K".to_owned(),
            number: number.to_owned(),
            issued_on: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
        }
    }

    /// AEAT's published example of a first registration record's footprint.
    #[test]
    fn the_published_example_gives_the_published_footprint() {
        let record = Record {
            invoice: invoice("12345678/G33"),
            kind: RecordKind::Registration {
                invoice_type: InvoiceType::F1,
                vat_total: Money::eur(1235),
                total: Money::eur(12_345),
                correction: false,
            },
            previous: None,
            generated_at: at("2024-01-01T19:20:30+01:00"),
        };
        assert_eq!(
            record.footprint_text(),
            "IDEmisorFactura=89890001K&NumSerieFactura=12345678/G33&FechaExpedicionFactura=01-01-2024\
             &TipoFactura=F1&CuotaTotal=12.35&ImporteTotal=123.45&Huella=\
             &FechaHoraHusoGenRegistro=2024-01-01T19:20:30+01:00"
        );
        assert_eq!(
            record.footprint().as_str(),
            "3C464DAF61ACB827C65FDA19F352A4E3BDC2C640E9E9FC4CC058073F38F12F60"
        );
    }

    #[test]
    fn records_chain_and_a_changed_one_breaks_the_chain() {
        let first = Record {
            invoice: invoice("F2-2024-000001"),
            kind: RecordKind::Registration {
                invoice_type: InvoiceType::F2,
                vat_total: Money::eur(434),
                total: Money::eur(2499),
                correction: false,
            },
            previous: None,
            generated_at: at("2024-01-01T10:00:00+01:00"),
        };
        let annulment = Record {
            invoice: invoice("F2-2024-000001"),
            kind: RecordKind::Annulment,
            previous: Some(first.footprint()),
            generated_at: at("2024-01-01T10:05:00+01:00"),
        };
        assert_eq!(
            annulment.footprint_text(),
            format!(
                "IDEmisorFacturaAnulada=89890001K&NumSerieFacturaAnulada=F2-2024-000001\
                 &FechaExpedicionFacturaAnulada=01-01-2024&Huella={}\
                 &FechaHoraHusoGenRegistro=2024-01-01T10:05:00+01:00",
                first.footprint()
            )
        );
        let chain = [first.clone(), annulment.clone()];
        assert_eq!(broken_link(&chain), None);
        let mut altered = first;
        altered.kind = RecordKind::Registration {
            invoice_type: InvoiceType::F2,
            vat_total: Money::eur(434),
            total: Money::eur(249),
            correction: false,
        };
        assert_eq!(broken_link(&[altered, annulment]), Some(1));
    }

    #[test]
    fn the_export_names_each_field_as_the_issue_of_a_record_does() {
        let record = Record {
            invoice: invoice("R5-2024-000001"),
            kind: RecordKind::Registration {
                invoice_type: InvoiceType::R5,
                vat_total: Money::eur(-434),
                total: Money::eur(-2499),
                correction: true,
            },
            previous: Footprint::parse(&"A".repeat(64)),
            generated_at: at("2027-01-04T10:15:02+01:00"),
        };
        let names: Vec<&str> = record.export_fields().iter().map(|(n, _)| *n).collect();
        assert_eq!(
            names,
            [
                "TipoRegistro",
                "IDEmisorFactura",
                "NumSerieFactura",
                "FechaExpedicionFactura",
                "TipoFactura",
                "CuotaTotal",
                "ImporteTotal",
                "HuellaAnterior",
                "Subsanacion",
                "FechaHoraHusoGenRegistro",
                "Huella"
            ]
        );
        let fields = record.export_fields();
        assert_eq!(fields[5].1, "-4.34", "a rectification by difference");
        assert_eq!(fields[8].1, "S");
        assert_eq!(fields[9].1, "2027-01-04T10:15:02+01:00");
    }

    #[test]
    fn the_qr_code_carries_aeats_verification_url() {
        assert_eq!(
            verification_url(AeatHost::Test, &invoice("12345679/G34"), Money::eur(24_140)),
            "https://prewww2.aeat.es/wlpl/TIKE-CONT/ValidarQR?nif=89890001K\
             &numserie=12345679%2FG34&fecha=01-01-2024&importe=241.40"
        );
        assert!(
            verification_url(AeatHost::Production, &invoice("F1 2024"), Money::eur(1))
                .starts_with("https://www2.agenciatributaria.gob.es/wlpl/TIKE-CONT/ValidarQR?nif=89890001K&numserie=F1%202024&")
        );
        assert_eq!(Endpoint::parse("production"), Ok(Endpoint::Production));
        assert_eq!(
            Endpoint::parse("off").map(Endpoint::qr_host),
            Ok(AeatHost::Test)
        );
        assert!(
            Endpoint::parse("prod")
                .unwrap_err()
                .contains("off, test or production")
        );
        assert_eq!(Footprint::parse("abc"), None);
        assert_eq!(Footprint::parse(&"a".repeat(64)), None, "upper-case only");
    }
}
