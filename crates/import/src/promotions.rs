//! Promotions as a CSV file, for campaigns prepared in a spreadsheet and for moving
//! rules between shops. The first columns are fixed ([`COLUMNS`]); richer conditions
//! and actions follow ([`MORE_COLUMNS`]). Amounts are in euros with a dot, sites
//! separated by `|`, times ISO 8601: without an offset, on each site's clock (as
//! rules run); with one, converted to Madrid's. An empty cell is "not set", and
//! unlimited for `uses_*`. A file is read whole: any wrong row is reported with its
//! line and column, and an import then writes nothing.

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use comptoir_domain::destination::Country;
use comptoir_domain::local_time::TimeZone;
use comptoir_domain::promotions::{
    Action, Audience, Conditions, CouponCode, Discount, Percent, ProductFilter, Rule, Target,
    Trigger, UseLimits,
};
use comptoir_domain::{CategoryId, Currency, Money, PerLocale, SiteCode, Sku};

use crate::spreadsheet::{neutralised, restored};
use crate::{ColumnIndex, FileError, ReadOutcome, RowError, csv_reader, header, read_rows};

/// The columns every promotions file starts with, in this order.
pub const COLUMNS: [&str; 11] = [
    "name",
    "sites",
    "code",
    "percent_off",
    "amount_off",
    "free_shipping",
    "min_subtotal",
    "starts_at",
    "ends_at",
    "uses_total",
    "uses_per_customer",
];

/// The columns that may follow: names in the other languages (`name` is the
/// Spanish one), who, which lines, other actions.
pub const MORE_COLUMNS: [&str; 19] = [
    "name_fr",
    "name_pt",
    "name_it",
    "audience",
    "priority",
    "stop_further",
    "target",
    "fixed_price",
    "take",
    "pay",
    "max_discount",
    "min_quantity",
    "categories",
    "themes",
    "skus",
    "attributes",
    "countries",
    "generated_codes",
    "enabled",
];

/// Reads a promotions file: a rule per row, each checked as staff's rules are.
pub fn read(input: impl std::io::Read) -> Result<ReadOutcome<Vec<Rule>>, FileError> {
    // Rows may stop before the last columns: what they leave out is not set.
    let mut reader = csv_reader(input, true);
    let required: Vec<String> = COLUMNS.iter().map(|c| (*c).to_owned()).collect();
    let header = header(&mut reader, &required)?;
    let columns = ColumnIndex::new(&header);
    let mut notes = Vec::new();
    for unknown in header
        .iter()
        .filter(|name| !COLUMNS.contains(&name.as_str()) && !MORE_COLUMNS.contains(&name.as_str()))
    {
        notes.push(RowError {
            line: 1,
            message: format!("column {unknown}: not a promotion's column, left out"),
        });
    }
    let mut rules = Vec::new();
    let mut rejected = Vec::new();
    read_rows(
        &mut reader,
        &mut rejected,
        |line, fields, errors| match parse_rule(&|name| restored(columns.field(fields, name))) {
            Ok(rule) => rules.push(rule),
            Err(message) => errors.push(RowError { line, message }),
        },
    )?;
    Ok(ReadOutcome {
        records: rules,
        rejected,
        notes,
    })
}

