//! The size guide (at a translated path: `/guia-de-tallas`, `/guide-des-tailles`,
//! `/guia-de-tamanhos`, `/guida-alle-taglie`): the body measurements behind each size
//! the shop sells, linked from the page of every product sold in sizes.

use askama::Template;
use axum::Router;
use axum::response::Html;
use axum::routing::get;
use comptoir_domain::{Locale, SiteCode};

use super::seo::Seo;
use super::views::{self, Layout};
use crate::extract::Shop;
use crate::i18n::Texts;
use crate::{AppState, HttpError};

pub fn router() -> Router<AppState> {
    let mut router = Router::new();
    for locale in Locale::ALL {
        router = router.route(
            &format!("/{}", Texts::of(locale).size_guide_path),
            get(size_guide),
        );
    }
    router
}

/// Adult sizes: chest, waist and hips, in centimetres.
const ADULT: [(&str, &str, &str, &str); 6] = [
    ("XS", "80–84", "62–66", "86–90"),
    ("S", "86–90", "68–72", "92–96"),
    ("M", "92–96", "74–78", "98–102"),
    ("L", "98–102", "80–84", "104–108"),
    ("XL", "104–110", "86–92", "110–116"),
    ("XXL", "112–118", "94–100", "118–124"),
];

/// Children's and babies' sizes: height, in centimetres.
const YOUNG: [(&str, &str); 6] = [
    ("6-12M", "68–80"),
    ("12-24M", "80–92"),
    ("3-4", "98–104"),
    ("5-6", "110–116"),
    ("7-9", "122–134"),
    ("10-12", "140–152"),
];

#[derive(Template)]
#[template(path = "size_guide.html")]
struct SizeGuidePage<'a> {
    layout: Layout<'a>,
    /// (size as the catalogue names it, chest, waist, hips).
    adults: Vec<(&'a str, &'static str, &'static str, &'static str)>,
    /// (size, height).
    young: Vec<(&'a str, &'static str)>,
}

async fn size_guide(shop: Shop) -> Result<Html<String>, HttpError> {
    let (t, locale) = (shop.t(), shop.locale());
    let label = |code| shop.snapshot.option_label("size", code, locale);
    let mut layout = Layout::new(
        &shop,
        t.size_guide.to_owned(),
        Some(shop.url(t.size_guide_path)),
    );
    layout.seo = Some(Seo::new(&shop, t.size_guide_intro, SiteCode::ALL, |site| {
        let path = Texts::of(site.locale()).size_guide_path;
        shop.state.sites.base(site).join(path)
    }));
    let page = SizeGuidePage {
        layout,
        adults: ADULT
            .iter()
            .map(|&(size, chest, waist, hips)| (label(size), chest, waist, hips))
            .collect(),
        young: YOUNG
            .iter()
            .map(|&(size, height)| (label(size), height))
            .collect(),
    };
    Ok(Html(views::render_page(&page)?))
}
