//! `comptoir load`: shoppers' visits replayed against a running shop at a target
//! arrival rate, with live progress; the report when the time is up, the count
//! reached, or Ctrl-C pressed. `comptoir sizing`: the same in rising steps until
//! the service level breaks, and the campaign sized from it.

use std::time::Duration;

use anyhow::Context;
use comptoir::config::{LoadArgs, SizingArgs};
use comptoir_load::model::Demand;
use comptoir_load::profile::Profile;
use comptoir_load::run::{self, LoadSettings, Progress};
use comptoir_load::sizing::{self, BackendCounts, BackendMeter, Meters, Step, StepSettings};
use comptoir_load::target::Target;
use comptoir_load::{report, sizing_report, survey};
use indicatif::{ProgressBar, ProgressStyle};
use tokio::sync::watch;

pub(crate) async fn load(args: &LoadArgs) -> anyhow::Result<()> {
    let profile = match &args.profile {
        Some(path) => Profile::read(path)?,
        None => Profile::default(),
    };
    let target = Target::parse(&args.target, &args.allow_hosts)?;
    let rate = args
        .rate
        .unwrap_or_else(|| Demand::of(&profile).peak_arrivals_per_second);
    anyhow::ensure!(
        rate.is_finite() && rate > 0.0,
        "--rate {rate}: must be above 0 visits per second"
    );
    let think = args
        .think_seconds
        .unwrap_or(profile.journey.think_time_seconds);
    anyhow::ensure!(
        think.is_finite() && think >= 0.0,
        "--think-seconds {think}: must be 0 or more"
    );
    let client = comptoir_load::http_client().context("an HTTP client")?;
    let maps = surveyed(&client, &target, &profile).await?;
    let settings = LoadSettings {
        base: target.base.clone(),
        arrivals_per_second: rate,
        duration: Duration::from_secs(args.duration),
        max_visits: args.max_visits,
        think_time: Duration::from_secs_f64(think),
        seed: args.seed,
    };
    let measured = run_with_progress(&settings, &profile, &maps, client).await;
    print!("{}", report::text(&settings, &measured.0));
    if let Some(path) = &args.json {
        let json = serde_json::to_string_pretty(&report::json(&settings, &measured.0))?;
        std::fs::write(path, json).with_context(|| format!("cannot write {}", path.display()))?;
    }
    if measured.1 {
        println!("stopped by Ctrl-C: the report covers what was measured until then");
    }
    Ok(())
}

/// Runs the load with a progress line, stopping at Ctrl-C; the measurements and
/// whether they were stopped.
pub(crate) async fn run_with_progress(
    settings: &LoadSettings,
    profile: &Profile,
    maps: &[survey::SiteMap],
    client: reqwest::Client,
) -> (run::Measured, bool) {
    let (stopped, ctrl_c) = stop_at_ctrl_c();
    let bar = spinner();
    let tell = |progress: &Progress| tell_progress(&bar, "", progress);
    let measured = run::run(settings, profile, maps, client, stopped.clone(), &tell).await;
    bar.finish_and_clear();
    ctrl_c.abort();
    let was_stopped = *stopped.borrow();
    (measured, was_stopped)
}

/// A watch that turns true at Ctrl-C, and the task listening for it (to abort
/// once the run is over).
fn stop_at_ctrl_c() -> (watch::Receiver<bool>, tokio::task::JoinHandle<()>) {
    let (stop, stopped) = watch::channel(false);
    let listening = tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            let _ = stop.send(true);
        }
    });
    (stopped, listening)
}

fn spinner() -> ProgressBar {
    ProgressBar::new_spinner().with_style(
        ProgressStyle::with_template("{spinner} {msg}").expect("the progress template is valid"),
    )
}

/// The run so far on the progress line; `elapsed` follows the seconds
/// (`" into the step"`).
fn tell_progress(bar: &ProgressBar, elapsed: &str, progress: &Progress) {
    bar.set_message(format!(
        "{:>4} s{elapsed}  {} visits ({} under way)  {} requests  {} errors  pages p99 {:.1} ms",
        progress.elapsed.as_secs(),
        progress.visits_started,
        progress.visits_under_way,
        progress.requests,
        progress.errors,
        progress.page_p99_ms
    ));
    bar.tick();
}

/// The shop's sites as shoppers will walk them, told; an error before any load
/// when the target does not answer as a shop.
async fn surveyed(
    client: &reqwest::Client,
    target: &Target,
    profile: &Profile,
) -> anyhow::Result<Vec<survey::SiteMap>> {
    let sites: Vec<_> = profile
        .site_shares()
        .into_iter()
        .map(|(site, _)| site)
        .collect();
    let maps = survey::survey(client, &target.base, &sites).await?;
    for map in &maps {
        println!(
            "{}: {} categories, {} facet links, {} products, {} search words",
            map.site,
            map.categories.len(),
            map.filters.len(),
            map.products.len(),
            map.words.len()
        );
    }
    Ok(maps)
}

