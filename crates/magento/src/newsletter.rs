//! The newsletter's subscribers (`newsletter_subscriber`), customers and guests
//! alike: those subscribed now, each on the site of the store view they
//! subscribed in, with the date Magento gives their consent.

use chrono::{DateTime, Utc};
use comptoir_domain::email::Email;
use comptoir_store::NewsletterSubscriber;

use crate::report::Report;
use crate::stores::Stores;
use crate::{MagentoDb, MagentoError, timestamp};

/// Magento's `subscriber_status` of someone subscribed (2 is "not activated",
/// 3 "unsubscribed", 4 "unconfirmed": none of them consented).
const SUBSCRIBED: i64 = 1;

#[derive(sqlx::FromRow)]
struct SubscriberRow {
    id: u64,
    store: u64,
    /// The subscriber's own address, else their account's.
    email: Option<Vec<u8>>,
    changed_at: Option<String>,
}

/// Reads the subscribers, dated `now` where Magento kept no date; an address
/// that is not one, or a store view without a site, is reported and left out.
pub async fn read(
    db: &mut MagentoDb,
    stores: &Stores,
    now: DateTime<Utc>,
    report: &mut Report,
) -> Result<Vec<NewsletterSubscriber>, MagentoError> {
    // Optional: an install may have dropped the module.
    if !db.tables().has("newsletter_subscriber") {
        report.note(
            "newsletter",
            "no newsletter_subscriber table: no subscribers read",
        );
        return Ok(Vec::new());
    }
    let (subscribers, customers) = (
        db.tables().name("newsletter_subscriber"),
        db.tables().name("customer_entity"),
    );
    let rows: Vec<SubscriberRow> = db
        .rows(
            "newsletter_subscriber",
            &format!(
                "SELECT CAST(s.subscriber_id AS UNSIGNED) AS id, \
                 CAST(COALESCE(s.store_id, 0) AS UNSIGNED) AS store, \
                 CAST(COALESCE(NULLIF(s.subscriber_email, ''), c.email) AS BINARY) AS email, \
                 CAST(s.change_status_at AS CHAR) AS changed_at \
                 FROM {subscribers} s LEFT JOIN {customers} c \
                 ON c.entity_id = s.customer_id AND s.customer_id <> 0 \
                 WHERE s.subscriber_status = {SUBSCRIBED} ORDER BY s.subscriber_id"
            ),
        )
        .await?;
    let mut list: Vec<NewsletterSubscriber> = Vec::with_capacity(rows.len());
    let mut undated = 0;
    for row in &rows {
        let entity = format!("newsletter subscriber {}", row.id);
        let Some(site) = stores.site_of(row.store) else {
            report.problem(
                &entity,
                format!("store view {} feeds no site: left out", row.store),
            );
            continue;
        };
        let email = match Email::parse(&crate::lossy(row.email.as_deref())) {
            Ok(email) => email,
            Err(invalid) => {
                report.problem(
                    &entity,
                    format!("'{}' is not an e-mail address: left out", invalid.0),
                );
                continue;
            }
        };
        if list.iter().any(|known| known.email == email.as_str()) {
            report.note(
                &entity,
                "subscribed in another store view too: kept on the first one's site",
            );
            continue;
        }
        let subscribed_at = match row.changed_at.as_deref().and_then(timestamp) {
            Some(at) => at,
            None => {
                undated += 1;
                now
            }
        };
        list.push(NewsletterSubscriber {
            email: email.as_str().to_owned(),
            site,
            subscribed_at,
        });
    }
    if undated > 0 {
        report.note(
            "newsletter",
            format!("{undated} subscribers without a date in Magento: dated at the migration"),
        );
    }
    let counts = report.counts("newsletter subscribers");
    counts.read = rows.len();
    counts.skipped = rows.len() - list.len();
    Ok(list)
}
