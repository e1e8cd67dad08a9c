//! `comptoir probe URL`: a container's health check, since the images carry no curl.

use std::time::Duration;

use anyhow::Context;

/// How long the server has to answer.
const PROBE_TIMEOUT: Duration = Duration::from_secs(3);

/// Succeeds when `url` answers 2xx within [`PROBE_TIMEOUT`]; prints its first line.
pub(crate) async fn probe(url: &str) -> anyhow::Result<()> {
    let client = reqwest::Client::builder()
        .timeout(PROBE_TIMEOUT)
        .build()
        .context("an HTTP client")?;
    let answer = client
        .get(url)
        .send()
        .await
        .with_context(|| format!("{url}: no answer"))?;
    let status = answer.status();
    let body = answer.text().await.unwrap_or_default();
    let first_line = body.lines().next().unwrap_or_default();
    anyhow::ensure!(status.is_success(), "{url}: {status} {first_line}");
    println!("{status} {first_line}");
    Ok(())
}
