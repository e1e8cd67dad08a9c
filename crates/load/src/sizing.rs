//! Campaign sizing: the load model in steps of rising arrival rate against one
//! replica until its service level breaks; the highest rate it kept is its
//! capacity. The replica's own CPU time per visit (from its metrics) gives a
//! second capacity, on a machine of its own; the smaller one sizes the campaign.

use std::time::{Duration, Instant};

use serde::Serialize;
use tokio::sync::watch;

use crate::journey::Class;
use crate::model::{self, DailyCost, Demand};
use crate::profile::Profile;
use crate::run::{self, LoadSettings, Progress};
use crate::survey::SiteMap;

/// How to step the load.
#[derive(Debug, Clone)]
pub struct StepSettings {
    pub base: String,
    pub start_rate: f64,
    /// Each step's rate over the one before.
    pub growth: f64,
    pub step: Duration,
    /// The whole run's bound.
    pub max_time: Duration,
    /// Short pauses reach a steady load within a step; the request mix is the same.
    pub think_time: Duration,
    pub seed: u64,
}

/// One step, measured.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub offered_visits_per_second: f64,
    pub achieved_visits_per_second: f64,
    pub requests_per_second: f64,
    pub page_p99_ms: f64,
    pub checkout_p99_ms: f64,
    pub error_rate: f64,
    pub orders: u64,
    pub dropped: u64,
    /// How late, at worst, a visit started after its time, in milliseconds.
    pub worst_start_lag_ms: f64,
    pub requests: u64,
    /// The replica's CPU seconds during the step, when its metrics were given.
    pub replica_cpu_seconds: Option<f64>,
    /// Searches sent to a search service, and its CPU seconds meanwhile.
    pub service_searches: u64,
    pub search_cpu_seconds: Option<f64>,
    /// PostgreSQL transactions and Redis commands per second during the step.
    pub database_transactions_per_second: Option<f64>,
    pub redis_commands_per_second: Option<f64>,
    pub kept_the_slo: bool,
    /// Why not, when it did not.
    pub broke: Option<String>,
}

/// Reads the replica's (and the search service's) metrics around each step, and
/// the shop's backing services' counters.
pub struct Meters {
    pub client: reqwest::Client,
    /// Every measured replica's `/metrics` (several behind a balancer): their CPU is
    /// summed.
    pub replicas: Vec<String>,
    /// The search services' `/metrics`.
    pub search: Vec<String>,
    pub backends: Option<Box<dyn BackendMeter>>,
}

/// Counters of the shop's PostgreSQL and Redis, so far.
#[derive(Debug, Clone, Copy, Default)]
pub struct BackendCounts {
    /// Transactions committed and rolled back in the shop's database.
    pub database_transactions: Option<f64>,
    /// Commands Redis has processed.
    pub redis_commands: Option<f64>,
}

/// Reads [`BackendCounts`] (the command line's, with the shop's database and
/// Redis URLs).
#[async_trait::async_trait]
pub trait BackendMeter: Send + Sync {
    async fn read(&self) -> BackendCounts;
}

/// What the meters read at one moment.
#[derive(Debug, Clone, Copy, Default)]
struct Reading {
    replica_cpu: Option<f64>,
    search_cpu: Option<f64>,
    service_searches: f64,
    backends: BackendCounts,
}

impl Meters {
    async fn read(&self) -> Reading {
        let replicas = self.texts(&self.replicas).await;
        let search = self.texts(&self.search).await;
        Reading {
            replica_cpu: replicas
                .as_deref()
                .and_then(|texts| sum(texts, "process_cpu_seconds_total", "")),
            search_cpu: search
                .as_deref()
                .and_then(|texts| sum(texts, "process_cpu_seconds_total", "")),
            service_searches: replicas
                .as_deref()
                .and_then(|texts| {
                    sum(
                        texts,
                        "comptoir_search_duration_seconds_count",
                        "engine=\"service\"",
                    )
                })
                .unwrap_or(0.0),
            backends: match &self.backends {
                Some(backends) => backends.read().await,
                None => BackendCounts::default(),
            },
        }
    }

