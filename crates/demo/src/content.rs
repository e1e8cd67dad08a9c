//! The sample content a new shop starts from: the legal pages each country requires
//! (in `content/{site}/`, every one marked as a sample to be reviewed), a shipping
//! notice per site, and a seller identity that is plainly not a real company.

use chrono::{DateTime, TimeZone, Utc};
use comptoir_domain::content::{
    BlockSlot, Content, ContentBlock, ContentPage, ContentRole, SellerIdentity,
};
use comptoir_domain::{PageMeta, SiteCode};

/// (site, URL key, title, role, body) of each sample page, in footer order per site.
const PAGES: &[(SiteCode, &str, &str, Option<ContentRole>, &str)] = &[
    (
        SiteCode::Es,
        "aviso-legal",
        "Aviso legal",
        Some(ContentRole::LegalNotice),
        include_str!("../content/es/aviso-legal.md"),
    ),
    (
        SiteCode::Es,
        "condiciones-generales",
        "Condiciones generales de contratación",
        Some(ContentRole::Terms),
        include_str!("../content/es/condiciones-generales.md"),
    ),
    (
        SiteCode::Es,
        "politica-de-privacidad",
        "Política de privacidad",
        Some(ContentRole::Privacy),
        include_str!("../content/es/politica-de-privacidad.md"),
    ),
    (
        SiteCode::Es,
        "politica-de-cookies",
        "Política de cookies",
        Some(ContentRole::Cookies),
        include_str!("../content/es/politica-de-cookies.md"),
    ),
    (
        SiteCode::Es,
        "devoluciones-y-desistimiento",
        "Devoluciones y desistimiento",
        Some(ContentRole::Withdrawal),
        include_str!("../content/es/devoluciones-y-desistimiento.md"),
    ),
    (
        SiteCode::Fr,
        "mentions-legales",
        "Mentions légales",
        Some(ContentRole::LegalNotice),
        include_str!("../content/fr/mentions-legales.md"),
    ),
    (
        SiteCode::Fr,
        "conditions-generales-de-vente",
        "Conditions générales de vente",
        Some(ContentRole::Terms),
        include_str!("../content/fr/conditions-generales-de-vente.md"),
    ),
    (
        SiteCode::Fr,
        "donnees-personnelles",
        "Données personnelles",
        Some(ContentRole::Privacy),
        include_str!("../content/fr/donnees-personnelles.md"),
    ),
    (
        SiteCode::Fr,
        "cookies",
        "Cookies",
        Some(ContentRole::Cookies),
        include_str!("../content/fr/cookies.md"),
    ),
    (
        SiteCode::Fr,
        "retractation",
        "Droit de rétractation",
        Some(ContentRole::Withdrawal),
        include_str!("../content/fr/retractation.md"),
    ),
    (
        SiteCode::Fr,
        "mediation",
        "Médiateur de la consommation",
        Some(ContentRole::Disputes),
        include_str!("../content/fr/mediation.md"),
    ),
    (
        SiteCode::Pt,
        "termos-e-condicoes",
        "Termos e condições",
        Some(ContentRole::Terms),
        include_str!("../content/pt/termos-e-condicoes.md"),
    ),
    (
        SiteCode::Pt,
        "politica-de-privacidade",
        "Política de privacidade",
        Some(ContentRole::Privacy),
        include_str!("../content/pt/politica-de-privacidade.md"),
    ),
    (
        SiteCode::Pt,
        "politica-de-cookies",
        "Política de cookies",
        Some(ContentRole::Cookies),
        include_str!("../content/pt/politica-de-cookies.md"),
    ),
    (
        SiteCode::Pt,
        "livre-resolucao",
        "Livre resolução e devoluções",
        Some(ContentRole::Withdrawal),
        include_str!("../content/pt/livre-resolucao.md"),
    ),
    (
        SiteCode::Pt,
        "resolucao-alternativa-de-litigios",
        "Resolução alternativa de litígios",
        Some(ContentRole::Disputes),
        include_str!("../content/pt/resolucao-alternativa-de-litigios.md"),
    ),
    (
        SiteCode::It,
        "note-legali",
        "Note legali",
        Some(ContentRole::LegalNotice),
        include_str!("../content/it/note-legali.md"),
    ),
    (
        SiteCode::It,
        "condizioni-di-vendita",
        "Condizioni di vendita",
        Some(ContentRole::Terms),
        include_str!("../content/it/condizioni-di-vendita.md"),
    ),
    (
        SiteCode::It,
        "privacy",
        "Informativa sulla privacy",
        Some(ContentRole::Privacy),
        include_str!("../content/it/privacy.md"),
    ),
    (
        SiteCode::It,
        "cookie",
        "Cookie",
        Some(ContentRole::Cookies),
        include_str!("../content/it/cookie.md"),
    ),
    (
        SiteCode::It,
        "recesso",
        "Diritto di recesso",
        Some(ContentRole::Withdrawal),
        include_str!("../content/it/recesso.md"),
    ),
];

