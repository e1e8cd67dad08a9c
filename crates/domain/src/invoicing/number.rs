//! Invoice types and numbers: one gapless series per invoice type and calendar
//! year for the whole company (`F2-2027-000001`), as Spain's invoicing regulation
//! (RD 1619/2012 art. 6.1.a) and VERI*FACTU's `NumSerieFactura` want them.

use std::fmt;

/// The invoice types VERI*FACTU knows that Comptoir issues.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum InvoiceType {
    /// A full invoice (art. 6 RD 1619/2012).
    F1,
    /// A simplified invoice (art. 7), up to 3 000 € VAT included.
    F2,
    /// A full invoice issued in place of simplified ones, on the customer's request.
    F3,
    /// Rectifying a full invoice for a refund, return or cancellation (art. 80.Dos
    /// of the VAT law).
    R1,
    /// Rectifying for any other reason.
    R4,
    /// Rectifying a simplified invoice.
    R5,
}

impl InvoiceType {
    pub const ALL: [InvoiceType; 6] = [
        InvoiceType::F1,
        InvoiceType::F2,
        InvoiceType::F3,
        InvoiceType::R1,
        InvoiceType::R4,
        InvoiceType::R5,
    ];

    /// VERI*FACTU's code (`TipoFactura`), also the series' prefix.
    pub fn code(self) -> &'static str {
        match self {
            InvoiceType::F1 => "F1",
            InvoiceType::F2 => "F2",
            InvoiceType::F3 => "F3",
            InvoiceType::R1 => "R1",
            InvoiceType::R4 => "R4",
            InvoiceType::R5 => "R5",
        }
    }

    pub fn parse(code: &str) -> Option<InvoiceType> {
        InvoiceType::ALL
            .into_iter()
            .find(|kind| kind.code() == code)
    }

    /// Whether it corrects another invoice.
    pub fn is_rectifying(self) -> bool {
        matches!(self, InvoiceType::R1 | InvoiceType::R4 | InvoiceType::R5)
    }

    /// The rectifying type that corrects this one: `R5` for a simplified invoice,
    /// `R1` for a full one when goods are refunded, returned or cancelled (art.
    /// 80.Dos), `R4` for any other correction of it.
    pub fn rectified_by(self, refund: bool) -> InvoiceType {
        match self {
            InvoiceType::F2 => InvoiceType::R5,
            _ if refund => InvoiceType::R1,
            _ => InvoiceType::R4,
        }
    }
}

impl fmt::Display for InvoiceType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// An invoice's number in its series: its type, its year and its place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InvoiceNumber {
    pub kind: InvoiceType,
    pub year: i32,
    /// From 1, without gaps, in the series of `kind` and `year`.
    pub sequence: u32,
}

impl InvoiceNumber {
    /// `F2-2027-000123`: sorts as it was issued within its series.
    pub fn text(self) -> String {
        format!("{}-{}-{:06}", self.kind.code(), self.year, self.sequence)
    }

    /// Reads [`InvoiceNumber::text`]'s form.
    pub fn parse(text: &str) -> Option<InvoiceNumber> {
        let mut parts = text.trim().split('-');
        let kind = InvoiceType::parse(parts.next()?)?;
        let year = parts.next()?;
        let sequence = parts.next()?;
        let digits = |part: &str, width: usize| {
            part.len() >= width && part.bytes().all(|b| b.is_ascii_digit())
        };
        if parts.next().is_some() || !digits(year, 4) || year.len() != 4 || !digits(sequence, 6) {
            return None;
        }
        Some(InvoiceNumber {
            kind,
            year: year.parse().ok()?,
            sequence: sequence.parse().ok().filter(|n| *n > 0)?,
        })
    }
}

impl fmt::Display for InvoiceNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_back_as_written() {
        let number = InvoiceNumber {
            kind: InvoiceType::F2,
            year: 2027,
            sequence: 123,
        };
        assert_eq!(number.text(), "F2-2027-000123");
        assert_eq!(InvoiceNumber::parse("F2-2027-000123"), Some(number));
        let millionth = InvoiceNumber {
            sequence: 1_234_567,
            ..number
        };
        assert_eq!(
            InvoiceNumber::parse(&millionth.text()),
            Some(millionth),
            "a series may outgrow six digits"
        );
        for bad in [
            "",
            "F9-2027-000001",
            "F2-27-000001",
            "F2-2027-1",
            "F2-2027-000000",
            "F2-2027-000001-2",
            "F2-2027-00000x",
        ] {
            assert_eq!(InvoiceNumber::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn each_invoice_is_rectified_by_its_type() {
        assert_eq!(InvoiceType::F2.rectified_by(true), InvoiceType::R5);
        assert_eq!(InvoiceType::F2.rectified_by(false), InvoiceType::R5);
        assert_eq!(InvoiceType::F1.rectified_by(true), InvoiceType::R1);
        assert_eq!(InvoiceType::F3.rectified_by(true), InvoiceType::R1);
        assert_eq!(InvoiceType::F1.rectified_by(false), InvoiceType::R4);
        assert!(InvoiceType::R1.is_rectifying() && !InvoiceType::F3.is_rectifying());
    }
}
