//! The EU's VIES service, asked whether a VAT number of another member state is
//! registered: only then is a business buyer supplied exempt, intra-community
//! (art. 25 of the Spanish VAT law). Its answer, with its date and consultation
//! number, is the proof the order keeps.

use std::time::Duration;

use chrono::Utc;
use comptoir_domain::destination::Country;
use serde::{Deserialize, Serialize};

/// How long a shopper's checkout waits for VIES.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(8);

/// What VIES said of a VAT number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ViesCheck {
    /// Registered: the order is an exempt supply. `consultation` is VIES's
    /// request identifier when it gave one.
    Confirmed {
        /// RFC 3339, UTC.
        checked_at: String,
        consultation: Option<String>,
    },
    /// Not registered for intra-community trade.
    NotRegistered,
    /// VIES (or the member state behind it) did not answer.
    Unavailable,
}

impl ViesCheck {
    /// The proof an order keeps of a confirmation: when, and VIES's number.
    pub fn proof(&self) -> Option<String> {
        match self {
            ViesCheck::Confirmed {
                checked_at,
                consultation,
            } => Some(format!(
                "VIES {checked_at} {}",
                consultation.as_deref().unwrap_or("-")
            )),
            ViesCheck::NotRegistered | ViesCheck::Unavailable => None,
        }
    }
}

#[derive(Clone)]
pub struct Vies {
    http: reqwest::Client,
    /// The service's `check-vat-number` address.
    url: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Question<'a> {
    country_code: &'a str,
    vat_number: &'a str,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Answer {
    valid: Option<bool>,
    request_identifier: Option<String>,
}

impl Vies {
    pub fn new(url: &str) -> Vies {
        let http = reqwest::Client::builder()
            .timeout(ANSWER_TIMEOUT)
            .build()
            .unwrap_or_default();
        Vies {
            http,
            url: url.to_owned(),
        }
    }

    /// Asks whether `number` (without its country's prefix) is a VAT number
    /// registered in `country`.
    pub async fn check(&self, country: Country, number: &str) -> ViesCheck {
        let question = Question {
            country_code: country.code(),
            vat_number: number,
        };
        let answer = match self.http.post(&self.url).json(&question).send().await {
            Ok(response) if response.status().is_success() => response.json::<Answer>().await,
            Ok(response) => {
                tracing::warn!(status = %response.status(), "VIES refused a question");
                return ViesCheck::Unavailable;
            }
            Err(error) => {
                tracing::warn!(%error, "VIES cannot be reached");
                return ViesCheck::Unavailable;
            }
        };
        match answer {
            Ok(Answer {
                valid: Some(true),
                request_identifier,
            }) => ViesCheck::Confirmed {
                checked_at: Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                consultation: request_identifier.filter(|id| !id.is_empty()),
            },
            Ok(Answer {
                valid: Some(false), ..
            }) => ViesCheck::NotRegistered,
            // An error of a member state's service (`MS_UNAVAILABLE`, …) gives no
            // verdict.
            Ok(Answer { valid: None, .. }) => ViesCheck::Unavailable,
            Err(error) => {
                tracing::warn!(%error, "VIES answered what cannot be read");
                ViesCheck::Unavailable
            }
        }
    }
}