    /// Every URL's text; none unless all answered (a sum over some would mislead).
    async fn texts(&self, urls: &[String]) -> Option<Vec<String>> {
        if urls.is_empty() {
            return None;
        }
        let mut texts = Vec::with_capacity(urls.len());
        for url in urls {
            let answer = self.client.get(url).send().await.ok()?;
            texts.push(answer.text().await.ok()?);
        }
        Some(texts)
    }
}

/// A metric summed over several processes' texts.
fn sum(texts: &[String], name: &str, labels: &str) -> Option<f64> {
    texts
        .iter()
        .map(|text| metric(text, name, labels))
        .sum::<Option<f64>>()
}

/// The sum of a metric's samples in Prometheus' text whose labels hold `labels`.
fn metric(text: &str, name: &str, labels: &str) -> Option<f64> {
    let mut found = None;
    for line in text.lines() {
        let Some(rest) = line.strip_prefix(name) else {
            continue;
        };
        if !(rest.starts_with(' ') || rest.starts_with('{')) || !rest.contains(labels) {
            continue;
        }
        let value: f64 = rest.rsplit(' ').next()?.parse().ok()?;
        *found.get_or_insert(0.0) += value;
    }
    found
}

/// Steps the load up until the service level breaks or the time is up; a stop
/// ends the step under way, which is kept as measured so far.
pub async fn measure(
    settings: &StepSettings,
    profile: &Profile,
    maps: &[SiteMap],
    meters: &Meters,
    stop: watch::Receiver<bool>,
    on_step: &(dyn Fn(&Step) + Sync),
    progress: &(dyn Fn(&Progress) + Sync),
) -> Vec<Step> {
    let started = Instant::now();
    let mut steps: Vec<Step> = Vec::new();
    let mut rate = settings.start_rate;
    // Once a step breaks, one more between the last kept and the first broken.
    let mut narrowed = false;
    while started.elapsed() + settings.step <= settings.max_time && !*stop.borrow() {
        let load = LoadSettings {
            base: settings.base.clone(),
            arrivals_per_second: rate,
            duration: settings.step,
            max_visits: u64::MAX,
            think_time: settings.think_time,
            seed: settings.seed.wrapping_add(steps.len() as u64),
        };
        let before = meters.read().await;
        let measured = run::run(
            &load,
            profile,
            maps,
            meters.client.clone(),
            stop.clone(),
            progress,
        )
        .await;
        let after = meters.read().await;
        let seconds = measured.elapsed.as_secs_f64().max(0.001);
        let delta = |a: Option<f64>, b: Option<f64>| Some(b? - a?);
        let mut step = Step {
            offered_visits_per_second: rate,
            achieved_visits_per_second: measured.visits_started as f64 / seconds,
            requests_per_second: measured.requests() as f64 / seconds,
            page_p99_ms: measured.quantile_ms(Class::Page, 0.99),
            checkout_p99_ms: measured.quantile_ms(Class::Checkout, 0.99),
            error_rate: measured.error_rate(),
            orders: measured.orders,
            dropped: measured.dropped,
            worst_start_lag_ms: measured.worst_start_lag.as_secs_f64() * 1_000.0,
            requests: measured.requests(),
            replica_cpu_seconds: delta(before.replica_cpu, after.replica_cpu),
            service_searches: (after.service_searches - before.service_searches).max(0.0) as u64,
            search_cpu_seconds: delta(before.search_cpu, after.search_cpu),
            database_transactions_per_second: delta(
                before.backends.database_transactions,
                after.backends.database_transactions,
            )
            .map(|count| count / seconds),
            redis_commands_per_second: delta(
                before.backends.redis_commands,
                after.backends.redis_commands,
            )
            .map(|count| count / seconds),
            kept_the_slo: false,
            broke: None,
        };
        step.broke = verdict(&step, profile);
        step.kept_the_slo = step.broke.is_none();
        on_step(&step);
        let kept = step.kept_the_slo;
        steps.push(step);
        let last_kept = steps
            .iter()
            .filter(|s| s.kept_the_slo)
            .map(|s| s.offered_visits_per_second)
            .fold(0.0, f64::max);
        if kept && !narrowed {
            rate *= settings.growth;
        } else if !kept && !narrowed && last_kept > 0.0 {
            narrowed = true;
            rate = (last_kept * rate).sqrt();
        } else {
            break;
        }
    }
    steps
}

