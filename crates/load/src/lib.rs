//! Campaign sizing from measurements. A campaign profile ([`profile`]) says how
//! many shoppers come, where, and what they do; [`journey`] plans each visit from
//! it; the load model replays visits against a running shop at a target arrival
//! rate, open loop, timing every request; [`model`] turns the peak into requests
//! per second and one replica's measured capacity into replicas and cost.

pub mod journey;
pub mod model;
pub mod profile;
pub mod report;
pub mod run;
pub mod sizing;
pub mod sizing_report;
pub mod survey;
pub mod target;
pub mod visitor;

/// The HTTP client every visitor shares (each keeps its own cookies): no
/// redirect followed by itself, a request unanswered after 30 s an error.
pub fn http_client() -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(30))
        .pool_max_idle_per_host(1_024)
        .build()
}
