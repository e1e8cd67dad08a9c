//! The newsletter's subscribers: who asked for it, on which site, since when (the
//! consent record a mailing needs). Shoppers subscribe and leave in their
//! account; the old shop's list is imported; staff export it for the mailing tool.
//! A subscriber who leaves keeps a marked row, so that no import subscribes them
//! again.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use comptoir_domain::SiteCode;

use crate::Result;

/// Someone who wants the newsletter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewsletterSubscriber {
    /// As accounts keep addresses: `Email::parse`'s form.
    pub email: String,
    /// The site whose language and offers they get.
    pub site: SiteCode,
    pub subscribed_at: DateTime<Utc>,
}

/// What an import of subscribers did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SubscriberImport {
    pub created: usize,
    /// Left as they were: subscribed already, or once subscribed and since left.
    pub already_there: usize,
}

/// The newsletter's list.
#[async_trait]
pub trait NewsletterStore: Send + Sync {
    /// When `email` subscribed, if it is subscribed now.
    async fn newsletter_subscription(&self, email: &str) -> Result<Option<DateTime<Utc>>>;

    /// Subscribes `email` for `site`'s newsletter from `at` (a subscriber keeps
    /// their date), or, with `subscribed` false, marks that they left at `at`.
    async fn set_newsletter(
        &self,
        email: &str,
        site: SiteCode,
        subscribed: bool,
        at: DateTime<Utc>,
    ) -> Result<()>;

    /// Adds the old shop's subscribers, in one transaction; an address with a row
    /// already (subscribed or left) is left as it is.
    async fn import_newsletter_subscribers(
        &self,
        subscribers: &[NewsletterSubscriber],
    ) -> Result<SubscriberImport>;

    /// Everyone subscribed now, by site and date.
    async fn newsletter_subscribers(&self) -> Result<Vec<NewsletterSubscriber>>;
}

pub(crate) const SUBSCRIPTION_SQL: &str = "SELECT subscribed_at FROM newsletter_subscribers \
     WHERE email = $1 AND unsubscribed_at IS NULL";
pub(crate) const SUBSCRIBE_SQL: &str = "INSERT INTO newsletter_subscribers \
     (email, site, subscribed_at, source) VALUES ($1, $2, $3, 'account') \
     ON CONFLICT (email) DO UPDATE SET site = excluded.site, \
     subscribed_at = CASE WHEN newsletter_subscribers.unsubscribed_at IS NULL \
     THEN newsletter_subscribers.subscribed_at ELSE excluded.subscribed_at END, \
     unsubscribed_at = NULL, \
     source = CASE WHEN newsletter_subscribers.unsubscribed_at IS NULL \
     THEN newsletter_subscribers.source ELSE excluded.source END";
pub(crate) const UNSUBSCRIBE_SQL: &str = "UPDATE newsletter_subscribers SET unsubscribed_at = $2 \
     WHERE email = $1 AND unsubscribed_at IS NULL";
pub(crate) const IMPORT_SQL: &str = "INSERT INTO newsletter_subscribers \
     (email, site, subscribed_at, source) VALUES ($1, $2, $3, 'magento') \
     ON CONFLICT (email) DO NOTHING";
pub(crate) const SUBSCRIBERS_SQL: &str = "SELECT email, site, subscribed_at \
     FROM newsletter_subscribers WHERE unsubscribed_at IS NULL \
     ORDER BY site, subscribed_at, email";
/// An erased customer's row goes whole: no record of them is kept.
pub(crate) const FORGET_SQL: &str = "DELETE FROM newsletter_subscribers WHERE email = $1";

/// Writes `impl NewsletterStore for $store`, a backend's store type.
macro_rules! impl_newsletter_store {
    ($store:ty) => {
        const _: () = {
            use $crate::dialect::Dialect;
            use $crate::newsletter as sql;

            #[async_trait::async_trait]
            impl $crate::newsletter::NewsletterStore for $store {
                async fn newsletter_subscription(
                    &self,
                    email: &str,
                ) -> $crate::Result<Option<chrono::DateTime<chrono::Utc>>> {
                    Ok(sqlx::query_scalar(sql::SUBSCRIPTION_SQL)
                        .bind(email)
                        .fetch_optional(self.pool())
                        .await?)
                }

                async fn set_newsletter(
                    &self,
                    email: &str,
                    site: comptoir_domain::SiteCode,
                    subscribed: bool,
                    at: chrono::DateTime<chrono::Utc>,
                ) -> $crate::Result<()> {
                    let mut tx = self.begin_write().await?;
                    if subscribed {
                        sqlx::query(sql::SUBSCRIBE_SQL)
                            .bind(email)
                            .bind(site.as_str())
                            .bind(at)
                            .execute(&mut *tx)
                            .await?;
                    } else {
                        sqlx::query(sql::UNSUBSCRIBE_SQL)
                            .bind(email)
                            .bind(at)
                            .execute(&mut *tx)
                            .await?;
                    }
                    tx.commit().await?;
                    Ok(())
                }

                async fn import_newsletter_subscribers(
                    &self,
                    subscribers: &[$crate::newsletter::NewsletterSubscriber],
                ) -> $crate::Result<$crate::newsletter::SubscriberImport> {
                    let mut tx = self.begin_write().await?;
                    let mut created = 0;
                    for subscriber in subscribers {
                        created += sqlx::query(sql::IMPORT_SQL)
                            .bind(&subscriber.email)
                            .bind(subscriber.site.as_str())
                            .bind(subscriber.subscribed_at)
                            .execute(&mut *tx)
                            .await?
                            .rows_affected() as usize;
                    }
                    tx.commit().await?;
                    Ok($crate::newsletter::SubscriberImport {
                        created,
                        already_there: subscribers.len() - created,
                    })
                }

                async fn newsletter_subscribers(
                    &self,
                ) -> $crate::Result<Vec<$crate::newsletter::NewsletterSubscriber>> {
                    let rows: Vec<(String, String, chrono::DateTime<chrono::Utc>)> =
                        sqlx::query_as(sql::SUBSCRIBERS_SQL)
                            .fetch_all(self.pool())
                            .await?;
                    rows.into_iter()
                        .map(|(email, site, subscribed_at)| {
                            let site = comptoir_domain::SiteCode::parse(&site).map_err(|_| {
                                $crate::StoreError::Corrupt(format!("newsletter site '{site}'"))
                            })?;
                            Ok($crate::newsletter::NewsletterSubscriber {
                                email,
                                site,
                                subscribed_at,
                            })
                        })
                        .collect()
                }
            }
        };
    };
}
pub(crate) use impl_newsletter_store;
