//! The periods an accountant declares: a year, a quarter (the one-stop shop's and
//! the quarterly VAT return's) or a month, as dates on Madrid's calendar.

use chrono::{Datelike, NaiveDate};

/// A run of whole days, first and last included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

/// A calendar quarter: `2027-Q1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Quarter {
    pub year: i32,
    /// 1 to 4.
    pub number: u32,
}

impl Quarter {
    pub fn of(day: NaiveDate) -> Quarter {
        Quarter {
            year: day.year(),
            number: day.month0() / 3 + 1,
        }
    }

    pub fn period(self) -> Period {
        let first_month = (self.number - 1) * 3 + 1;
        Period::months(self.year, first_month, first_month + 2)
            .expect("a quarter's months are months")
    }

    pub fn text(self) -> String {
        format!("{}-Q{}", self.year, self.number)
    }
}

impl Period {
    /// `2027` (a year), `2027-Q1` (a quarter) or `2027-03` (a month).
    pub fn parse(text: &str) -> Option<Period> {
        let text = text.trim();
        let (year, rest) = match text.split_once('-') {
            Some((year, rest)) => (year, Some(rest)),
            None => (text, None),
        };
        if year.len() != 4 {
            return None;
        }
        let year: i32 = year.parse().ok()?;
        match rest {
            None => Period::months(year, 1, 12),
            Some(quarter) if quarter.starts_with(['Q', 'q']) => {
                let number: u32 = quarter[1..].parse().ok()?;
                (1..=4)
                    .contains(&number)
                    .then(|| Quarter { year, number }.period())
            }
            Some(month) if month.len() == 2 => {
                let month: u32 = month.parse().ok()?;
                Period::months(year, month, month)
            }
            Some(_) => None,
        }
    }

    /// From the first day of `first_month` to the last of `last_month`.
    fn months(year: i32, first_month: u32, last_month: u32) -> Option<Period> {
        let first = NaiveDate::from_ymd_opt(year, first_month, 1)?;
        let after = if last_month == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)?
        } else {
            NaiveDate::from_ymd_opt(year, last_month + 1, 1)?
        };
        Some(Period {
            first,
            last: after.pred_opt()?,
        })
    }

    pub fn contains(self, day: NaiveDate) -> bool {
        self.first <= day && day <= self.last
    }

    /// `2027-01-01_2027-03-31`, for file names.
    pub fn text(self) -> String {
        format!("{}_{}", self.first, self.last)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn years_quarters_and_months_parse_to_their_days() {
        assert_eq!(
            Period::parse("2027-Q1"),
            Some(Period {
                first: day(2027, 1, 1),
                last: day(2027, 3, 31)
            })
        );
        assert_eq!(Period::parse("2027-q4").unwrap().last, day(2027, 12, 31));
        assert_eq!(Period::parse("2028-02").unwrap().last, day(2028, 2, 29));
        assert_eq!(
            Period::parse(" 2027 "),
            Some(Period {
                first: day(2027, 1, 1),
                last: day(2027, 12, 31)
            })
        );
        for wrong in [
            "", "27-Q1", "2027-Q5", "2027-Q0", "2027-13", "2027-3", "2027-W1", "abcd",
        ] {
            assert_eq!(Period::parse(wrong), None, "{wrong}");
        }
    }

    #[test]
    fn a_day_belongs_to_its_quarter() {
        assert_eq!(Quarter::of(day(2027, 3, 31)).text(), "2027-Q1");
        assert_eq!(Quarter::of(day(2027, 4, 1)).text(), "2027-Q2");
        assert!(Quarter::of(day(2026, 12, 31)) < Quarter::of(day(2027, 1, 1)));
        let second = Quarter::of(day(2027, 5, 9)).period();
        assert!(second.contains(day(2027, 6, 30)) && !second.contains(day(2027, 7, 1)));
    }
}