/// A rule from its cells by column name (a file's row, or the back office's form,
/// which names its fields as the columns), or what is wrong, naming the column.
pub fn parse_rule<'c>(cell: &dyn Fn(&str) -> &'c str) -> Result<Rule, String> {
    let wrong = |name: &str, why: &str| format!("{name}: {why}");
    let money = |name: &str| -> Result<Option<Money>, String> {
        let text = cell(name);
        if text.is_empty() {
            return Ok(None);
        }
        Money::parse(text, Currency::Eur)
            .map(Some)
            .map_err(|_| wrong(name, &format!("'{text}' is not an amount in euros (12.50)")))
    };
    let count = |name: &str| -> Result<Option<u32>, String> {
        let text = cell(name);
        if text.is_empty() {
            return Ok(None);
        }
        text.parse()
            .map(Some)
            .map_err(|_| wrong(name, &format!("'{text}' is not a whole number")))
    };
    let flag = |name: &str, default: bool| -> Result<bool, String> {
        match cell(name).to_ascii_lowercase().as_str() {
            "" => Ok(default),
            "yes" | "true" | "1" => Ok(true),
            "no" | "false" | "0" => Ok(false),
            other => Err(wrong(name, &format!("'{other}' is not yes or no"))),
        }
    };
    let list = |name: &str| -> Vec<String> {
        cell(name)
            .split('|')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let time = |name: &str| -> Result<Option<NaiveDateTime>, String> {
        let text = cell(name);
        if text.is_empty() {
            return Ok(None);
        }
        wall_clock(text).map(Some).ok_or_else(|| {
            wrong(
                name,
                &format!("'{text}' is not an ISO 8601 time (2026-10-31T00:00)"),
            )
        })
    };

    let sites = list("sites")
        .iter()
        .map(|code| {
            SiteCode::parse(code)
                .map_err(|_| wrong("sites", &format!("'{code}' is not a site (es, fr, pt, it)")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let percent = match cell("percent_off") {
        "" => None,
        text => Some(Percent::parse(text).ok_or_else(|| {
            wrong(
                "percent_off",
                &format!("'{text}' is not a percentage above 0 and at most 100"),
            )
        })?),
    };
    let take_pay = match (count("take")?, count("pay")?) {
        (None, None) => None,
        (Some(take), Some(pay)) => Some(Discount::TakePay { take, pay }),
        _ => return Err(wrong("take", "give both take and pay (3 and 2 for 3 × 2)")),
    };
    let discounts: Vec<Discount> = [
        percent.map(Discount::PercentOff),
        money("amount_off")?.map(Discount::AmountOff),
        money("fixed_price")?.map(Discount::FixedPrice),
        take_pay,
    ]
    .into_iter()
    .flatten()
    .collect();
    if discounts.len() > 1 {
        return Err(wrong(
            "percent_off",
            "give one of percent_off, amount_off, fixed_price, take and pay",
        ));
    }
    let code = match cell("code") {
        "" => None,
        text => Some(CouponCode::for_rule(text).map_err(|e| wrong("code", &e.to_string()))?),
    };
    let trigger = match (code, flag("generated_codes", false)?) {
        (Some(_), true) => {
            return Err(wrong(
                "generated_codes",
                "a rule has a shared code or generated ones, not both",
            ));
        }
        (Some(code), false) => Trigger::SharedCode(code),
        (None, true) => Trigger::GeneratedCodes,
        (None, false) => Trigger::Automatic,
    };
    let audience = match cell("audience") {
        "" => Audience::Everyone,
        text => Audience::parse(text).ok_or_else(|| wrong("audience", "everyone or customers"))?,
    };
    let target = match cell("target") {
        "" | "matching_lines" => Target::MatchingLines,
        "whole_cart" => Target::WholeCart,
        _ => return Err(wrong("target", "matching_lines or whole_cart")),
    };
    let priority = match cell("priority") {
        "" => 0,
        text => text
            .parse()
            .map_err(|_| wrong("priority", &format!("'{text}' is not a whole number")))?,
    };
    let products = ProductFilter {
        categories: list("categories")
            .iter()
            .map(|id| {
                id.parse()
                    .map(CategoryId)
                    .map_err(|_| wrong("categories", &format!("'{id}' is not a category id")))
            })
            .collect::<Result<_, _>>()?,
        themes: list("themes"),
        skus: list("skus")
            .iter()
            .map(|sku| Sku::parse(sku).map_err(|e| wrong("skus", &format!("'{sku}': {e}"))))
            .collect::<Result<_, _>>()?,
        attributes: list("attributes")
            .iter()
            .map(|pair| {
                pair.split_once('=')
                    .map(|(code, value)| (code.trim().to_owned(), value.trim().to_owned()))
                    .ok_or_else(|| wrong("attributes", &format!("'{pair}' is not code=value")))
            })
            .collect::<Result<_, _>>()?,
    };
    let countries = list("countries")
        .iter()
        .map(|code| Country::parse(code).map_err(|e| wrong("countries", &e.to_string())))
        .collect::<Result<_, _>>()?;
    let rule = Rule {
        id: 0,
        names: PerLocale([
            cell("name").to_owned(),
            cell("name_fr").to_owned(),
            cell("name_pt").to_owned(),
            cell("name_it").to_owned(),
        ]),
        sites,
        starts_at: time("starts_at")?,
        ends_at: time("ends_at")?,
        audience,
        priority,
        stop_further: flag("stop_further", false)?,
        conditions: Conditions {
            min_subtotal: money("min_subtotal")?,
            min_quantity: count("min_quantity")?,
            products,
            countries,
        },
        action: Action {
            discount: discounts.into_iter().next(),
            target,
            free_shipping: flag("free_shipping", false)?,
        },
        max_discount: money("max_discount")?,
        trigger,
        limits: UseLimits {
            uses_total: count("uses_total")?,
            uses_per_customer: count("uses_per_customer")?,
        },
        enabled: flag("enabled", true)?,
    };
    rule.check().map_err(|e| e.to_string())?;
    Ok(rule)
}

/// A time as the file gives it: with an offset, on Madrid's clock; without one, as
/// written (each site's clock); a date alone is its midnight.
fn wall_clock(text: &str) -> Option<NaiveDateTime> {
    if let Ok(instant) = DateTime::parse_from_rfc3339(text) {
        return Some(
            TimeZone::CentralEuropean
                .local(instant.to_utc())
                .naive_local(),
        );
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(time) = NaiveDateTime::parse_from_str(text, format) {
            return Some(time);
        }
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|date| date.and_hms_opt(0, 0, 0))
}

/// Writes `rules` as a promotions file that [`read`] reads back the same.
pub fn write(rules: &[Rule], out: impl std::io::Write) -> csv::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(COLUMNS.iter().chain(MORE_COLUMNS.iter()))?;
    for rule in rules {
        writer.write_record(row(rule))?;
    }
    writer.flush()?;
    Ok(())
}

/// A rule's cells, in [`COLUMNS`] then [`MORE_COLUMNS`] order.
fn row(rule: &Rule) -> Vec<String> {
    let text = |value: &str| neutralised(value).into_owned();
    let amount = |money: Option<Money>| money.map(Money::decimal).unwrap_or_default();
    let number = |value: Option<u32>| value.map(|v| v.to_string()).unwrap_or_default();
    let yes = |value: bool| if value { "yes" } else { "no" }.to_owned();
    let time = |value: Option<NaiveDateTime>| {
        value
            .map(|t| t.format("%Y-%m-%dT%H:%M:%S").to_string())
            .unwrap_or_default()
    };
    let joined = |items: Vec<String>| text(&items.join("|"));
    let discount = rule.action.discount;
    let (take, pay) = match discount {
        Some(Discount::TakePay { take, pay }) => (Some(take), Some(pay)),
        _ => (None, None),
    };
    let products = &rule.conditions.products;
    vec![
        text(&rule.names.0[0]),
        rule.sites
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("|"),
        match &rule.trigger {
            Trigger::SharedCode(code) => code.to_string(),
            _ => String::new(),
        },
        match discount {
            Some(Discount::PercentOff(percent)) => percent.decimal(),
            _ => String::new(),
        },
        amount(match discount {
            Some(Discount::AmountOff(money)) => Some(money),
            _ => None,
        }),
        yes(rule.action.free_shipping),
        amount(rule.conditions.min_subtotal),
        time(rule.starts_at),
        time(rule.ends_at),
        number(rule.limits.uses_total),
        number(rule.limits.uses_per_customer),
        text(&rule.names.0[1]),
        text(&rule.names.0[2]),
        text(&rule.names.0[3]),
        rule.audience.as_str().to_owned(),
        rule.priority.to_string(),
        yes(rule.stop_further),
        match rule.action.target {
            Target::MatchingLines => "matching_lines",
            Target::WholeCart => "whole_cart",
        }
        .to_owned(),
        amount(match discount {
            Some(Discount::FixedPrice(money)) => Some(money),
            _ => None,
        }),
        number(take),
        number(pay),
        amount(rule.max_discount),
        number(rule.conditions.min_quantity),
        joined(
            products
                .categories
                .iter()
                .map(|c| c.0.to_string())
                .collect(),
        ),
        joined(products.themes.clone()),
        joined(
            products
                .skus
                .iter()
                .map(|s| s.as_str().to_owned())
                .collect(),
        ),
        joined(
            products
                .attributes
                .iter()
                .map(|(c, v)| format!("{c}={v}"))
                .collect(),
        ),
        joined(
            rule.conditions
                .countries
                .iter()
                .map(|c| c.code().to_owned())
                .collect(),
        ),
        yes(rule.trigger == Trigger::GeneratedCodes),
        yes(rule.enabled),
    ]
}

/// A batch's codes as a one-column file (`code`).
pub fn write_codes(codes: &[CouponCode], out: impl std::io::Write) -> csv::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(["code"])?;
    for code in codes {
        writer.write_record([code.as_str()])?;
    }
    writer.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "name,sites,code,percent_off,amount_off,free_shipping,min_subtotal,starts_at,ends_at,uses_total,uses_per_customer";

    fn read_text(text: &str) -> ReadOutcome<Vec<Rule>> {
        read(text.as_bytes()).unwrap()
    }

    #[test]
    fn the_documented_columns_make_a_rule() {
        let file = format!(
            "{HEADER}\n\
             Halloween 20 %,es|pt,BRUJA20,20,,no,39.00,2026-10-31,2026-11-02T23:59,100,1\n\
             Envío gratis,fr,,,,yes,39,,,,\n"
        );
        let outcome = read_text(&file);
        assert_eq!(outcome.rejected, []);
        let [halloween, shipping] = outcome.records.as_slice() else {
            panic!("{:?}", outcome.records);
        };
        assert_eq!(halloween.sites, [SiteCode::Es, SiteCode::Pt]);
        assert_eq!(
            halloween.trigger,
            Trigger::SharedCode(CouponCode::for_rule("BRUJA20").unwrap())
        );
        assert_eq!(
            halloween.action.discount,
            Some(Discount::PercentOff(Percent::parse("20").unwrap()))
        );
        assert_eq!(halloween.conditions.min_subtotal, Some(Money::eur(3_900)));
        assert_eq!(
            halloween.starts_at.unwrap().to_string(),
            "2026-10-31 00:00:00"
        );
        assert_eq!(halloween.limits.uses_per_customer, Some(1));
        assert_eq!(shipping.trigger, Trigger::Automatic);
        assert!(shipping.action.free_shipping && shipping.action.discount.is_none());
        assert_eq!(shipping.limits, UseLimits::default(), "empty: unlimited");
    }

    #[test]
    fn a_time_with_an_offset_is_read_on_madrids_clock() {
        assert_eq!(
            wall_clock("2026-10-30T23:00:00Z").unwrap().to_string(),
            "2026-10-31 00:00:00"
        );
        assert_eq!(
            wall_clock("2026-07-01T10:00:00+00:00").unwrap().to_string(),
            "2026-07-01 12:00:00",
            "summer time"
        );
        assert_eq!(wall_clock("31/10/2026"), None);
    }

    #[test]
    fn every_wrong_cell_is_named_and_nothing_is_kept_of_its_row() {
        let rows = [
            ("Mal,es,,150,,,,,,,", "percent_off: '150'"),
            ("Mal,es,,-5,,,,,,,", "percent_off: '-5'"),
            ("Mal,es,,,-5,,,,,,", "amount_off: '-5'"),
            ("Mal,es,,10,5,,,,,,", "give one of"),
            ("Mal,de,,10,,,,,,,", "sites: 'de'"),
            (",es,,10,,,,,,,", "name:"),
            ("Mal,es,A B,10,,,,,,,", "code: a code holds only"),
            (
                "Mal,es,,10,,,,2026-11-02,2026-10-31,,",
                "ends_at: the end is before the start",
            ),
            ("Mal,es,,10,,maybe,,,,,", "free_shipping: 'maybe'"),
            ("Mal,es,,10,,,,mañana,,,", "starts_at: 'mañana'"),
            ("Mal,es,,10,,,,,,5,", "uses: limits count uses of a code"),
            ("Mal,es,,,,,,,,,", "the rule gives nothing"),
        ];
        for (row, says) in rows {
            let outcome = read_text(&format!("{HEADER}\n{row}\n"));
            assert!(outcome.records.is_empty(), "{row}");
            assert_eq!(outcome.rejected.len(), 1, "{row}");
            assert_eq!(outcome.rejected[0].line, 2);
            assert!(
                outcome.rejected[0].message.contains(says),
                "{row}: {}",
                outcome.rejected[0].message
            );
        }
        let long = format!("{HEADER}\nMal,es,{},10,,,,,,,\n", "A".repeat(10_000));
        assert!(read_text(&long).rejected[0].message.contains("at most 32"));
        assert!(matches!(
            read("name,sites\nx,es\n".as_bytes()),
            Err(FileError::MissingColumns(_))
        ));
    }

    #[test]
    fn an_export_reads_back_the_same() {
        let file = format!(
            "{HEADER},name_fr,priority,stop_further,target,take,pay,categories,skus,attributes,countries,audience,max_discount,min_quantity,enabled\n\
             =Pelucas 3x2,es|fr|pt|it,,,,no,,2026-02-01T00:00:00,,,,=Perruques 3x2,-2,yes,matching_lines,3,2,4|9,PEL-AFRO,gender=women,ES|PT,customers,20.00,3,no\n\
             Código,es,HOLA10,,10.00,yes,50,,,10,2\n"
        );
        let first = read_text(&file);
        assert_eq!(first.rejected, []);
        assert_eq!(first.records[0].names.0[0], "=Pelucas 3x2");
        let mut written = Vec::new();
        write(&first.records, &mut written).unwrap();
        let text = String::from_utf8(written).unwrap();
        assert!(
            text.contains("'=Pelucas 3x2"),
            "formulas neutralised: {text}"
        );
        let again = read_text(&text);
        assert_eq!(again.rejected, []);
        assert_eq!(again.records, first.records);
    }
}
