//! Layered navigation in URLs: the filter parameters of search and category pages,
//! and the facet links that add or remove one value (real, crawlable URLs).

use comptoir_domain::{AgeGroup, CategoryId, Gender, Locale, Money};
use comptoir_search::{FacetCount, FacetCounts, Filters, PriceRange};

use crate::HttpError;
use crate::i18n::Texts;
use crate::snapshot::{CategoryIndex, Snapshot};

/// Parameters of a listing URL: the query, sort, page and filters, in the order a
/// canonical URL writes them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListingParams {
    pub query: String,
    pub sort: Option<String>,
    pub page: Option<String>,
    pub filters: Filters,
}

/// A known filter parameter with a value the shop has not: the URL names no
/// listing (answered 404, so such URLs never get indexed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the filter '{0}' has no such value")]
pub struct UnknownFilterValue(pub &'static str);

impl From<UnknownFilterValue> for HttpError {
    fn from(_: UnknownFilterValue) -> HttpError {
        HttpError::NotFound
    }
}

/// Filter parameter names.
const CATEGORY: &str = "cat";
const SIZE: &str = "size";
const COLOUR: &str = "colour";
const THEME: &str = "theme";
const GENDER: &str = "gender";
const AGE: &str = "age";
const PRICE: &str = "price";
const STOCK: &str = "stock";

impl ListingParams {
    /// Reads a query string. Unknown parameters (`utm_source`, `gclid`…) are
    /// ignored; a known filter with a value no product could have names no
    /// listing, and is refused.
    pub fn parse(raw: Option<&str>) -> Result<ListingParams, UnknownFilterValue> {
        let mut params = ListingParams::default();
        for (key, value) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            let push = |list: &mut Vec<String>| {
                if !list.iter().any(|v| v == value) && list.len() < 20 {
                    list.push(value.to_owned());
                }
            };
            let filters = &mut params.filters;
            match &*key {
                "q" => params.query = value.to_owned(),
                "sort" => params.sort = Some(value.to_owned()),
                "page" => params.page = Some(value.to_owned()),
                CATEGORY => {
                    let id = value
                        .parse::<i64>()
                        .map_err(|_| UnknownFilterValue(CATEGORY))?;
                    if !filters.categories.contains(&id) {
                        filters.categories.push(id);
                    }
                }
                SIZE => push(&mut filters.sizes),
                COLOUR => push(&mut filters.colours),
                THEME => push(&mut filters.themes),
                GENDER => {
                    Gender::parse(value).ok_or(UnknownFilterValue(GENDER))?;
                    push(&mut filters.genders);
                }
                AGE => {
                    AgeGroup::parse(value).ok_or(UnknownFilterValue(AGE))?;
                    push(&mut filters.age_groups);
                }
                PRICE => {
                    let range = PriceRange::parse(value).ok_or(UnknownFilterValue(PRICE))?;
                    if !filters.prices.contains(&range) {
                        filters.prices.push(range);
                    }
                }
                STOCK if value == "1" => filters.in_stock = true,
                STOCK => return Err(UnknownFilterValue(STOCK)),
                _ => {}
            }
        }
        Ok(params)
    }

    /// Checks the filters' values against the catalogue: categories that exist,
    /// sizes, colours and themes that are options of the shop.
    pub fn check_values(&self, snapshot: &Snapshot) -> Result<(), UnknownFilterValue> {
        let f = &self.filters;
        if f.categories
            .iter()
            .any(|id| snapshot.category_by_id(CategoryId(*id)).is_none())
        {
            return Err(UnknownFilterValue(CATEGORY));
        }
        for (attribute, name, values) in [
            ("size", SIZE, &f.sizes),
            ("colour", COLOUR, &f.colours),
            ("theme", THEME, &f.themes),
        ] {
            if !values
                .iter()
                .all(|code| snapshot.has_option(attribute, code))
            {
                return Err(UnknownFilterValue(name));
            }
        }
        Ok(())
    }

    /// The search words alone, for suggestions, whatever else the URL carries.
    pub fn query_of(raw: Option<&str>) -> String {
        form_urlencoded::parse(raw.unwrap_or("").as_bytes())
            .find(|(key, _)| key == "q")
            .map(|(_, value)| value.trim().to_owned())
            .unwrap_or_default()
    }

    /// The query string of these parameters (without `?`), page 1 and default sort
    /// left out.
    pub fn to_query(&self) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        if !self.query.is_empty() {
            query.append_pair("q", &self.query);
        }
        let f = &self.filters;
        for id in &f.categories {
            query.append_pair(CATEGORY, &id.to_string());
        }
        for (name, values) in [
            (SIZE, &f.sizes),
            (COLOUR, &f.colours),
            (THEME, &f.themes),
            (GENDER, &f.genders),
            (AGE, &f.age_groups),
        ] {
            for value in values {
                query.append_pair(name, value);
            }
        }
        for range in &f.prices {
            query.append_pair(PRICE, range.code());
        }
        if f.in_stock {
            query.append_pair(STOCK, "1");
        }
        if let Some(sort) = &self.sort {
            query.append_pair("sort", sort);
        }
        if let Some(page) = self.page.as_deref().filter(|p| *p != "1") {
            query.append_pair("page", page);
        }
        query.finish()
    }

    /// `base` with these parameters.
    pub fn url(&self, base: &str) -> String {
        match self.to_query() {
            query if query.is_empty() => base.to_owned(),
            query => format!("{base}?{query}"),
        }
    }

    /// The requested sort, read by `parse`: `default` when absent, a bad request
    /// when unknown.
    pub fn sort_or<T>(
        &self,
        default: T,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Result<T, HttpError> {
        match self.sort.as_deref() {
            None => Ok(default),
            Some(code) => parse(code).ok_or(HttpError::BadRequest("unknown sort")),
        }
    }

    /// The requested page, 1 when absent; anything but a positive number is a bad
    /// request.
    pub fn page_number(&self) -> Result<u32, HttpError> {
        match self.page.as_deref() {
            None => Ok(1),
            Some(text) => text
                .parse::<u32>()
                .ok()
                .filter(|n| *n >= 1)
                .ok_or(HttpError::BadRequest("bad page number")),
        }
    }

    /// The same listing with `page` (1 = none).
    pub fn with_page(&self, page: usize) -> ListingParams {
        ListingParams {
            page: (page > 1).then(|| page.to_string()),
            ..self.clone()
        }
    }
}