/// The shipping notice above every page's header.
fn notice(site: SiteCode) -> &'static str {
    match site {
        SiteCode::Es => "Envío gratis desde 49 € · Entrega en 2–4 días laborables",
        SiteCode::Fr => "Livraison offerte dès 59 € · Livrée sous 2 à 4 jours ouvrés",
        SiteCode::Pt => "Envio grátis a partir de 49 € · Entrega em 2–4 dias úteis",
        SiteCode::It => "Spedizione gratuita da 59 € · Consegna in 2–4 giorni lavorativi",
    }
}

/// A seller identity that no one could take for a real company's.
fn identity(site: SiteCode) -> SellerIdentity {
    let (tax_id, registry, dispute_body, director) = match site {
        SiteCode::Es => (
            "B00000000 (ejemplo)",
            "Registro Mercantil de Ejemplo, tomo 0, folio 0, hoja E-0000",
            "Junta Arbitral de Consumo (ejemplo: indique la entidad a la que está adherida la tienda)",
            "",
        ),
        SiteCode::Fr => (
            "FR00000000000 (exemple)",
            "RCS Exemple 000 000 000, capital de 3 000 €",
            "Médiateur d'exemple : indiquez le nom, l'adresse et le site du médiateur auquel la boutique adhère",
            "Camille Exemple",
        ),
        SiteCode::Pt => (
            "PT000000000 (exemplo)",
            "Conservatória do Registo Comercial de Exemplo, n.º 000000000",
            "Centro de Arbitragem de Conflitos de Consumo (exemplo: indique a entidade competente)",
            "",
        ),
        SiteCode::It => (
            "IT00000000000 (esempio)",
            "REA Esempio 000000, capitale sociale 3.000 €",
            "Organismo ADR di esempio: indicare l'organismo scelto dal negozio",
            "",
        ),
    };
    SellerIdentity {
        company_name: "Comptoir Demo, S.L.".to_owned(),
        tax_id: tax_id.to_owned(),
        address: "Calle de Ejemplo 1, 28000 Madrid, España".to_owned(),
        registry: registry.to_owned(),
        email: "tienda@example.com".to_owned(),
        phone: "+34 900 000 000".to_owned(),
        host:
            "Alojamiento de Ejemplo S.A., Calle de Ejemplo 2, 28000 Madrid, España, +34 900 000 001"
                .to_owned(),
        publication_director: director.to_owned(),
        dispute_body: dispute_body.to_owned(),
    }
}

/// When the samples were written.
fn written_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 3, 0, 0, 0)
        .single()
        .expect("a valid date")
}

/// The sample content of a new shop.
pub fn sample() -> Content {
    let mut positions = [0; 4];
    let pages = PAGES
        .iter()
        .map(|&(site, url_key, title, role, body)| {
            positions[site.index()] += 10;
            ContentPage {
                id: 0,
                site,
                url_key: url_key.to_owned(),
                title: title.to_owned(),
                body: body.to_owned(),
                meta: PageMeta::default(),
                active: true,
                footer_position: Some(positions[site.index()]),
                role,
                version: 0,
                updated_at: written_at(),
                old_keys: Vec::new(),
            }
        })
        .collect();
    Content {
        pages,
        blocks: SiteCode::ALL
            .into_iter()
            .map(|site| ContentBlock {
                site,
                slot: BlockSlot::SiteNotice,
                body: notice(site).to_owned(),
                active: true,
                version: 0,
                updated_at: written_at(),
            })
            .collect(),
        identities: SiteCode::ALL.map(identity),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use comptoir_domain::content::ContentKey;

    #[test]
    fn every_site_has_terms_privacy_cookies_and_withdrawal_under_valid_keys() {
        let content = sample();
        for site in SiteCode::ALL {
            for role in [
                ContentRole::Terms,
                ContentRole::Privacy,
                ContentRole::Cookies,
                ContentRole::Withdrawal,
            ] {
                let count = content
                    .pages
                    .iter()
                    .filter(|page| page.site == site && page.role == Some(role))
                    .count();
                assert_eq!(count, 1, "{site:?} {role:?}");
            }
        }
        for page in &content.pages {
            assert!(ContentKey::parse(&page.url_key).is_ok(), "{}", page.url_key);
            assert!(
                page.body.starts_with("> **"),
                "{} is marked a sample",
                page.url_key
            );
        }
    }

    #[test]
    fn no_page_links_the_closed_eu_dispute_platform() {
        for page in sample().pages {
            assert!(
                !page.body.contains("ec.europa.eu/consumers/odr"),
                "{}",
                page.url_key
            );
        }
    }
}
