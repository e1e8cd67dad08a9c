//! The sizing told three ways: Markdown for people (`sizing.md`), JSON for
//! automation (`sizing.json`) and a chart of latency and throughput against the
//! offered load (`sizing.svg`).

use std::fmt::Write;

use plotters::prelude::*;

use crate::profile::Profile;
use crate::sizing::{Answer, Limit, Step};

pub fn markdown(profile: &Profile, steps: &[Step], answer: &Answer, target: &str) -> String {
    let mut out = String::new();
    let slo = &profile.slo;
    let c = &profile.campaign;
    let _ = writeln!(out, "# Campaign sizing\n");
    let _ = writeln!(
        out,
        "Measured against {} at {target}. Campaign: {:.0} visitors a day, {:.0} \
         shoppers at once at the peak, {:.0} orders a day. Service level: pages p99 under \
         {:.0} ms, checkout p99 under {:.0} ms, errors under {:.2} %.\n",
        match answer.replicas_measured {
            1 => "one replica".to_owned(),
            n => format!("{n} replicas behind a balancer"),
        },
        c.visitors_per_day,
        c.peak_concurrent_shoppers,
        c.orders_per_day,
        slo.page_p99_ms,
        slo.checkout_p99_ms,
        slo.max_error_rate * 100.0
    );
    let _ = writeln!(out, "## The answer\n");
    let _ = writeln!(
        out,
        "- **{} storefront replicas** of {} cores at the peak, with {:.0} % headroom; \
         **{} search replicas**{}.",
        answer.storefront_replicas,
        profile.sizing.replica_cores,
        profile.sizing.headroom * 100.0,
        answer.search_replicas,
        if answer.search_replicas == 0 {
            " (search runs in the storefront's process)"
        } else {
            ""
        }
    );
    let _ = writeln!(
        out,
        "- One replica carries **{:.1} visits/s**, that is **{:.0} concurrent shoppers** \
         (visits of {:.0} s), set by {}.",
        answer.visits_per_second_per_replica,
        answer.sustainable_shoppers_per_replica,
        answer.visit_seconds,
        match answer.limit {
            Limit::ServiceLevel => "the service level measured",
            Limit::Cpu => "its CPU per visit",
        }
    );
    let _ = writeln!(
        out,
        "- Service level: kept up to {:.2} visits/s{}{}.",
        answer.sustainable_visits_per_second,
        if answer.replicas_measured > 1 {
            " by the replicas together"
        } else {
            ""
        },
        if answer.lower_bound {
            " (the time ran out first: a lower bound)"
        } else {
            ", broken above"
        }
    );
    match (answer.cpu_seconds_per_visit, answer.cpu_visits_per_second) {
        (Some(cpu), Some(rate)) => {
            let _ = writeln!(
                out,
                "- CPU: {:.1} ms of replica CPU per visit, so {:.1} visits/s on {} cores \
                 at {:.0} % use.",
                cpu * 1_000.0,
                rate,
                profile.sizing.replica_cores,
                profile.sizing.cpu_target * 100.0
            );
        }
        _ => {
            let _ = writeln!(
                out,
                "- CPU: not measured (give `--metrics` each replica's `/metrics`)."
            );
        }
    }
    let _ = writeln!(
        out,
        "- The peak asks {:.1} visits/s, {:.0} requests/s and {:.2} orders/s.",
        answer.peak_visits_per_second,
        answer.peak_requests_per_second,
        answer.peak_orders_per_second
    );
    let backends = [
        (
            "PostgreSQL",
            answer.peak_database_transactions_per_second,
            "transactions/s",
        ),
        ("Redis", answer.peak_redis_commands_per_second, "commands/s"),
    ];
    for (service, at_peak, unit) in backends {
        let _ = match at_peak {
            Some(rate) => writeln!(out, "- {service} at the peak: {rate:.0} {unit}."),
            None => writeln!(
                out,
                "- {service}: not measured (give `--{}-url`).",
                if service == "Redis" {
                    "redis"
                } else {
                    "database"
                }
            ),
        };
    }
    let _ = writeln!(
        out,
        "- Cost per day: {:.2} {cur} scaled hour by hour with the traffic, against {:.2} {cur} \
         for the peak's replicas all day: {:.0} % less.\n",
        answer.cost_per_day_scaled,
        answer.cost_per_day_always_on,
        answer.saving * 100.0,
        cur = answer.currency
    );
    let _ = writeln!(
        out,
        "Replicas per hour (00 to 23): {:?}\n",
        answer.replicas_per_hour
    );
    let _ = writeln!(out, "## Steps\n");
    let _ = writeln!(
        out,
        "| offered visits/s | achieved | requests/s | pages p99 ms | checkout p99 ms | errors % | replica CPU s | verdict |"
    );
    let _ = writeln!(
        out,
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
    );
    for step in steps {
        let _ = writeln!(
            out,
            "| {:.2} | {:.2} | {:.1} | {:.1} | {:.1} | {:.3} | {} | {} |",
            step.offered_visits_per_second,
            step.achieved_visits_per_second,
            step.requests_per_second,
            step.page_p99_ms,
            step.checkout_p99_ms,
            step.error_rate * 100.0,
            step.replica_cpu_seconds
                .map_or("–".to_owned(), |cpu| format!("{cpu:.1}")),
            step.broke.as_deref().unwrap_or("kept")
        );
    }
    let _ = writeln!(
        out,
        "\nOn one machine the load generator shares the cores with the replica it \
         measures: the service level's figure is then pessimistic, the CPU's figure is \
         what a replica on an instance of its own carries. `docs/sizing.md` explains the model."
    );
    out
}