/// The filter panel beside a listing.
#[derive(askama::Template)]
#[template(path = "facets.html")]
struct FacetPanel<'a> {
    t: &'static Texts,
    facets: &'a [FacetView],
    clear_filters: Option<&'a str>,
    /// Filters in force, counted on the phone's filter button.
    active_filters: usize,
}

/// Renders the filter panel (HTML, escaped by the template).
pub fn render_panel(
    locale: Locale,
    facets: &[FacetView],
    clear_filters: Option<&str>,
) -> Result<String, askama::Error> {
    let active_filters = facets
        .iter()
        .flat_map(|facet| &facet.links)
        .filter(|link| link.active)
        .count();
    askama::Template::render(&FacetPanel {
        t: Texts::of(locale),
        facets,
        clear_filters,
        active_filters,
    })
}

/// One value of a facet, as a link that toggles it.
pub struct FacetLink {
    pub label: String,
    pub count: u64,
    pub url: String,
    pub active: bool,
}

/// A facet and its values.
pub struct FacetView {
    pub title: &'static str,
    pub links: Vec<FacetLink>,
}

/// Builds facet links on `base` for `params` from `counts`. Category counts are shown
/// for `categories` only (the children of a category page, or departments and their
/// sections on the search page).
pub fn facet_views(
    base: &str,
    params: &ListingParams,
    counts: &FacetCounts,
    snapshot: &Snapshot,
    locale: Locale,
    categories: &[CategoryIndex],
) -> Vec<FacetView> {
    let t = Texts::of(locale);
    let link = |label: String, count: u64, active: bool, toggle: &dyn Fn(&mut Filters)| {
        let mut next = ListingParams {
            page: None,
            ..params.clone()
        };
        toggle(&mut next.filters);
        FacetLink {
            label,
            count,
            url: next.url(base),
            active,
        }
    };
    let toggle = |list: &mut Vec<String>, value: &str| match list.iter().position(|v| v == value) {
        Some(at) => {
            list.remove(at);
        }
        None => list.push(value.to_owned()),
    };
    let strings = |counts: &[FacetCount<String>],
                   selected: &[String],
                   label: &dyn Fn(&str) -> String,
                   pick: fn(&mut Filters) -> &mut Vec<String>| {
        counts
            .iter()
            .map(|c| {
                let active = selected.contains(&c.value);
                link(label(&c.value), c.count, active, &|f: &mut Filters| {
                    toggle(pick(f), &c.value);
                })
            })
            .collect::<Vec<_>>()
    };
    let f = &params.filters;
    let mut views = Vec::new();
    let category_links: Vec<FacetLink> = categories
        .iter()
        .filter_map(|&index| {
            let id = snapshot.category(index).category.id.0;
            let count = counts.categories.iter().find(|c| c.value == id)?.count;
            let active = f.categories.contains(&id);
            let node = snapshot.category(index);
            // A section listed beside its department says which one it belongs to.
            let name = match node.parent.filter(|parent| categories.contains(parent)) {
                Some(parent) => format!(
                    "{} › {}",
                    snapshot.category(parent).category.names[locale],
                    node.category.names[locale]
                ),
                None => node.category.names[locale].clone(),
            };
            Some(link(name, count, active, &|f: &mut Filters| match f
                .categories
                .iter()
                .position(|c| *c == id)
            {
                Some(at) => {
                    f.categories.remove(at);
                }
                None => f.categories.push(id),
            }))
        })
        .collect();
    views.push(FacetView {
        title: t.categories,
        links: category_links,
    });
    let option = |attribute: &'static str| {
        move |code: &str| snapshot.option_label(attribute, code, locale).to_owned()
    };
    let mut sizes = counts.sizes.clone();
    sizes.sort_by_key(|c| snapshot.option_position("size", &c.value));
    views.push(FacetView {
        title: t.size,
        links: strings(&sizes, &f.sizes, &option("size"), |f| &mut f.sizes),
    });
    let by_label = |mut links: Vec<FacetLink>| {
        links.sort_by_key(|link| comptoir_domain::slug::slugify(&link.label));
        links
    };
    views.push(FacetView {
        title: t.colour,
        links: by_label(strings(
            &counts.colours,
            &f.colours,
            &option("colour"),
            |f| &mut f.colours,
        )),
    });
    views.push(FacetView {
        title: t.theme,
        links: by_label(strings(&counts.themes, &f.themes, &option("theme"), |f| {
            &mut f.themes
        })),
    });
    let gender_label =
        |code: &str| Gender::parse(code).map_or(code.to_owned(), |g| t.gender_label(g).to_owned());
    views.push(FacetView {
        title: t.gender,
        links: strings(&counts.genders, &f.genders, &gender_label, |f| {
            &mut f.genders
        }),
    });
    let age_label = |code: &str| {
        AgeGroup::parse(code).map_or(code.to_owned(), |a| t.age_group_label(a).to_owned())
    };
    views.push(FacetView {
        title: t.age_group,
        links: strings(&counts.age_groups, &f.age_groups, &age_label, |f| {
            &mut f.age_groups
        }),
    });
    let price_links = counts
        .prices
        .iter()
        .map(|c| {
            let range = c.value;
            let euros = |amount: u32| {
                Money::eur(i64::from(amount) * 100)
                    .format(locale)
                    .replace(",00", "")
            };
            let label = match range.bounds() {
                (0, Some(to)) => format!("{} {}", t.price_under, euros(to)),
                (from, Some(to)) => format!("{} – {}", euros(from), euros(to)),
                (from, None) => format!("{} {}", t.price_over, euros(from)),
            };
            link(
                label,
                c.count,
                f.prices.contains(&range),
                &|f: &mut Filters| match f.prices.iter().position(|p| *p == range) {
                    Some(at) => {
                        f.prices.remove(at);
                    }
                    None => f.prices.push(range),
                },
            )
        })
        .collect();
    views.push(FacetView {
        title: t.price,
        links: price_links,
    });
    views.push(FacetView {
        title: t.availability,
        links: vec![link(
            t.in_stock_only.to_owned(),
            counts.in_stock,
            f.in_stock,
            &|f: &mut Filters| f.in_stock = !f.in_stock,
        )],
    });
    views.retain(|view| !view.links.is_empty());
    views
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_writes_canonical_queries() {
        let params = ListingParams::parse(Some(
            "size=M&q=bruja+negra&colour=black&size=M&price=10-20&cat=7&stock=1&page=1&utm_source=x&gclid=y",
        ))
        .unwrap();
        assert_eq!(params.query, "bruja negra");
        assert_eq!(params.filters.sizes, ["M"]);
        assert_eq!(params.filters.prices, [PriceRange::From10To20]);
        assert_eq!(params.filters.categories, [7]);
        assert!(params.filters.in_stock);
        assert_eq!(
            params.to_query(),
            "q=bruja+negra&cat=7&size=M&colour=black&price=10-20&stock=1"
        );
        assert_eq!(
            params.with_page(3).url("/x"),
            "/x?q=bruja+negra&cat=7&size=M&colour=black&price=10-20&stock=1&page=3"
        );
        assert_eq!(
            ListingParams::parse(Some("%FF=%FE&q=%C3")).unwrap().query,
            "\u{fffd}"
        );
    }

    #[test]
    fn a_filter_value_that_cannot_be_is_refused() {
        for (query, filter) in [
            ("cat=x", CATEGORY),
            ("price=nope", PRICE),
            ("price=10-25", PRICE),
            ("stock=0", STOCK),
            ("gender=martian", GENDER),
            ("age=old", AGE),
        ] {
            assert_eq!(
                ListingParams::parse(Some(query)),
                Err(UnknownFilterValue(filter)),
                "{query}"
            );
        }
        assert!(ListingParams::parse(Some("gender=women&age=kid&stock=&price=")).is_ok());
    }

    #[test]
    fn suggestions_read_the_words_alone() {
        assert_eq!(ListingParams::query_of(Some("size=ZZZ&q=+bru+")), "bru");
        assert_eq!(ListingParams::query_of(None), "");
    }
}
