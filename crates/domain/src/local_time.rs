//! The clock a shopper reads: the civil time of the site's country (or of the
//! Canary Islands), under the European Union's summer-time rule. Dates are stored in
//! UTC and shown in local time.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, TimeZone as _, Utc};

use crate::SiteCode;
use crate::destination::Postcode;

/// A time zone of the shop's shoppers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeZone {
    /// Europe/Madrid, Europe/Paris, Europe/Rome: UTC+1, UTC+2 in summer.
    CentralEuropean,
    /// Europe/Lisbon, Atlantic/Canary: UTC, UTC+1 in summer.
    WesternEuropean,
}

impl TimeZone {
    /// The zone of a site's country (mainland Portugal's for the Portuguese site).
    pub fn of_site(site: SiteCode) -> TimeZone {
        match site {
            SiteCode::Pt => TimeZone::WesternEuropean,
            SiteCode::Es | SiteCode::Fr | SiteCode::It => TimeZone::CentralEuropean,
        }
    }

    /// The clock of a Spanish address: the Canary Islands keep Lisbon's, not
    /// Madrid's.
    pub fn of_spanish_postcode(postcode: &Postcode) -> TimeZone {
        if postcode.in_canaries() {
            TimeZone::WesternEuropean
        } else {
            TimeZone::CentralEuropean
        }
    }

    /// `instant` on this zone's clock.
    pub fn local(self, instant: DateTime<Utc>) -> DateTime<FixedOffset> {
        let standard_hours = match self {
            TimeZone::CentralEuropean => 1,
            TimeZone::WesternEuropean => 0,
        };
        let hours = standard_hours + i32::from(is_summer_time(instant));
        let offset = FixedOffset::east_opt(hours * 3600).expect("a whole-hour offset is valid");
        instant.with_timezone(&offset)
    }
}

impl TimeZone {
    /// The instant this zone's clock reads `local` (in the hour the clocks go back,
    /// the first of the two; in the hour they skip, an hour later).
    pub fn instant_of(self, local: chrono::NaiveDateTime) -> DateTime<Utc> {
        let standard_hours = match self {
            TimeZone::CentralEuropean => 1,
            TimeZone::WesternEuropean => 0,
        };
        let summer = Utc.from_utc_datetime(&(local - Duration::hours(standard_hours + 1)));
        if is_summer_time(summer) {
            summer
        } else {
            Utc.from_utc_datetime(&(local - Duration::hours(standard_hours)))
        }
    }
}

/// Whether the EU's summer time is in force: from 01:00 UTC on the last Sunday of
/// March to 01:00 UTC on the last Sunday of October, in every member state at once.
fn is_summer_time(instant: DateTime<Utc>) -> bool {
    let year = instant.year();
    let change = |month| Utc.from_utc_datetime(&(last_sunday(year, month) + Duration::hours(1)));
    change(3) <= instant && instant < change(10)
}

/// Midnight of the last Sunday of `month` (March or October: 31 days).
fn last_sunday(year: i32, month: u32) -> chrono::NaiveDateTime {
    let last = NaiveDate::from_ymd_opt(year, month, 31).expect("March and October have 31 days");
    let back = last.weekday().num_days_from_sunday();
    (last - Duration::days(i64::from(back)))
        .and_hms_opt(0, 0, 0)
        .expect("midnight exists")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn shown(zone: TimeZone, instant: &str) -> String {
        zone.local(utc(instant))
            .format("%d/%m/%Y %H:%M")
            .to_string()
    }

    #[test]
    fn winter_and_summer_on_both_clocks() {
        let madrid = TimeZone::of_site(SiteCode::Es);
        let lisbon = TimeZone::of_site(SiteCode::Pt);
        assert_eq!(shown(madrid, "2026-12-02T23:30:00Z"), "03/12/2026 00:30");
        assert_eq!(shown(lisbon, "2026-12-02T23:30:00Z"), "02/12/2026 23:30");
        assert_eq!(shown(madrid, "2026-07-14T10:00:00Z"), "14/07/2026 12:00");
        assert_eq!(shown(lisbon, "2026-07-14T10:00:00Z"), "14/07/2026 11:00");
    }

    #[test]
    fn the_clocks_change_at_one_in_the_morning_utc_on_the_last_sundays() {
        let paris = TimeZone::of_site(SiteCode::Fr);
        // 2026: 29 March and 25 October.
        assert_eq!(shown(paris, "2026-03-29T00:59:00Z"), "29/03/2026 01:59");
        assert_eq!(shown(paris, "2026-03-29T01:00:00Z"), "29/03/2026 03:00");
        assert_eq!(shown(paris, "2026-10-25T00:59:00Z"), "25/10/2026 02:59");
        assert_eq!(shown(paris, "2026-10-25T01:00:00Z"), "25/10/2026 02:00");
    }

    #[test]
    fn the_canaries_keep_lisbons_clock() {
        let spanish = |code| Postcode::parse(crate::destination::Country::Es, code).unwrap();
        let canary = TimeZone::of_spanish_postcode(&spanish("35001"));
        assert_eq!(canary, TimeZone::WesternEuropean);
        assert_eq!(
            TimeZone::of_spanish_postcode(&spanish("28013")),
            TimeZone::CentralEuropean
        );
        assert_eq!(shown(canary, "2026-12-02T12:00:00Z"), "02/12/2026 12:00");
    }

    #[test]
    fn a_local_time_is_found_back_as_its_instant() {
        let at =
            |text: &str| chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap();
        assert_eq!(
            TimeZone::CentralEuropean.instant_of(at("2026-10-31 00:00")),
            utc("2026-10-30T23:00:00Z")
        );
        assert_eq!(
            TimeZone::CentralEuropean.instant_of(at("2026-07-01 12:00")),
            utc("2026-07-01T10:00:00Z")
        );
        assert_eq!(
            TimeZone::WesternEuropean.instant_of(at("2026-12-24 18:00")),
            utc("2026-12-24T18:00:00Z")
        );
        for instant in [
            "2026-03-29T00:30:00Z",
            "2026-10-25T00:30:00Z",
            "2026-08-15T08:00:00Z",
        ] {
            let zone = TimeZone::CentralEuropean;
            let local = zone.local(utc(instant)).naive_local();
            assert_eq!(zone.instant_of(local), utc(instant), "{instant}");
        }
    }
}
