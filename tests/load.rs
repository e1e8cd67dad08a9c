//! The load model against real servers: its request counts are the storefront's
//! own, and its arrivals keep their rate when the server is slow (open loop).

use std::time::Duration;

use axum::Router;
use axum::response::Html;
use axum::routing::get;
use comptoir_domain::SiteCode;
use comptoir_e2e::{Backend, fresh_store, spawn_app};
use comptoir_load::journey::Class;
use comptoir_load::profile::Profile;
use comptoir_load::run::{self, LoadSettings, Measured};
use comptoir_load::survey;

/// Runs `profile`'s visits against `base` at `rate` for at most `seconds` and
/// `visits`, with short pauses; also the requests the storefront counted
/// meanwhile (the survey's before them left out).
async fn load(
    base: &str,
    profile: &Profile,
    rate: f64,
    seconds: u64,
    visits: u64,
) -> (Measured, u64) {
    let client = comptoir_load::http_client().unwrap();
    let sites: Vec<SiteCode> = profile.site_shares().into_iter().map(|(s, _)| s).collect();
    let maps = survey::survey(&client, base, &sites).await.unwrap();
    let settings = LoadSettings {
        base: base.to_owned(),
        arrivals_per_second: rate,
        duration: Duration::from_secs(seconds),
        max_visits: visits,
        think_time: Duration::from_millis(20),
        seed: 11,
    };
    let (_stop, stopped) = tokio::sync::watch::channel(false);
    let before = served_requests();
    let measured = run::run(&settings, profile, &maps, client, stopped, &|_| {}).await;
    (measured, served_requests() - before)
}

/// A storefront on the demo catalogue, its search ready, and its address.
async fn demo_shop() -> (comptoir_e2e::TestApp, String) {
    let db = fresh_store(Backend::Sqlite)
        .await
        .expect("SQLite is always there");
    let app = spawn_app(db).await;
    app.search_ready().await;
    let base = format!("http://{}", app.address);
    (app, base)
}

/// Requests the storefront has counted so far (`http_requests_total`), from this
/// process's metrics.
fn served_requests() -> u64 {
    comptoir_web::metrics::recorder()
        .render()
        .lines()
        .filter(|line| line.starts_with("http_requests_total{"))
        .filter_map(|line| line.rsplit(' ').next()?.parse::<f64>().ok())
        .sum::<f64>() as u64
}

/// Forty visits on the four sites, half of them ordering as guests paid at the
/// test bank: every request the model counts, the storefront counted too, and
/// none failed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_load_models_requests_are_the_storefronts() {
    // Installed before the shop starts, so that its requests are counted.
    served_requests();
    let (_app, base) = demo_shop().await;
    let profile = Profile::parse(
        "[campaign]\nvisitors_per_day = 1000\norders_per_day = 500\n\
         [journey]\nadd_to_cart = 0.7\nsearch = 1.0\nsearch_typo = 0.5\nfilter = 1.0\n",
    )
    .unwrap();
    let (measured, served) = load(&base, &profile, 20.0, 60, 40).await;
    assert_eq!(measured.visits_started, 40);
    assert_eq!(measured.errors(), 0, "{:?}", measured.first_errors);
    assert_eq!(
        measured.visits_finished + measured.sold_out,
        40,
        "every visit went to its end"
    );
    assert!(measured.orders >= 10, "{} orders", measured.orders);
    assert_eq!(served, measured.requests());
    assert!(measured.quantile_ms(Class::Checkout, 0.99) > 0.0);
}

