//! The relevance suite: every case of `relevance.txt`, searched on the demo catalogue.

use std::collections::HashMap;

use chrono::Utc;
use comptoir_domain::SiteCode;
use comptoir_search::{SearchEngine, SearchRequest};

/// Products in the catalogue searched: the hand-written ones among many generated
/// look-alikes ("Disfraz de bruja Luna para mujer"...).
const CATALOGUE_SIZE: usize = 3_000;

struct Case {
    line: usize,
    site: SiteCode,
    query: String,
    first: Option<String>,
    required: Vec<String>,
    forbidden: Vec<String>,
}

fn cases() -> Vec<Case> {
    let skus = |list: &str| -> Vec<String> {
        list.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    };
    include_str!("relevance.txt")
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|(i, line)| {
            let columns: Vec<&str> = line.split('|').map(str::trim).collect();
            assert_eq!(columns.len(), 4, "relevance.txt:{}: four columns", i + 1);
            let mut required = skus(columns[2]);
            let first = required
                .iter_mut()
                .find_map(|sku| sku.strip_prefix('=').map(str::to_owned));
            for sku in &mut required {
                *sku = sku.trim_start_matches('=').to_owned();
            }
            assert!(
                !columns[2].is_empty() && !columns[3].is_empty(),
                "relevance.txt:{}: name products that must and must not be found",
                i + 1
            );
            Case {
                line: i + 1,
                site: SiteCode::parse(columns[0]).expect("a site code"),
                query: columns[1].to_owned(),
                first,
                required,
                forbidden: skus(columns[3]),
            }
        })
        .collect()
}

#[test]
fn relevance_cases_pass() {
    let catalogue = comptoir_demo::generate(CATALOGUE_SIZE);
    let engine = SearchEngine::open(None).unwrap();
    engine
        .rebuild(&catalogue, 1, Utc::now(), &|_, _| {})
        .unwrap();
    let sku_of: HashMap<i64, String> = catalogue
        .products
        .iter()
        .map(|p| (p.id.0, p.sku.to_string()))
        .collect();

    let cases = cases();
    assert!(
        cases.len() >= 40,
        "at least 40 cases, {} found",
        cases.len()
    );
    for site in SiteCode::ALL {
        assert!(
            cases.iter().filter(|c| c.site == site).count() >= 8,
            "{site}: at least 8 cases"
        );
    }
    let mut failures = Vec::new();
    for case in &cases {
        let request = SearchRequest {
            query: case.query.clone(),
            per_page: 5,
            ..SearchRequest::default()
        };
        let results = engine.search(case.site, &request).unwrap();
        let top: Vec<&str> = results
            .products
            .iter()
            .map(|id| sku_of[id].as_str())
            .collect();
        let mut problems = Vec::new();
        if let Some(first) = &case.first
            && top.first() != Some(&first.as_str())
        {
            problems.push(format!("{first} is not first"));
        }
        for sku in &case.required {
            if !top.contains(&sku.as_str()) {
                problems.push(format!("{sku} is missing"));
            }
        }
        for sku in &case.forbidden {
            if top.contains(&sku.as_str()) {
                problems.push(format!("{sku} should not be there"));
            }
        }
        if !problems.is_empty() {
            failures.push(format!(
                "relevance.txt:{} [{}] {:?}: {} — top 5: {:?}",
                case.line,
                case.site,
                case.query,
                problems.join(", "),
                top
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
