//! What staff write besides the catalogue: content pages (legal texts, help), blocks
//! placed in named slots of every page, and the seller's identity the legal texts
//! quote.

use chrono::{DateTime, Utc};

use crate::slug::is_url_key;
use crate::{PageMeta, SiteCode};

/// What a content page is for, when the shop relies on it: the checkout links the
/// terms and the privacy policy, the confirmation mail the withdrawal page. A site
/// has at most one page of each role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContentRole {
    /// Who runs the shop (aviso legal, mentions légales, note legali).
    LegalNotice,
    /// The terms of sale, accepted at checkout.
    Terms,
    Privacy,
    Cookies,
    /// Returns and the right of withdrawal.
    Withdrawal,
    /// Out-of-court dispute resolution (médiateur, entidade RAL).
    Disputes,
}

impl ContentRole {
    pub const ALL: [ContentRole; 6] = [
        ContentRole::LegalNotice,
        ContentRole::Terms,
        ContentRole::Privacy,
        ContentRole::Cookies,
        ContentRole::Withdrawal,
        ContentRole::Disputes,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ContentRole::LegalNotice => "legal_notice",
            ContentRole::Terms => "terms",
            ContentRole::Privacy => "privacy",
            ContentRole::Cookies => "cookies",
            ContentRole::Withdrawal => "withdrawal",
            ContentRole::Disputes => "disputes",
        }
    }

    pub fn parse(code: &str) -> Option<ContentRole> {
        ContentRole::ALL
            .into_iter()
            .find(|role| role.as_str() == code)
    }
}

/// Where a block shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BlockSlot {
    /// A strip above the header of every page (a shipping notice).
    SiteNotice,
    /// Above the featured products of the home page.
    HomeBanner,
}

impl BlockSlot {
    pub const ALL: [BlockSlot; 2] = [BlockSlot::SiteNotice, BlockSlot::HomeBanner];

    pub fn as_str(self) -> &'static str {
        match self {
            BlockSlot::SiteNotice => "site_notice",
            BlockSlot::HomeBanner => "home_banner",
        }
    }

    pub fn parse(code: &str) -> Option<BlockSlot> {
        BlockSlot::ALL
            .into_iter()
            .find(|slot| slot.as_str() == code)
    }
}

/// A page staff write, on one site. The body is Markdown; the storefront renders it
/// without raw HTML, so no script can get in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentPage {
    pub id: i64,
    pub site: SiteCode,
    /// The page's path on its site: `/es/aviso-legal`.
    pub url_key: String,
    pub title: String,
    pub body: String,
    pub meta: PageMeta,
    pub active: bool,
    /// Its place among the footer's links; `None`: not in the footer.
    pub footer_position: Option<i32>,
    pub role: Option<ContentRole>,
    /// Bumped by every save: an edit based on an older version is refused.
    pub version: i64,
    pub updated_at: DateTime<Utc>,
    /// Keys the page had before, which now redirect to it.
    pub old_keys: Vec<String>,
}

/// A snippet staff write for one slot of one site's pages (Markdown, like pages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentBlock {
    pub site: SiteCode,
    pub slot: BlockSlot,
    pub body: String,
    pub active: bool,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
}

/// Who sells on a site, as the law requires it be shown (LSSI art. 10, LCEN art. 6,
/// D.L. 7/2004, D.Lgs. 70/2003): the legal texts quote it through placeholders
/// (`{{company_name}}`), and the footer shows the company and its tax id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SellerIdentity {
    pub company_name: String,
    /// NIF, SIREN/TVA, NIPC, partita IVA: as the site's country knows the seller.
    pub tax_id: String,
    pub address: String,
    /// Registry data (Registro Mercantil, RCS, Conservatória, REA) and share capital.
    pub registry: String,
    pub email: String,
    pub phone: String,
    /// The host of the site (France: required by the LCEN).
    pub host: String,
    /// France: the *directeur de la publication*.
    pub publication_director: String,
    /// The consumer mediator or alternative dispute resolution body.
    pub dispute_body: String,
}

impl SellerIdentity {
    /// The placeholders texts may hold, each with its value.
    pub fn placeholders(&self) -> [(&'static str, &str); 9] {
        [
            ("company_name", &self.company_name),
            ("tax_id", &self.tax_id),
            ("address", &self.address),
            ("registry", &self.registry),
            ("email", &self.email),
            ("phone", &self.phone),
            ("host", &self.host),
            ("publication_director", &self.publication_director),
            ("dispute_body", &self.dispute_body),
        ]
    }
}

/// Everything staff wrote for the storefronts: what a replica loads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Content {
    pub pages: Vec<ContentPage>,
    pub blocks: Vec<ContentBlock>,
    /// Per site, indexed by [`SiteCode::index`].
    pub identities: [SellerIdentity; 4],
}

/// First path segments the storefront's own pages use in some language: a content
/// page cannot take them.
pub const RESERVED_KEYS: &[&str] = &[
    "account",
    "autocomplete",
    "c",
    "cart",
    "checkout",
    "health",
    "order",
    "p",
    "pay",
    "payment",
    "sitemaps",
    "static",
    "test-bank",
    "withdrawal-form",
    "buscar",
    "recherche",
    "pesquisa",
    "cerca",
    "guia-de-tallas",
    "guide-des-tailles",
    "guia-de-tamanhos",
    "guida-alle-taglie",
];

/// Why a URL key cannot name a content page.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContentKeyError {
    #[error("lower-case letters and digits joined by single hyphens")]
    Malformed,
    #[error("a page of the storefront itself uses it")]
    Reserved,
}

/// A content page's URL key: a well-formed key no storefront page uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentKey(String);

impl ContentKey {
    pub fn parse(key: &str) -> Result<ContentKey, ContentKeyError> {
        if !is_url_key(key) {
            return Err(ContentKeyError::Malformed);
        }
        if RESERVED_KEYS.contains(&key) {
            return Err(ContentKeyError::Reserved);
        }
        Ok(ContentKey(key.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_keys_are_slugs_the_shop_does_not_use() {
        assert_eq!(
            ContentKey::parse("aviso-legal").unwrap().as_str(),
            "aviso-legal"
        );
        assert_eq!(ContentKey::parse("cart"), Err(ContentKeyError::Reserved));
        assert_eq!(ContentKey::parse("buscar"), Err(ContentKeyError::Reserved));
        assert_eq!(
            ContentKey::parse("Aviso Legal"),
            Err(ContentKeyError::Malformed)
        );
        assert_eq!(ContentKey::parse(""), Err(ContentKeyError::Malformed));
        assert_eq!(ContentKey::parse("a/b"), Err(ContentKeyError::Malformed));
    }

    #[test]
    fn roles_and_slots_read_back_what_they_write() {
        for role in ContentRole::ALL {
            assert_eq!(ContentRole::parse(role.as_str()), Some(role));
        }
        for slot in BlockSlot::ALL {
            assert_eq!(BlockSlot::parse(slot.as_str()), Some(slot));
        }
        assert_eq!(ContentRole::parse("imprint"), None);
    }
}