/// A tiny shop that answers every page after `delay`: a home page with its
/// search box and a category, the category with a product, the product.
async fn slow_shop(delay: Duration) -> String {
    let page = move |body: &'static str| async move {
        tokio::time::sleep(delay).await;
        Html(body)
    };
    let app = Router::new()
        .route(
            "/es/",
            get(move || {
                page(r#"<form action="/es/buscar" role="search"></form><a href="/es/c/disfraces">x</a>"#)
            }),
        )
        .route(
            "/es/c/disfraces",
            get(move || page(r#"<a href="/es/p/disfraz-de-bruja">x</a>"#)),
        )
        .route("/es/p/disfraz-de-bruja", get(move || page("bruja")));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{address}")
}

/// Visits keep arriving at their rate while the shop takes 400 ms a page: the
/// load is not held back by the answers it waits for, and their latency shows.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn arrivals_keep_their_rate_when_the_server_is_slow() {
    let base = slow_shop(Duration::from_millis(400)).await;
    let profile = Profile::parse(
        "[campaign]\norders_per_day = 0\n[sites]\nes = 1.0\n\
         [journey]\nland_on_home = 1.0\nfilter = 0\nsearch = 0\nproducts_viewed = 1\n\
         add_to_cart = 0\n",
    )
    .unwrap();
    let (measured, _) = load(&base, &profile, 50.0, 4, 1_000).await;
    // 50 a second for 4 s: about 200, whatever the answers' pace (a closed loop of
    // the same visits would have started a few).
    assert!(
        (160..=240).contains(&measured.visits_started),
        "{} visits",
        measured.visits_started
    );
    assert_eq!(measured.dropped, 0);
    assert!(measured.quantile_ms(Class::Page, 0.5) >= 400.0);
}

/// Sizing against a test storefront, with a service level it cannot break and
/// its metrics served: steps rise until the time is up, each with the replica's
/// CPU, and the answer is a lower bound sized from them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sizing_steps_up_until_the_time_is_up() {
    use comptoir_load::sizing::{self, Meters, StepSettings};

    let metrics = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let metrics_url = format!("http://{}/metrics", metrics.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(metrics, comptoir_web::metrics::router()).await });
    let (_app, base) = demo_shop().await;
    let profile = Profile::parse("[slo]\npage_p99_ms = 60000\ncheckout_p99_ms = 60000\n").unwrap();
    let client = comptoir_load::http_client().unwrap();
    let sites: Vec<SiteCode> = profile.site_shares().into_iter().map(|(s, _)| s).collect();
    let maps = survey::survey(&client, &base, &sites).await.unwrap();
    let settings = StepSettings {
        base,
        start_rate: 4.0,
        growth: 2.0,
        step: Duration::from_secs(2),
        max_time: Duration::from_secs(7),
        think_time: Duration::from_millis(20),
        seed: 5,
    };
    let meters = Meters {
        client,
        replicas: vec![metrics_url],
        search: Vec::new(),
        backends: None,
    };
    let (_stop, stopped) = tokio::sync::watch::channel(false);
    let steps = sizing::measure(
        &settings,
        &profile,
        &maps,
        &meters,
        stopped,
        &|_| {},
        &|_| {},
    )
    .await;
    let rates: Vec<f64> = steps.iter().map(|s| s.offered_visits_per_second).collect();
    // Steps of at most 2 s (one ends early once its last visit has), doubling.
    assert!(rates.len() >= 3, "{rates:?}");
    assert!(
        rates.windows(2).all(|pair| pair[1] == 2.0 * pair[0]),
        "{rates:?}"
    );
    assert!(steps.iter().all(|s| s.kept_the_slo), "{steps:?}");
    assert!(
        steps
            .iter()
            .all(|s| s.replica_cpu_seconds.is_some_and(|cpu| cpu > 0.0))
    );
    let answer = sizing::answer(&profile, &steps, 1);
    assert!(answer.lower_bound);
    assert_eq!(Some(&answer.sustainable_visits_per_second), rates.last());
    assert!(answer.cpu_seconds_per_visit.is_some_and(|cpu| cpu > 0.0));
    assert_eq!(answer.search_replicas, 0, "search in process");
    assert!(answer.storefront_replicas >= 2);
    let svg = comptoir_load::sizing_report::svg(&steps, &profile).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("offered visits/s"));
}

/// Told to stop (Ctrl-C), a run ends at once, visits under way included, with
/// what it measured until then.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_run_ends_at_once_with_what_it_measured() {
    let base = slow_shop(Duration::from_millis(400)).await;
    let profile = Profile::parse("[campaign]\norders_per_day = 0\n[sites]\nes = 1.0\n").unwrap();
    let client = comptoir_load::http_client().unwrap();
    let maps = survey::survey(&client, &base, &[SiteCode::Es])
        .await
        .unwrap();
    let settings = LoadSettings {
        base,
        arrivals_per_second: 20.0,
        duration: Duration::from_secs(600),
        max_visits: u64::MAX,
        think_time: Duration::from_millis(100),
        seed: 3,
    };
    let (stop, stopped) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(2)).await;
        stop.send(true).unwrap();
        // Held until the run has ended: a dropped sender is no stop.
        tokio::time::sleep(Duration::from_secs(600)).await;
    });
    let started = std::time::Instant::now();
    let measured = run::run(&settings, &profile, &maps, client, stopped, &|_| {}).await;
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    assert!(measured.visits_started > 10, "{}", measured.visits_started);
    assert!(measured.requests() > 0);
}