pub fn json(profile: &Profile, steps: &[Step], answer: &Answer) -> serde_json::Value {
    serde_json::json!({
        "storefront_replicas": answer.storefront_replicas,
        "search_replicas": answer.search_replicas,
        "sustainable_shoppers_per_replica": answer.sustainable_shoppers_per_replica,
        "slo": {
            "page_p99_ms": profile.slo.page_p99_ms,
            "checkout_p99_ms": profile.slo.checkout_p99_ms,
            "max_error_rate": profile.slo.max_error_rate,
        },
        "answer": answer,
        "steps": steps,
    })
}

/// Latency (top) and throughput (bottom) against the offered load, as SVG.
pub fn svg(steps: &[Step], profile: &Profile) -> Result<String, String> {
    // By offered rate, whatever order they were measured in (the step between
    // the last kept and the first broken comes last).
    let mut steps = steps.to_vec();
    steps.sort_by(|a, b| {
        a.offered_visits_per_second
            .total_cmp(&b.offered_visits_per_second)
    });
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, 700)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let (top, bottom) = root.split_vertically(350);
        let max_rate = steps
            .iter()
            .map(|s| s.offered_visits_per_second)
            .fold(1.0, f64::max)
            * 1.1;
        let max_latency = steps
            .iter()
            .map(|s| s.page_p99_ms.max(s.checkout_p99_ms))
            .fold(profile.slo.checkout_p99_ms, f64::max)
            * 1.1;
        let mut latency = ChartBuilder::on(&top)
            .caption("p99 latency against offered load", ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(56)
            .build_cartesian_2d(0.0..max_rate, 0.0..max_latency)
            .map_err(|e| e.to_string())?;
        latency
            .configure_mesh()
            .x_desc("offered visits/s")
            .y_desc("ms")
            .draw()
            .map_err(|e| e.to_string())?;
        let series = |pick: fn(&Step) -> f64| {
            steps
                .iter()
                .map(move |s| (s.offered_visits_per_second, pick(s)))
                .collect::<Vec<_>>()
        };
        for (points, color, label) in [
            (series(|s| s.page_p99_ms), BLUE, "pages p99"),
            (series(|s| s.checkout_p99_ms), RED, "checkout p99"),
        ] {
            latency
                .draw_series(LineSeries::new(points.clone(), color.stroke_width(2)))
                .map_err(|e| e.to_string())?
                .label(label)
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 16, y)], color));
            latency
                .draw_series(
                    points
                        .into_iter()
                        .map(|p| Circle::new(p, 3, color.filled())),
                )
                .map_err(|e| e.to_string())?;
        }
        for (limit, color) in [
            (profile.slo.page_p99_ms, BLUE.mix(0.4)),
            (profile.slo.checkout_p99_ms, RED.mix(0.4)),
        ] {
            latency
                .draw_series(LineSeries::new([(0.0, limit), (max_rate, limit)], color))
                .map_err(|e| e.to_string())?;
        }
        latency
            .configure_series_labels()
            .border_style(BLACK)
            .background_style(WHITE.mix(0.9))
            .draw()
            .map_err(|e| e.to_string())?;
        let max_throughput = steps
            .iter()
            .map(|s| s.requests_per_second)
            .fold(1.0, f64::max)
            * 1.1;
        let mut throughput = ChartBuilder::on(&bottom)
            .caption("requests answered per second", ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(56)
            .build_cartesian_2d(0.0..max_rate, 0.0..max_throughput)
            .map_err(|e| e.to_string())?;
        throughput
            .configure_mesh()
            .x_desc("offered visits/s")
            .y_desc("requests/s")
            .draw()
            .map_err(|e| e.to_string())?;
        let points = series(|s| s.requests_per_second);
        throughput
            .draw_series(LineSeries::new(points.clone(), GREEN.stroke_width(2)))
            .map_err(|e| e.to_string())?;
        throughput
            .draw_series(
                points
                    .into_iter()
                    .map(|p| Circle::new(p, 3, GREEN.filled())),
            )
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}