/// Why a step broke the service level, if it did.
fn verdict(step: &Step, profile: &Profile) -> Option<String> {
    let slo = &profile.slo;
    if step.requests == 0 {
        return Some("no request answered".to_owned());
    }
    if step.page_p99_ms > slo.page_p99_ms {
        return Some(format!(
            "pages p99 {:.0} ms > {:.0} ms",
            step.page_p99_ms, slo.page_p99_ms
        ));
    }
    if step.checkout_p99_ms > slo.checkout_p99_ms {
        return Some(format!(
            "checkout p99 {:.0} ms > {:.0} ms",
            step.checkout_p99_ms, slo.checkout_p99_ms
        ));
    }
    if step.error_rate > slo.max_error_rate {
        return Some(format!(
            "errors {:.2} % > {:.2} %",
            step.error_rate * 100.0,
            slo.max_error_rate * 100.0
        ));
    }
    // A visit more than a second late: the generator itself is short of CPU, and
    // the step measured less than it offered.
    if step.dropped > 0 || step.worst_start_lag_ms > 1_000.0 {
        return Some("the load generator could not keep the rate".to_owned());
    }
    None
}

/// Which measurement sets a replica's capacity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    /// The service level broke at a higher rate.
    ServiceLevel,
    /// The replica's CPU per visit, on an instance of its own at the target use.
    Cpu,
}

/// The sizing answer.
#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    /// Storefront replicas behind the target while it was measured.
    pub replicas_measured: u32,
    /// The highest rate that kept the service level, in visits per second, of all
    /// replicas measured together.
    pub sustainable_visits_per_second: f64,
    /// True when the time ran out before the service level broke: a lower bound.
    pub lower_bound: bool,
    pub cpu_seconds_per_visit: Option<f64>,
    /// Visits per second one replica carries by its CPU at the profile's target use.
    pub cpu_visits_per_second: Option<f64>,
    pub limit: Limit,
    pub visits_per_second_per_replica: f64,
    pub sustainable_shoppers_per_replica: f64,
    pub peak_visits_per_second: f64,
    pub peak_requests_per_second: f64,
    pub peak_orders_per_second: f64,
    pub peak_concurrent_shoppers: f64,
    pub visit_seconds: f64,
    pub storefront_replicas: u32,
    /// 0 when search runs in the storefront's process.
    pub search_replicas: u32,
    pub searches_per_visit: f64,
    pub cpu_seconds_per_search: Option<f64>,
    /// What the peak asks of PostgreSQL and Redis, at the measured rates per visit.
    pub peak_database_transactions_per_second: Option<f64>,
    pub peak_redis_commands_per_second: Option<f64>,
    pub currency: String,
    pub cost_per_day_scaled: f64,
    pub cost_per_day_always_on: f64,
    pub saving: f64,
    pub replicas_per_hour: Vec<u32>,
}