pub(crate) async fn sizing(args: &SizingArgs) -> anyhow::Result<()> {
    let profile = match &args.profile {
        Some(path) => Profile::read(path)?,
        None => Profile::default(),
    };
    let target = Target::parse(&args.target, &args.allow_hosts)?;
    anyhow::ensure!(
        args.start_rate.is_finite() && args.start_rate > 0.0,
        "--start-rate {}: must be above 0 visits per second",
        args.start_rate
    );
    anyhow::ensure!(
        args.growth.is_finite() && args.growth > 1.0,
        "--growth {}: must be above 1",
        args.growth
    );
    anyhow::ensure!(
        args.think_seconds.is_finite() && args.think_seconds >= 0.0,
        "--think-seconds {}: must be 0 or more",
        args.think_seconds
    );
    anyhow::ensure!(
        args.metrics.is_empty() || args.metrics.len() == args.replicas as usize,
        "--replicas {} but --metrics for {}: give each replica's metrics, or none",
        args.replicas,
        args.metrics.len()
    );
    let client = comptoir_load::http_client().context("an HTTP client")?;
    let maps = surveyed(&client, &target, &profile).await?;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    let settings = StepSettings {
        base: target.base.clone(),
        start_rate: args.start_rate,
        growth: args.growth,
        step: Duration::from_secs(args.step_seconds),
        max_time: Duration::from_secs(args.max_minutes * 60),
        think_time: Duration::from_secs_f64(args.think_seconds),
        seed: args.seed,
    };
    let backends = Backends::connect(args).await?;
    let meters = Meters {
        client: client.clone(),
        replicas: args.metrics.clone(),
        search: args.search_metrics.clone(),
        backends: Some(Box::new(backends)),
    };
    let (stopped, ctrl_c) = stop_at_ctrl_c();
    let bar = spinner();
    let on_step = |step: &Step| {
        let line = format!(
            "{:>7.2} visits/s offered: {:.1} requests/s, pages p99 {:.1} ms, \
             checkout p99 {:.1} ms, errors {:.3} %: {}",
            step.offered_visits_per_second,
            step.requests_per_second,
            step.page_p99_ms,
            step.checkout_p99_ms,
            step.error_rate * 100.0,
            step.broke.as_deref().unwrap_or("kept")
        );
        // A hidden bar (output not a terminal) prints nothing of its own.
        if bar.is_hidden() {
            println!("{line}");
        } else {
            bar.println(line);
        }
    };
    let tell = |progress: &Progress| tell_progress(&bar, " into the step", progress);
    let steps = sizing::measure(
        &settings,
        &profile,
        &maps,
        &meters,
        stopped.clone(),
        &on_step,
        &tell,
    )
    .await;
    bar.finish_and_clear();
    ctrl_c.abort();
    anyhow::ensure!(!steps.is_empty(), "no step was measured");
    let answer = sizing::answer(&profile, &steps, args.replicas);
    let markdown = sizing_report::markdown(&profile, &steps, &answer, &target.base);
    let json = serde_json::to_string_pretty(&sizing_report::json(&profile, &steps, &answer))?;
    let svg = sizing_report::svg(&steps, &profile).map_err(anyhow::Error::msg)?;
    for (name, text) in [
        ("sizing.md", &markdown),
        ("sizing.json", &json),
        ("sizing.svg", &svg),
    ] {
        let path = args.out.join(name);
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    println!("{markdown}");
    if *stopped.borrow() {
        println!("stopped by Ctrl-C: sized from the steps measured until then");
    }
    println!(
        "written: {}/sizing.md, sizing.json, sizing.svg",
        args.out.display()
    );
    Ok(())
}

/// The shop's PostgreSQL and Redis, read for their counters around each step.
struct Backends {
    database: Option<tokio::sync::Mutex<sqlx::PgConnection>>,
    redis: Option<redis::aio::MultiplexedConnection>,
}

impl Backends {
    /// Connects to those given; one that cannot be reached is an error before any load.
    async fn connect(args: &SizingArgs) -> anyhow::Result<Backends> {
        use sqlx::Connection;
        let database = match &args.database_url {
            Some(url) => Some(tokio::sync::Mutex::new(
                sqlx::PgConnection::connect(url)
                    .await
                    .context("--database-url: cannot connect")?,
            )),
            None => None,
        };
        let redis = match &args.redis_url {
            Some(url) => Some(
                redis::Client::open(url.as_str())
                    .context("--redis-url: not a Redis address")?
                    .get_multiplexed_async_connection()
                    .await
                    .context("--redis-url: cannot connect")?,
            ),
            None => None,
        };
        Ok(Backends { database, redis })
    }
}

#[async_trait::async_trait]
impl BackendMeter for Backends {
    async fn read(&self) -> BackendCounts {
        let database_transactions = match &self.database {
            Some(connection) => sqlx::query_scalar::<_, f64>(
                "SELECT (xact_commit + xact_rollback)::float8 FROM pg_stat_database \
                 WHERE datname = current_database()",
            )
            .fetch_one(&mut *connection.lock().await)
            .await
            .ok(),
            None => None,
        };
        let redis_commands = match &self.redis {
            Some(connection) => {
                let mut connection = connection.clone();
                redis::cmd("INFO")
                    .arg("stats")
                    .query_async::<String>(&mut connection)
                    .await
                    .ok()
                    .and_then(|info| {
                        info.lines()
                            .find_map(|line| line.strip_prefix("total_commands_processed:"))
                            .and_then(|count| count.trim().parse().ok())
                    })
            }
            None => None,
        };
        BackendCounts {
            database_transactions,
            redis_commands,
        }
    }
}
