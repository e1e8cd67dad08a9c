//! Whole files brought in by staff: customers from the old shop, products matched
//! to the catalogue by SKU (a known SKU updates its product, an unknown one creates
//! it). One transaction per file: it lands entirely or not at all. Each product is
//! logged for the replicas, each import audited.

pub(crate) mod plan;

use async_trait::async_trait;
use comptoir_domain::import::{ImportClash, ImportedCustomer, ProductFile};

use crate::staff::Actor;
use crate::{Progress, Result};

/// What a customer import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CustomerImport {
    pub created: usize,
    /// Left as they are: an account with that e-mail address was there already.
    pub already_there: usize,
}

/// How an import ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProductImportOutcome {
    Done {
        created: usize,
        updated: usize,
        /// Products the file gives exactly as stored: left alone.
        unchanged: usize,
        /// Categories the file named that the catalogue lacked.
        categories_created: usize,
    },
    /// Something the file cannot do to this catalogue (a URL key or a variant SKU
    /// another product has): nothing was written.
    Refused(ImportClash),
}

/// Imports of whole files, each in one transaction: it lands entirely or not at all.
#[async_trait]
pub trait ImportStore: Send + Sync {
    /// Creates the accounts of `customers` with their details and addresses, in one
    /// transaction; an e-mail address that has an account already is left as it is.
    async fn import_customers(
        &self,
        customers: &[ImportedCustomer],
        by: &Actor,
    ) -> Result<CustomerImport>;

    /// Creates the categories an import file adds, then creates or updates (by SKU)
    /// every product of it and keeps its old URLs, in one transaction; each product is logged for the replicas, and the
    /// import audited. `progress` hears how many products are written so far.
    async fn import_products(
        &self,
        file: &ProductFile,
        by: &Actor,
        progress: Progress<'_>,
    ) -> Result<ProductImportOutcome>;
}

