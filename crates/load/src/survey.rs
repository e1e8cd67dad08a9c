//! What the shop offers, found as a shopper finds it before any load: each site's
//! home page, its menu's categories, their facet links and products, the search
//! box's address, and words to search for (from the products' URLs).

use comptoir_domain::SiteCode;

use crate::visitor::Visitor;

/// Categories opened per site to find products and facets.
const CATEGORIES_OPENED: usize = 8;

/// One site as shoppers will walk it.
#[derive(Debug, Clone)]
pub struct SiteMap {
    pub site: SiteCode,
    pub home: String,
    pub search: String,
    pub categories: Vec<String>,
    /// Category pages narrowed by a facet.
    pub filters: Vec<String>,
    pub products: Vec<String>,
    pub words: Vec<String>,
}

/// Why the target cannot be loaded.
#[derive(Debug, thiserror::Error)]
pub enum SurveyError {
    #[error("{target} does not answer: {cause}")]
    Unreachable { target: String, cause: String },
    #[error("{target} does not look like a Comptoir shop: {what}")]
    NotAShop { target: String, what: String },
}

/// Surveys `sites` of the shop at `base` (`http://127.0.0.1:8080`).
pub async fn survey(
    client: &reqwest::Client,
    base: &str,
    sites: &[SiteCode],
) -> Result<Vec<SiteMap>, SurveyError> {
    let mut maps = Vec::new();
    for site in sites {
        maps.push(survey_site(client, base, *site).await?);
    }
    Ok(maps)
}

async fn survey_site(
    client: &reqwest::Client,
    base: &str,
    site: SiteCode,
) -> Result<SiteMap, SurveyError> {
    let not_a_shop = |what: String| SurveyError::NotAShop {
        target: base.to_owned(),
        what,
    };
    let mut visitor = Visitor::new(client.clone(), base);
    let home = format!("/{site}/");
    let page = visitor
        .get(&home)
        .await
        .map_err(|e| SurveyError::Unreachable {
            target: base.to_owned(),
            cause: e.to_string(),
        })?;
    if page.status != 200 {
        return Err(not_a_shop(format!("GET {home} answered {}", page.status)));
    }
    let search = page
        .form_action("role=\"search\"")
        .ok_or_else(|| not_a_shop(format!("{home} has no search box")))?;
    let category_prefix = format!("/{site}/c/");
    let product_prefix = format!("/{site}/p/");
    let mut categories: Vec<String> = Vec::new();
    for link in page.links() {
        if link.starts_with(&category_prefix) && !link.contains('?') && !categories.contains(&link)
        {
            categories.push(link);
        }
    }
    if categories.is_empty() {
        return Err(not_a_shop(format!("{home} links to no category")));
    }
    let (mut filters, mut products) = (Vec::new(), Vec::new());
    for category in categories.iter().take(CATEGORIES_OPENED) {
        let Ok(page) = visitor.get(category).await else {
            continue;
        };
        for link in page.links() {
            let facet = link.starts_with(&category_prefix)
                && link.contains('?')
                && !link.contains("sort=")
                && !link.contains("page=");
            if facet && !filters.contains(&link) {
                filters.push(link);
            } else if link.starts_with(&product_prefix) && !products.contains(&link) {
                products.push(link);
            }
        }
    }
    if products.is_empty() {
        return Err(not_a_shop(format!(
            "the {site} site's categories list no product"
        )));
    }
    let mut words: Vec<String> = Vec::new();
    for product in &products {
        let key = product.rsplit('/').next().unwrap_or_default();
        for word in key.split('-').filter(|word| word.chars().count() >= 5) {
            if !words.iter().any(|known| known == word) {
                words.push(word.to_owned());
            }
        }
    }
    Ok(SiteMap {
        site,
        home,
        search,
        categories,
        filters,
        products,
        words,
    })
}

/// `word` with one typo: two letters swapped, one dropped or one doubled, as
/// hurried fingers do.
pub fn with_typo(word: &str, rng: &mut fastrand::Rng) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    if chars.len() < 3 {
        return word.to_owned();
    }
    let at = rng.usize(1..chars.len() - 1);
    match rng.u8(0..3) {
        0 => chars.swap(at, at + 1),
        1 => {
            chars.remove(at);
        }
        _ => chars.insert(at, chars[at]),
    }
    chars.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typo_changes_one_place_and_keeps_the_first_letter() {
        let mut rng = fastrand::Rng::with_seed(3);
        for _ in 0..100 {
            let typed = with_typo("bruja", &mut rng);
            assert_ne!(typed, "bruja");
            assert!(typed.starts_with('b'));
            assert!((4..=6).contains(&typed.chars().count()), "{typed}");
        }
        assert_eq!(with_typo("ya", &mut rng), "ya");
    }
}