/// Sizes the campaign from the steps, measured against `replicas_measured`
/// replicas behind the target (which share its load evenly).
pub fn answer(profile: &Profile, steps: &[Step], replicas_measured: u32) -> Answer {
    let demand = Demand::of(profile);
    let kept: Vec<&Step> = steps.iter().filter(|s| s.kept_the_slo).collect();
    let best = kept.iter().max_by(|a, b| {
        a.offered_visits_per_second
            .total_cmp(&b.offered_visits_per_second)
    });
    let sustainable = best.map_or(0.0, |s| s.offered_visits_per_second);
    let sustainable_per_replica = sustainable / f64::from(replicas_measured.max(1));
    let lower_bound = steps.iter().all(|s| s.kept_the_slo);
    // CPU per visit (of all replicas measured) from the busiest step kept (the
    // steadiest figure).
    let cpu_seconds_per_visit = best.and_then(|step| {
        let visits = step.requests as f64 / demand.requests_per_visit;
        Some(step.replica_cpu_seconds? / visits.max(1.0))
    });
    let sizing = &profile.sizing;
    let cpu_visits_per_second = cpu_seconds_per_visit
        .filter(|cpu| *cpu > 0.0)
        .map(|cpu| sizing.replica_cores * sizing.cpu_target / cpu);
    let (limit, per_replica) = match cpu_visits_per_second {
        Some(cpu) if cpu < sustainable_per_replica => (Limit::Cpu, cpu),
        _ => (Limit::ServiceLevel, sustainable_per_replica),
    };
    let storefront_replicas = model::replicas(
        demand.peak_arrivals_per_second,
        per_replica,
        sizing.headroom,
        sizing.min_storefront_replicas,
    );
    let searches: u64 = steps.iter().map(|s| s.service_searches).sum();
    let requests: u64 = steps.iter().map(|s| s.requests).sum();
    let searches_per_visit = if requests == 0 {
        0.0
    } else {
        searches as f64 / requests as f64 * demand.requests_per_visit
    };
    let cpu_seconds_per_search = best.and_then(|step| {
        (step.service_searches > 0)
            .then(|| {
                step.search_cpu_seconds
                    .map(|cpu| cpu / step.service_searches as f64)
            })
            .flatten()
    });
    let search_replicas = if searches == 0 {
        0
    } else {
        let per_search = cpu_seconds_per_search.unwrap_or(0.0);
        let load = demand.peak_arrivals_per_second * searches_per_visit * per_search;
        model::replicas(
            load,
            sizing.replica_cores * sizing.cpu_target,
            sizing.headroom,
            sizing.min_storefront_replicas,
        )
    };
    // Per visit at the busiest step kept, scaled to the peak's visits.
    let at_peak = |per_second: Option<f64>| {
        let step = best?;
        Some(
            per_second? / step.achieved_visits_per_second.max(0.001)
                * demand.peak_arrivals_per_second,
        )
    };
    let peak_database_transactions_per_second =
        at_peak(best.and_then(|s| s.database_transactions_per_second));
    let peak_redis_commands_per_second = at_peak(best.and_then(|s| s.redis_commands_per_second));
    let cost = DailyCost::of(
        profile,
        &demand,
        per_replica,
        profile.prices.storefront_per_hour,
    );
    let search_day = f64::from(search_replicas) * 24.0 * profile.prices.search_per_hour;
    let scaled = cost.scaled + search_day;
    let always_on = cost.always_on + search_day;
    Answer {
        replicas_measured,
        sustainable_visits_per_second: sustainable,
        lower_bound,
        cpu_seconds_per_visit,
        cpu_visits_per_second,
        limit,
        visits_per_second_per_replica: per_replica,
        sustainable_shoppers_per_replica: demand.shoppers_at(per_replica),
        peak_visits_per_second: demand.peak_arrivals_per_second,
        peak_requests_per_second: demand.peak_requests_per_second,
        peak_orders_per_second: demand.peak_orders_per_second,
        peak_concurrent_shoppers: demand.shoppers_at(demand.peak_arrivals_per_second),
        visit_seconds: demand.visit_seconds,
        storefront_replicas,
        search_replicas,
        searches_per_visit,
        cpu_seconds_per_search,
        peak_database_transactions_per_second,
        peak_redis_commands_per_second,
        currency: profile.prices.currency.clone(),
        cost_per_day_scaled: scaled,
        cost_per_day_always_on: always_on,
        saving: if always_on > 0.0 {
            1.0 - scaled / always_on
        } else {
            0.0
        },
        replicas_per_hour: cost.replicas_per_hour,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(rate: f64, page_p99: f64, cpu: Option<f64>) -> Step {
        let requests = (rate * 30.0 * 10.0) as u64;
        let mut step = Step {
            offered_visits_per_second: rate,
            achieved_visits_per_second: rate,
            requests_per_second: requests as f64 / 30.0,
            page_p99_ms: page_p99,
            checkout_p99_ms: 20.0,
            error_rate: 0.0,
            orders: 1,
            dropped: 0,
            worst_start_lag_ms: 0.0,
            requests,
            replica_cpu_seconds: cpu,
            service_searches: 0,
            search_cpu_seconds: None,
            database_transactions_per_second: Some(rate * 3.0),
            redis_commands_per_second: None,
            kept_the_slo: false,
            broke: None,
        };
        step.broke = verdict(&step, &Profile::default());
        step.kept_the_slo = step.broke.is_none();
        step
    }

    #[test]
    fn a_step_breaks_on_latency_errors_or_a_generator_behind() {
        assert!(step(10.0, 50.0, None).kept_the_slo);
        assert_eq!(
            step(10.0, 250.0, None).broke.as_deref(),
            Some("pages p99 250 ms > 200 ms")
        );
        let mut errors = step(10.0, 50.0, None);
        errors.error_rate = 0.01;
        assert!(
            verdict(&errors, &Profile::default())
                .unwrap()
                .contains("errors")
        );
        let mut behind = step(10.0, 50.0, None);
        behind.worst_start_lag_ms = 1_500.0;
        assert!(
            verdict(&behind, &Profile::default())
                .unwrap()
                .contains("generator")
        );
    }

    #[test]
    fn the_last_rate_kept_sizes_the_campaign_unless_the_cpu_says_less() {
        let profile = Profile::default();
        let steps = [
            step(10.0, 20.0, Some(3.0)),
            step(15.0, 40.0, Some(4.5)),
            step(22.5, 400.0, Some(9.0)),
        ];
        let answer = answer(&profile, &steps, 1);
        assert_eq!(answer.sustainable_visits_per_second, 15.0);
        assert!(!answer.lower_bound);
        let demand = Demand::of(&profile);
        // 4.5 CPU seconds over the step's visits; 2 cores at 70 %.
        let visits = steps[1].requests as f64 / demand.requests_per_visit;
        let cpu_rate = 2.0 * 0.7 / (4.5 / visits);
        assert!((answer.cpu_visits_per_second.unwrap() - cpu_rate).abs() < 1e-9);
        let (limit, per_replica) = if cpu_rate < 15.0 {
            (Limit::Cpu, cpu_rate)
        } else {
            (Limit::ServiceLevel, 15.0)
        };
        assert_eq!(answer.limit, limit);
        assert_eq!(
            answer.storefront_replicas,
            model::replicas(demand.peak_arrivals_per_second, per_replica, 0.3, 2)
        );
        assert_eq!(answer.search_replicas, 0, "search in process");
        assert!(answer.cost_per_day_scaled <= answer.cost_per_day_always_on);
        // Three transactions a visit at the step, three a visit at the peak.
        let peak_transactions = answer.peak_database_transactions_per_second.unwrap();
        assert!((peak_transactions - 3.0 * demand.peak_arrivals_per_second).abs() < 1e-9);
        assert_eq!(answer.peak_redis_commands_per_second, None, "not measured");
    }

    #[test]
    fn a_rate_measured_through_a_balancer_is_shared_by_its_replicas() {
        let profile = Profile::default();
        // Below the peak's 23.2 visits/s, so that replicas exceed the floor of two.
        let steps = [step(8.0, 20.0, None), step(12.0, 400.0, None)];
        let one = answer(&profile, &steps, 1);
        let two = answer(&profile, &steps, 2);
        assert_eq!(two.sustainable_visits_per_second, 8.0);
        assert_eq!(two.visits_per_second_per_replica, 4.0);
        assert_eq!(one.visits_per_second_per_replica, 8.0);
        assert_eq!(two.replicas_measured, 2);
        assert!(
            two.storefront_replicas > one.storefront_replicas,
            "{} {}",
            two.storefront_replicas,
            one.storefront_replicas
        );
    }

    #[test]
    fn a_run_that_never_broke_is_a_lower_bound() {
        let answer = answer(&Profile::default(), &[step(10.0, 20.0, None)], 1);
        assert!(answer.lower_bound);
        assert_eq!(answer.limit, Limit::ServiceLevel);
    }

    #[test]
    fn metrics_are_summed_over_their_matching_labels() {
        let text = "# HELP x\nprocess_cpu_seconds_total 12.5\n\
                    comptoir_search_duration_seconds_count{site=\"es\",engine=\"service\"} 3\n\
                    comptoir_search_duration_seconds_count{site=\"fr\",engine=\"service\"} 4\n\
                    comptoir_search_duration_seconds_count{site=\"fr\",engine=\"in_process\"} 9\n";
        assert_eq!(metric(text, "process_cpu_seconds_total", ""), Some(12.5));
        assert_eq!(
            metric(
                text,
                "comptoir_search_duration_seconds_count",
                "engine=\"service\""
            ),
            Some(7.0)
        );
        assert_eq!(metric(text, "missing", ""), None);
    }
}