/// Writes `impl ImportStore for $store`, a backend's store type.
macro_rules! impl_import_store {
    ($store:ty) => {
        const _: () = {
            use $crate::dialect::Dialect;

            type Db = <$store as Dialect>::Db;

            /// Writes one chunk of an import: its products created or updated by SKU (or
            /// left alone when given as stored), their texts, offers, placements, images,
            /// variants, and every product's old URLs. Returns what it did, or why the
            /// chunk cannot be written.
            async fn write_import_chunk(
                tx: &mut sqlx::Transaction<'static, Db>,
                products: &[$crate::ImportedProduct],
                new_categories: &[comptoir_domain::CategoryId],
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::Result<Result<$crate::imports::plan::ChunkWritten, $crate::ImportClash>> {
                use std::collections::{HashMap, HashSet};

                use $crate::imports::plan::{
                    FactColumns, old_urls, placements_to_remove, positioned, rows_per_statement,
                    unchanged, url_key_clash,
                };
                use comptoir_domain::{AgeGroup, Gender};
                use sqlx::QueryBuilder;

                // Products: a known SKU is updated, an unknown one created.
                let skus: Vec<&str> = products.iter().map(|p| p.sku.as_str()).collect();
                let mut by_sku: HashMap<String, i64> =
                    <$store>::listed("SELECT sku, id FROM products WHERE sku IN (", skus.iter().copied())
                        .build_query_as::<(String, i64)>()
                        .fetch_all(&mut **tx)
                        .await?
                        .into_iter()
                        .collect();
                let (known, new): (Vec<&$crate::ImportedProduct>, Vec<&$crate::ImportedProduct>) =
                    products
                        .iter()
                        .partition(|p| by_sku.contains_key(p.sku.as_str()));
                let created = new.len();
                // Products the file leaves as they are: not written, not logged.
                let known_ids: Vec<i64> = known.iter().map(|p| by_sku[p.sku.as_str()]).collect();
                let stored: HashMap<i64, comptoir_domain::Product> = <$store>::products_in(&mut **tx, &known_ids)
                    .await?
                    .into_iter()
                    .map(|product| (product.id.0, product))
                    .collect();
                let (left, known): (Vec<&$crate::ImportedProduct>, Vec<&$crate::ImportedProduct>) =
                    known.into_iter().partition(|p| {
                        stored
                            .get(&by_sku[p.sku.as_str()])
                            .is_some_and(|stored| unchanged(p, stored, new_categories))
                    });
                // Their facts with them where the file gives them; kept otherwise.
                let (known_with_facts, known_without): (Vec<_>, Vec<_>) =
                    known.iter().copied().partition(|p| p.facts.is_some());
                for (part, with_facts) in known_with_facts
                    .chunks(rows_per_statement(12))
                    .map(|part| (part, true))
                    .chain(known_without.chunks(rows_per_statement(6)).map(|part| (part, false)))
                {
                    let mut query = QueryBuilder::<Db>::new(if with_facts {
                        "WITH v (id, kind, enabled, theme, gender, age_group, brand, made_in, \
                         weight_grams, gtin, new_from, new_until) AS ("
                    } else {
                        "WITH v (id, kind, enabled, theme, gender, age_group) AS ("
                    });
                    query.push_values(part.iter().copied(), |mut row, product| {
                        row.push_bind(by_sku[product.sku.as_str()])
                            .push_bind(product.kind.as_str())
                            .push_bind(product.enabled)
                            .push_bind(product.theme.as_deref())
                            .push_bind(product.gender.map(Gender::as_str))
                            .push_bind(product.age_group.map(AgeGroup::as_str));
                        if with_facts {
                            let facts = FactColumns::of(product.facts.as_ref());
                            row.push_bind(facts.brand)
                                .push_bind(facts.made_in)
                                .push_bind(facts.weight_grams)
                                .push_bind(facts.gtin)
                                .push_bind(facts.new_from)
                                .push_bind(facts.new_until);
                        }
                    });
                    query.push(
                        ") UPDATE products SET kind = v.kind, enabled = v.enabled, theme = v.theme, \
                         gender = v.gender, age_group = v.age_group, version = products.version + 1",
                    );
                    if with_facts {
                        query.push(
                            ", brand = v.brand, made_in = v.made_in, weight_grams = v.weight_grams, \
                             gtin = v.gtin, new_from = v.new_from, new_until = v.new_until",
                        );
                    }
                    query.push(" FROM v WHERE products.id = v.id");
                    query.build().execute(&mut **tx).await?;
                }
                for part in new.chunks(rows_per_statement(14)) {
                    let mut query = QueryBuilder::<Db>::new(
                        "INSERT INTO products \
                         (sku, kind, tax_class, enabled, theme, gender, age_group, created_at, \
                         brand, made_in, weight_grams, gtin, new_from, new_until) ",
                    );
                    query.push_values(part.iter().copied(), |mut row, product| {
                        let facts = FactColumns::of(product.facts.as_ref());
                        row.push_bind(product.sku.as_str())
                            .push_bind(product.kind.as_str())
                            .push_bind("standard")
                            .push_bind(product.enabled)
                            .push_bind(product.theme.as_deref())
                            .push_bind(product.gender.map(Gender::as_str))
                            .push_bind(product.age_group.map(AgeGroup::as_str))
                            .push_bind(now)
                            .push_bind(facts.brand)
                            .push_bind(facts.made_in)
                            .push_bind(facts.weight_grams)
                            .push_bind(facts.gtin)
                            .push_bind(facts.new_from)
                            .push_bind(facts.new_until);
                    });
                    query.push(" RETURNING sku, id");
                    let created: Vec<(String, i64)> =
                        query.build_query_as().fetch_all(&mut **tx).await?;
                    by_sku.extend(created);
                }
                let all_ids: Vec<i64> = skus.iter().map(|sku| by_sku[*sku]).collect();
                let left_alone: HashSet<&str> = left.iter().map(|p| p.sku.as_str()).collect();
                let writing: Vec<&$crate::ImportedProduct> = products
                    .iter()
                    .filter(|p| !left_alone.contains(p.sku.as_str()))
                    .collect();
                let ids: Vec<i64> = writing.iter().map(|p| by_sku[p.sku.as_str()]).collect();

                // Texts, once no URL key is another product's.
                let keys: Vec<&str> = writing
                    .iter()
                    .flat_map(|p| p.url_keys.iter().map(|(_, key)| key.as_str()))
                    .collect();
                let owners: Vec<(i64, String, String)> = <$store>::listed(
                    "SELECT product_id, locale, url_key FROM product_translations WHERE url_key IN (",
                    keys,
                )
                .build_query_as()
                .fetch_all(&mut **tx)
                .await?;
                if let Some(clash) = url_key_clash(&writing, &ids, &owners) {
                    return Ok(Err(clash));
                }
                let texts: Vec<(i64, comptoir_domain::Locale, &$crate::ImportedProduct)> = writing
                    .iter()
                    .copied()
                    .zip(&ids)
                    .flat_map(|(p, &id)| comptoir_domain::Locale::ALL.map(|locale| (id, locale, p)))
                    .collect();
                // A product's short descriptions and keywords with its texts where the
                // file gives its facts; kept otherwise.
                let (texts_with_facts, texts_without): (Vec<_>, Vec<_>) =
                    texts.iter().partition(|(_, _, p)| p.facts.is_some());
                for (part, with_facts) in texts_with_facts
                    .chunks(rows_per_statement(9))
                    .map(|part| (part, true))
                    .chain(texts_without.chunks(rows_per_statement(7)).map(|part| (part, false)))
                {
                    let mut query = QueryBuilder::<Db>::new(if with_facts {
                        "INSERT INTO product_translations (product_id, locale, name, description, \
                         url_key, meta_title, meta_description, short_description, meta_keywords) "
                    } else {
                        "INSERT INTO product_translations (product_id, locale, name, description, \
                         url_key, meta_title, meta_description) "
                    });
                    query.push_values(part, |mut row, (id, locale, product)| {
                        row.push_bind(*id)
                            .push_bind(locale.as_str())
                            .push_bind(product.names[*locale].as_str())
                            .push_bind(product.descriptions[*locale].as_str())
                            .push_bind(product.url_keys[*locale].as_str())
                            .push_bind(product.meta[*locale].title.as_str())
                            .push_bind(product.meta[*locale].description.as_str());
                        if let Some(facts) = &product.facts {
                            row.push_bind(facts.short_descriptions[*locale].as_str())
                                .push_bind(facts.keywords[*locale].as_str());
                        }
                    });
                    query.push(
                        " ON CONFLICT (product_id, locale) DO UPDATE SET name = excluded.name, \
                         description = excluded.description, url_key = excluded.url_key, \
                         meta_title = excluded.meta_title, meta_description = excluded.meta_description",
                    );
                    if with_facts {
                        query.push(
                            ", short_description = excluded.short_description, \
                             meta_keywords = excluded.meta_keywords",
                        );
                    }
                    query.build().execute(&mut **tx).await?;
                }

                // Links, replaced where the file gives them.
                let linking: Vec<(i64, &[comptoir_domain::ProductLink])> = writing
                    .iter()
                    .zip(&ids)
                    .filter_map(|(p, &id)| Some((id, p.links.as_deref()?)))
                    .collect();
                <$store>::listed(
                    "DELETE FROM product_links WHERE product_id IN (",
                    linking.iter().map(|(id, _)| *id),
                )
                .build()
                .execute(&mut **tx)
                .await?;
                let links = positioned(linking.iter().copied());
                for part in links.chunks(rows_per_statement(4)) {
                    let mut query = QueryBuilder::<Db>::new(
                        "INSERT INTO product_links (product_id, kind, position, linked_sku) ",
                    );
                    query.push_values(part, |mut row, (id, position, link)| {
                        row.push_bind(*id)
                            .push_bind(link.kind.as_str())
                            .push_bind(*position)
                            .push_bind(link.sku.as_str());
                    });
                    query.build().execute(&mut **tx).await?;
                }

                // Tier prices, replaced where the file gives them.
                let tiered: Vec<(i64, &[comptoir_domain::price_tiers::PriceTier])> = writing
                    .iter()
                    .zip(&ids)
                    .filter_map(|(p, &id)| Some((id, p.price_tiers.as_deref()?)))
                    .collect();
                <$store>::listed(
                    "DELETE FROM price_tiers WHERE product_id IN (",
                    tiered.iter().map(|(id, _)| *id),
                )
                .build()
                .execute(&mut **tx)
                .await?;
                let tiers = positioned(tiered.iter().copied());
                for part in tiers.chunks(rows_per_statement(8)) {
                    let mut query = QueryBuilder::<Db>::new(
                        "INSERT INTO price_tiers (product_id, position, customer_group, min_units, \
                         price_es_cents, price_fr_cents, price_pt_cents, price_it_cents) ",
                    );
                    query.push_values(part, |mut row, (id, position, tier)| {
                        row.push_bind(*id)
                            .push_bind(*position)
                            .push_bind(tier.customer_group.as_deref())
                            .push_bind(i32::try_from(tier.min_units).unwrap_or(i32::MAX));
                        for cents in tier.unit_price_cents {
                            row.push_bind(cents);
                        }
                    });
                    query.build().execute(&mut **tx).await?;
                }

                // Offers, replaced.
                <$store>::listed("DELETE FROM product_sites WHERE product_id IN (", ids.iter().copied())
                    .build()
                    .execute(&mut **tx)
                    .await?;
                let offers: Vec<(i64, comptoir_domain::SiteCode, &comptoir_domain::SitePrice)> =
                    writing
                        .iter()
                        .copied()
                        .zip(&ids)
                        .flat_map(|(p, &id)| {
                            comptoir_domain::SiteCode::ALL
                                .into_iter()
                                .filter_map(move |site| Some((id, site, p.sites[site.index()].as_ref()?)))
                        })
                        .collect();
                for part in offers.chunks(rows_per_statement(7)) {
                    let mut query = QueryBuilder::<Db>::new(
                        "INSERT INTO product_sites (product_id, site, price_cents, sale_price_cents, \
                         sale_starts_at, sale_ends_at, visibility) ",
                    );
                    query.push_values(part, |mut row, (id, site, offer)| {
                        row.push_bind(*id)
                            .push_bind(site.as_str())
                            .push_bind(offer.price.cents())
                            .push_bind(offer.sale.map(|sale| sale.price.cents()))
                            .push_bind(offer.sale.and_then(|sale| sale.starts_at))
                            .push_bind(offer.sale.and_then(|sale| sale.ends_at))
                            .push_bind(offer.visibility.as_str());
                    });
                    query.build().execute(&mut **tx).await?;
                }

                // Placements: those the file no longer gives removed, the others kept.
                let placed: Vec<(i64, i64)> = <$store>::listed(
                    "SELECT product_id, category_id FROM product_categories WHERE product_id IN (",
                    ids.iter().copied(),
                )
                .build_query_as()
                .fetch_all(&mut **tx)
                .await?;
                let removed = placements_to_remove(&writing, &ids, &placed, new_categories);
                for part in removed.chunks(rows_per_statement(2)) {
                    let mut query = QueryBuilder::<Db>::new(
                        "DELETE FROM product_categories WHERE (product_id, category_id) IN (",
                    );
                    query.push_values(part, |mut row, (product, category)| {
                        row.push_bind(*product).push_bind(*category);
                    });
                    query.push(")");
                    query.build().execute(&mut **tx).await?;
                }
                // A position the file gives is written; without, a placement keeps
                // its own (a new one comes first, at 0).
                let (with_position, without): (Vec<_>, Vec<_>) = writing
                    .iter()
                    .copied()
                    .zip(&ids)
                    .flat_map(|(p, &id)| {
                        p.categories
                            .iter()
                            .map(move |placed| (id, placed.category.id(new_categories).0, placed.position))
                    })
                    .partition(|(_, _, position)| position.is_some());
                for (part, conflict) in [
                    (with_position, " ON CONFLICT (product_id, category_id) DO UPDATE SET position = excluded.position"),
                    (without, " ON CONFLICT (product_id, category_id) DO NOTHING"),
                ] {
                    for part in part.chunks(rows_per_statement(3)) {
                        let mut query = QueryBuilder::<Db>::new(
                            "INSERT INTO product_categories (product_id, category_id, position) ",
                        );
                        query.push_values(part, |mut row, (product, category, position)| {
                            row.push_bind(*product)
                                .push_bind(*category)
                                .push_bind(position.unwrap_or(0));
                        });
                        query.push(conflict);
                        query.build().execute(&mut **tx).await?;
                    }
                }

                // Images, replaced.
                <$store>::listed("DELETE FROM product_images WHERE product_id IN (", ids.iter().copied())
                    .build()
                    .execute(&mut **tx)
                    .await?;
                let images = positioned(writing.iter().zip(&ids).map(|(p, &id)| (id, p.images.as_slice())));
                for part in images.chunks(rows_per_statement(3)) {
                    let mut query = QueryBuilder::<Db>::new(
                        "INSERT INTO product_images (product_id, position, path) ",
                    );
                    query.push_values(part, |mut row, (id, position, path)| {
                        row.push_bind(*id).push_bind(*position).push_bind(path.as_str());
                    });
                    query.build().execute(&mut **tx).await?;
                }

                // Variants: a known SKU is updated if it is this product's, refused if it
                // is another's; an unknown one created.
                let variants: Vec<(i64, i32, &$crate::ImportedVariant, &str)> = writing
                    .iter()
                    .copied()
                    .zip(&ids)
                    .flat_map(|(p, &id)| {
                        p.variants.iter().enumerate().map(move |(position, v)| {
                            (id, position as i32, v, p.sku.as_str())
                        })
                    })
                    .collect();
                let mut owners: HashMap<String, (i64, i64)> = HashMap::new();
                let variant_skus: Vec<&str> = variants.iter().map(|(_, _, v, _)| v.sku.as_str()).collect();
                for part in variant_skus.chunks(rows_per_statement(1)) {
                    let found: Vec<(String, i64, i64)> =
                        <$store>::listed("SELECT sku, id, product_id FROM variants WHERE sku IN (", part.iter().copied())
                            .build_query_as()
                            .fetch_all(&mut **tx)
                            .await?;
                    owners.extend(found.into_iter().map(|(sku, id, owner)| (sku, (id, owner))));
                }
                let mut claimed: HashMap<&str, &str> = HashMap::new();
                for (id, _, variant, product_sku) in &variants {
                    let sku = variant.sku.as_str();
                    if let Some(other) = claimed.insert(sku, product_sku) {
                        return Ok(Err($crate::ImportClash::VariantTwice {
                            sku: (*product_sku).to_owned(),
                            variant: sku.to_owned(),
                            other: other.to_owned(),
                        }));
                    }
                    if owners.get(sku).is_some_and(|(_, owner)| owner != id) {
                        return Ok(Err($crate::ImportClash::VariantTaken {
                            sku: (*product_sku).to_owned(),
                            variant: sku.to_owned(),
                        }));
                    }
                }
                let (known_variants, new_variants): (Vec<_>, Vec<_>) = variants
                    .iter()
                    .partition(|(_, _, v, _)| owners.contains_key(v.sku.as_str()));
                for part in known_variants.chunks(rows_per_statement(8)) {
                    let mut query = QueryBuilder::<Db>::new(
                        "WITH v (id, size, colour, stock, stock_policy, min_sale_units, max_sale_units, position) AS (",
                    );
                    query.push_values(part.iter().copied(), |mut row, (_, position, variant, _)| {
                        row.push_bind(owners[variant.sku.as_str()].0)
                            .push_bind(variant.size.as_deref())
                            .push_bind(variant.colour.as_deref())
                            .push_bind(variant.stock)
                            .push_bind(variant.stock_policy.as_str())
                            .push_bind(variant.sale_units.min as i32)
                            .push_bind(variant.sale_units.max.map(|max| max as i32))
                            .push_bind(position);
                    });
                    query.push(
                        ") UPDATE variants SET size = v.size, colour = v.colour, stock = v.stock, \
                         stock_policy = v.stock_policy, min_sale_units = v.min_sale_units, \
                         max_sale_units = v.max_sale_units, position = v.position FROM v WHERE variants.id = v.id",
                    );
                    query.build().execute(&mut **tx).await?;
                }
                for part in new_variants.chunks(rows_per_statement(9)) {
                    let mut query = QueryBuilder::<Db>::new(
                        "INSERT INTO variants \
                         (product_id, sku, size, colour, stock, stock_policy, min_sale_units, max_sale_units, position) ",
                    );
                    query.push_values(part.iter().copied(), |mut row, (id, position, variant, _)| {
                        row.push_bind(id)
                            .push_bind(variant.sku.as_str())
                            .push_bind(variant.size.as_deref())
                            .push_bind(variant.colour.as_deref())
                            .push_bind(variant.stock)
                            .push_bind(variant.stock_policy.as_str())
                            .push_bind(variant.sale_units.min as i32)
                            .push_bind(variant.sale_units.max.map(|max| max as i32))
                            .push_bind(position);
                    });
                    query.build().execute(&mut **tx).await?;
                }

                // Choices beyond size and colour, and surcharges: replaced.
                for head in [
                    "DELETE FROM variant_choices WHERE variant_id IN (SELECT id FROM variants WHERE product_id IN (",
                    "DELETE FROM variant_surcharges WHERE variant_id IN (SELECT id FROM variants WHERE product_id IN (",
                ] {
                    let mut query = <$store>::listed(head, ids.iter().copied());
                    query.push(")");
                    query.build().execute(&mut **tx).await?;
                }
                let priced_or_chosen: Vec<&$crate::ImportedVariant> = variants
                    .iter()
                    .map(|(_, _, v, _)| *v)
                    .filter(|v| !v.choices.is_empty() || v.surcharge_cents != [0; 4])
                    .collect();
                let mut variant_ids: HashMap<String, i64> = HashMap::new();
                for part in priced_or_chosen.chunks(rows_per_statement(1)) {
                    let found: Vec<(String, i64)> = <$store>::listed(
                        "SELECT sku, id FROM variants WHERE sku IN (",
                        part.iter().map(|v| v.sku.as_str()),
                    )
                    .build_query_as()
                    .fetch_all(&mut **tx)
                    .await?;
                    variant_ids.extend(found);
                }
                let choices: Vec<(i64, usize, &comptoir_domain::VariantChoice)> = priced_or_chosen
                    .iter()
                    .flat_map(|v| {
                        let id = variant_ids[v.sku.as_str()];
                        v.choices.iter().enumerate().map(move |(position, c)| (id, position, c))
                    })
                    .collect();
                let attributes: HashSet<&comptoir_domain::ChoiceAttribute> =
                    choices.iter().map(|(_, _, c)| &c.attribute).collect();
                let labels: Vec<(&comptoir_domain::ChoiceAttribute, comptoir_domain::Locale)> = attributes
                    .into_iter()
                    .flat_map(|a| comptoir_domain::Locale::ALL.map(|locale| (a, locale)))
                    .collect();
                // A new attribute is labelled by its code until staff name it.
                for part in labels.chunks(rows_per_statement(3)) {
                    let mut query =
                        QueryBuilder::<Db>::new("INSERT INTO attribute_labels (attribute, locale, label) ");
                    query.push_values(part, |mut row, (attribute, locale)| {
                        row.push_bind(attribute.as_str())
                            .push_bind(locale.as_str())
                            .push_bind(attribute.default_label());
                    });
                    query.push(" ON CONFLICT (attribute, locale) DO NOTHING");
                    query.build().execute(&mut **tx).await?;
                }
                for part in choices.chunks(rows_per_statement(4)) {
                    let mut query = QueryBuilder::<Db>::new(
                        "INSERT INTO variant_choices (variant_id, attribute, value, position) ",
                    );
                    query.push_values(part, |mut row, (id, position, choice)| {
                        row.push_bind(*id)
                            .push_bind(choice.attribute.as_str())
                            .push_bind(choice.value.as_str())
                            .push_bind(*position as i32);
                    });
                    query.build().execute(&mut **tx).await?;
                }
                let surcharges: Vec<(i64, comptoir_domain::SiteCode, i64)> = priced_or_chosen
                    .iter()
                    .flat_map(|v| {
                        let id = variant_ids[v.sku.as_str()];
                        comptoir_domain::SiteCode::ALL
                            .into_iter()
                            .map(move |site| (id, site, v.surcharge_cents[site.index()]))
                    })
                    .filter(|(_, _, cents)| *cents != 0)
                    .collect();
                for part in surcharges.chunks(rows_per_statement(3)) {
                    let mut query = QueryBuilder::<Db>::new(
                        "INSERT INTO variant_surcharges (variant_id, site, amount_cents) ",
                    );
                    query.push_values(part, |mut row, (id, site, cents)| {
                        row.push_bind(*id).push_bind(site.as_str()).push_bind(*cents);
                    });
                    query.build().execute(&mut **tx).await?;
                }

                // Options, replaced where the file gives them.
                let with_options: Vec<(i64, &[comptoir_domain::product_options::ProductOption])> = writing
                    .iter()
                    .copied()
                    .zip(&ids)
                    .filter_map(|(p, &id)| Some((id, p.options.as_deref()?)))
                    .collect();
                <$store>::listed(
                    "DELETE FROM product_options WHERE product_id IN (",
                    with_options.iter().map(|(id, _)| *id),
                )
                .build()
                .execute(&mut **tx)
                .await?;
                let options: Vec<(i64, i32, &comptoir_domain::product_options::ProductOption)> = with_options
                    .iter()
                    .flat_map(|&(id, options)| {
                        options.iter().enumerate().map(move |(position, o)| (id, position as i32, o))
                    })
                    .collect();
                for part in options.chunks(rows_per_statement(8)) {
                    let mut query = QueryBuilder::<Db>::new(
                        "INSERT INTO product_options \
                         (product_id, position, required, title_es, title_fr, title_pt, title_it) ",
                    );
                    query.push_values(part, |mut row, (id, position, option)| {
                        row.push_bind(*id).push_bind(*position).push_bind(option.required);
                        for locale in comptoir_domain::Locale::ALL {
                            row.push_bind(option.titles[locale].as_str());
                        }
                    });
                    query.build().execute(&mut **tx).await?;
                }
                let mut option_ids: HashMap<(i64, i32), i64> = HashMap::new();
                for part in with_options.chunks(rows_per_statement(1)) {
                    let found: Vec<(i64, i64, i32)> = <$store>::listed(
                        "SELECT id, product_id, position FROM product_options WHERE product_id IN (",
                        part.iter().map(|(id, _)| *id),
                    )
                    .build_query_as()
                    .fetch_all(&mut **tx)
                    .await?;
                    option_ids.extend(found.into_iter().map(|(id, product, position)| ((product, position), id)));
                }
                let values: Vec<(i64, i32, &comptoir_domain::product_options::OptionValue)> = options
                    .iter()
                    .flat_map(|(product, position, option)| {
                        let option_id = option_ids[&(*product, *position)];
                        option.values.iter().enumerate().map(move |(at, v)| (option_id, at as i32, v))
                    })
                    .collect();
                for part in values.chunks(rows_per_statement(11)) {
                    let mut query = QueryBuilder::<Db>::new(
                        "INSERT INTO product_option_values (option_id, position, title_es, title_fr, \
                         title_pt, title_it, surcharge_es_cents, surcharge_fr_cents, surcharge_pt_cents, \
                         surcharge_it_cents) ",
                    );
                    query.push_values(part, |mut row, (option_id, position, value)| {
                        row.push_bind(*option_id).push_bind(*position);
                        for locale in comptoir_domain::Locale::ALL {
                            row.push_bind(value.titles[locale].as_str());
                        }
                        for cents in value.surcharge_cents {
                            row.push_bind(cents);
                        }
                    });
                    query.build().execute(&mut **tx).await?;
                }

                // Old URLs.
                let urls = old_urls(products, &all_ids);
                for part in urls.chunks(rows_per_statement(3)) {
                    let mut query =
                        QueryBuilder::<Db>::new("INSERT INTO url_redirects (site, path, product_id) ");
                    query.push_values(part, |mut row, (site, path, id)| {
                        row.push_bind(*site).push_bind(*path).push_bind(*id);
                    });
                    query.push(
                        " ON CONFLICT (site, path) DO UPDATE SET product_id = excluded.product_id",
                    );
                    query.build().execute(&mut **tx).await?;
                }
                Ok(Ok($crate::imports::plan::ChunkWritten {
                    changed: ids,
                    created,
                    unchanged: left.len(),
                }))
            }

            /// Creates the categories an import file adds, parents first, each with its
            /// name in every language and a URL key no sibling has (numbered if
            /// need be), last among its siblings. Returns their ids in the file's order.
            async fn create_import_categories(
                tx: &mut sqlx::Transaction<'static, Db>,
                categories: &[comptoir_domain::import::NewCategory],
            ) -> $crate::Result<Vec<comptoir_domain::CategoryId>> {
                use $crate::catalogue_admin::categories as admin;
                let mut created = Vec::with_capacity(categories.len());
                for category in categories {
                    let parent = category.parent.map(|parent| parent.id(&created).0);
                    let position: i32 = sqlx::query_scalar($crate::imports::plan::NEXT_CATEGORY_POSITION_SQL)
                        .bind(parent)
                        .fetch_one(&mut **tx)
                        .await?;
                    let id: i64 = sqlx::query_scalar(admin::INSERT_CATEGORY_SQL)
                        .bind(parent)
                        .bind(position)
                        .bind(true)
                        .bind(false)
                        .fetch_one(&mut **tx)
                        .await?;
                    for locale in comptoir_domain::Locale::ALL {
                        let wanted = &category.url_keys[locale];
                        let mut key = wanted.clone();
                        for n in 2.. {
                            let taken: Option<i64> = sqlx::query_scalar(admin::SIBLING_KEY_SQL)
                                .bind(parent)
                                .bind(locale.as_str())
                                .bind(&key)
                                .bind(id)
                                .fetch_optional(&mut **tx)
                                .await?;
                            if taken.is_none() {
                                break;
                            }
                            key = format!("{wanted}-{n}");
                        }
                        sqlx::query(admin::UPSERT_CATEGORY_TEXT_SQL)
                            .bind(id)
                            .bind(locale.as_str())
                            .bind(&category.names[locale])
                            .bind(&key)
                            .bind(&category.meta[locale].title)
                            .bind(&category.meta[locale].description)
                            .execute(&mut **tx)
                            .await?;
                    }
                    created.push(comptoir_domain::CategoryId(id));
                }
                Ok(created)
            }

            #[async_trait::async_trait]
            impl $crate::imports::ImportStore for $store {
                async fn import_customers(
                    &self,
                    customers: &[$crate::ImportedCustomer],
                    by: &$crate::staff::Actor,
                ) -> $crate::Result<$crate::CustomerImport> {
                    let mut tx = self.begin_write().await?;
                    let mut report = $crate::CustomerImport {
                        created: 0,
                        already_there: 0,
                    };
                    let now = chrono::Utc::now();
                    for imported in customers {
                        let id: Option<i64> = sqlx::query_scalar($crate::customers::INSERT_CUSTOMER_SQL)
                            .bind(&imported.customer.email)
                            .bind(&imported.customer.name)
                            .bind(&imported.customer.password_hash)
                            .bind(now)
                            .fetch_optional(&mut *tx)
                            .await?;
                        let Some(id) = id else {
                            report.already_there += 1;
                            continue;
                        };
                        report.created += 1;
                        let details = &imported.details;
                        sqlx::query($crate::customers::SET_DETAILS_SQL)
                            .bind(id)
                            .bind(&details.phone)
                            .bind(&details.company)
                            .bind(&details.tax_id)
                            .bind(details.birth_date)
                            .bind(details.gender)
                            .bind(&details.group)
                            .bind(details.locale.map(|locale| locale.as_str()))
                            .execute(&mut *tx)
                            .await?;
                        for (address, extra) in &imported.addresses {
                            let address_id: Option<i64> =
                                sqlx::query_scalar($crate::customers::ADD_ADDRESS_SQL)
                                    .bind(id)
                                    .bind(&address.name)
                                    .bind(&address.street)
                                    .bind(&address.postcode)
                                    .bind(&address.city)
                                    .bind(&address.country)
                                    .bind(now)
                                    // Imports keep every address the old shop had.
                                    .bind(i64::MAX)
                                    .fetch_optional(&mut *tx)
                                    .await?;
                            if let Some(address_id) = address_id {
                                sqlx::query($crate::customers::SET_ADDRESS_DETAILS_SQL)
                                    .bind(address_id)
                                    .bind(&extra.company)
                                    .bind(&extra.region)
                                    .bind(&extra.phone)
                                    .execute(&mut *tx)
                                    .await?;
                            }
                        }
                    }
                    let after = serde_json::json!({
                        "created": report.created,
                        "already_there": report.already_there,
                    })
                    .to_string();
                    Self::audit(&mut tx, by, "customers.import", "customers", "", None, Some(after)).await?;
                    tx.commit().await?;
                    Ok(report)
                }

                async fn import_products(
                    &self,
                    file: &$crate::ProductFile,
                    by: &$crate::staff::Actor,
                    progress: $crate::Progress<'_>,
                ) -> $crate::Result<$crate::ProductImportOutcome> {
                    use $crate::ProductImportOutcome;
                    let mut tx = self.begin_write().await?;
                    Self::begin_bulk(&mut tx).await?;
                    let (mut created, mut unchanged) = (0, 0);
                    let mut changed = Vec::with_capacity(file.products.len());
                    let now = chrono::Utc::now();
                    let mut done = 0;
                    let new_categories = create_import_categories(&mut tx, &file.new_categories).await?;
                    for chunk in file.products.chunks($crate::imports::plan::CHUNK) {
                        match write_import_chunk(&mut tx, chunk, &new_categories, now).await? {
                            Ok(written) => {
                                created += written.created;
                                unchanged += written.unchanged;
                                changed.extend(written.changed);
                            }
                            Err(reason) => return Ok(ProductImportOutcome::Refused(reason)),
                        }
                        done += chunk.len() as u64;
                        progress(done);
                    }
                    let updated = changed.len() - created;
                    for old in &file.old_category_paths {
                        sqlx::query($crate::imports::plan::UPSERT_CATEGORY_REDIRECT_SQL)
                            .bind(old.site.as_str())
                            .bind(&old.path)
                            .bind(old.category.id(&new_categories).0)
                            .execute(&mut *tx)
                            .await?;
                    }
                    if !new_categories.is_empty() {
                        Self::append_changes(&mut tx, $crate::ChangeKind::Category, &[]).await?;
                    }
                    if !changed.is_empty() {
                        Self::append_changes(&mut tx, $crate::ChangeKind::Product, &changed).await?;
                    }
                    let after = serde_json::json!({
                        "created": created,
                        "updated": updated,
                        "unchanged": unchanged,
                        "categories_created": new_categories.len(),
                    })
                    .to_string();
                    Self::audit(&mut tx, by, "products.import", "products", "", None, Some(after)).await?;
                    tx.commit().await?;
                    Ok(ProductImportOutcome::Done {
                        created,
                        updated,
                        unchanged,
                        categories_created: new_categories.len(),
                    })
                }
            }
        };
    };
}
pub(crate) use impl_import_store;
