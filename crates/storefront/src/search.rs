//! The storefront's way to the search engine: in this process (the default), or the
//! `search` service over HTTP when `SEARCH_URL` is set.

use std::sync::Arc;
use std::time::Duration;

use comptoir_domain::SiteCode;
use comptoir_search::{SearchEngine, SearchError, SearchRequest, SearchResults};

#[derive(Clone)]
pub enum SearchClient {
    InProcess(Arc<SearchEngine>),
    Remote {
        base_url: Arc<str>,
        http: reqwest::Client,
    },
}

/// Why a search could not be answered; the shopper is told search is unavailable.
#[derive(Debug, thiserror::Error)]
pub enum SearchUnavailable {
    #[error("the search index is still being built")]
    NotReady,
    #[error("search engine: {0}")]
    Engine(#[from] SearchError),
    #[error("search service: {0}")]
    Service(String),
}

/// How long the storefront waits for the search service.
const SERVICE_TIMEOUT: Duration = Duration::from_secs(2);

impl SearchClient {
    pub fn remote(base_url: &str) -> SearchClient {
        let http = reqwest::Client::builder()
            .timeout(SERVICE_TIMEOUT)
            .build()
            .expect("an HTTP client without TLS always builds");
        SearchClient::Remote {
            base_url: base_url.trim_end_matches('/').into(),
            http,
        }
    }

    /// Whether searches are answered: the in-process index is built, or the service
    /// says it is ready.
    pub async fn is_ready(&self) -> bool {
        match self {
            SearchClient::InProcess(engine) => engine.is_ready(),
            SearchClient::Remote { base_url, http } => http
                .get(format!("{base_url}/health/ready"))
                .send()
                .await
                .is_ok_and(|answer| answer.status().is_success()),
        }
    }

    /// Searches `site`, timed for the metrics (`comptoir_search_duration_seconds`, by
    /// site, outcome and engine).
    pub async fn search(
        &self,
        site: SiteCode,
        request: &SearchRequest,
    ) -> Result<SearchResults, SearchUnavailable> {
        let started = std::time::Instant::now();
        let results = self.search_untimed(site, request).await;
        metrics::histogram!(
            "comptoir_search_duration_seconds",
            "site" => site.as_str(),
            "outcome" => if results.is_ok() { "answered" } else { "unavailable" },
            // Where it was answered: `comptoir sizing` sizes a search tier only for a service.
            "engine" => match self {
                SearchClient::InProcess(_) => "in_process",
                SearchClient::Remote { .. } => "service",
            },
        )
        .record(started.elapsed().as_secs_f64());
        results
    }

    async fn search_untimed(
        &self,
        site: SiteCode,
        request: &SearchRequest,
    ) -> Result<SearchResults, SearchUnavailable> {
        match self {
            SearchClient::InProcess(engine) => {
                if !engine.is_ready() {
                    return Err(SearchUnavailable::NotReady);
                }
                Ok(engine.search(site, request)?)
            }
            SearchClient::Remote { base_url, http } => {
                let url = format!("{base_url}/v1/sites/{site}/search");
                let mut call = http.post(url).json(request);
                if let Some(id) = comptoir_web::observe::current_request_id() {
                    call = call.header(comptoir_web::observe::REQUEST_ID_HEADER, id);
                }
                let response = call
                    .send()
                    .await
                    .map_err(|e| SearchUnavailable::Service(e.to_string()))?;
                match response.status().as_u16() {
                    200 => response
                        .json()
                        .await
                        .map_err(|e| SearchUnavailable::Service(e.to_string())),
                    503 => Err(SearchUnavailable::NotReady),
                    status => Err(SearchUnavailable::Service(format!("answered {status}"))),
                }
            }
        }
    }
}
