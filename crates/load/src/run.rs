//! A load run: visits arrive at the target rate, open loop (each at its own time
//! drawn in advance, whether or not the shop has answered the visits before: a
//! slow shop does not slow the load and so cannot hide its latency), each one
//! planned from the profile and walked with pauses; every request is timed into
//! an HDR histogram of its action. Bounded by time and by count; stops at once
//! when told.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::journey::{self, Action, Class};
use crate::profile::Profile;
use crate::survey::{SiteMap, with_typo};
use crate::visitor::{Page, Visitor};

/// Visits under way at most: beyond, an arrival is dropped and counted (the
/// generator cannot keep up, and says so).
const MAX_VISITS_UNDER_WAY: usize = 50_000;

/// How to load.
#[derive(Debug, Clone)]
pub struct LoadSettings {
    /// Target, `http://127.0.0.1:8080`.
    pub base: String,
    pub arrivals_per_second: f64,
    pub duration: Duration,
    /// Visits started at most.
    pub max_visits: u64,
    /// Mean pause between two actions of a visit.
    pub think_time: Duration,
    pub seed: u64,
}

/// An action's requests: how long each took, how many failed.
#[derive(Debug, Clone)]
pub struct ActionStats {
    /// Microseconds.
    pub latency: Histogram<u64>,
    pub errors: u64,
}

impl ActionStats {
    fn new() -> ActionStats {
        ActionStats {
            latency: Histogram::new_with_bounds(1, 120_000_000, 3).expect("valid bounds"),
            errors: 0,
        }
    }

    pub fn requests(&self) -> u64 {
        self.latency.len()
    }
}

/// What a run measured.
#[derive(Debug, Clone, Default)]
pub struct Measured {
    pub actions: HashMap<Action, ActionStats>,
    pub visits_started: u64,
    pub visits_finished: u64,
    pub orders: u64,
    /// Visits that found what they wanted sold out (not an error of the shop).
    pub sold_out: u64,
    /// Arrivals not started: the generator was behind.
    pub dropped: u64,
    /// How late, at worst, a visit started after its arrival time: a generator
    /// short of CPU falls behind its schedule.
    pub worst_start_lag: Duration,
    pub elapsed: Duration,
    /// The first errors, to tell the operator what went wrong.
    pub first_errors: Vec<String>,
}

impl Measured {
    pub fn requests(&self) -> u64 {
        self.actions.values().map(ActionStats::requests).sum()
    }

    pub fn errors(&self) -> u64 {
        self.actions.values().map(|a| a.errors).sum()
    }

    pub fn error_rate(&self) -> f64 {
        let requests = self.requests();
        if requests == 0 {
            0.0
        } else {
            self.errors() as f64 / requests as f64
        }
    }

    /// The latency of every request of a class, merged.
    pub fn class(&self, class: Class) -> Histogram<u64> {
        let mut merged = ActionStats::new().latency;
        for (action, stats) in &self.actions {
            if action.class() == class {
                merged.add(&stats.latency).expect("same bounds");
            }
        }
        merged
    }

    /// A class's latency at `quantile`, in milliseconds (0 without requests).
    pub fn quantile_ms(&self, class: Class, quantile: f64) -> f64 {
        let histogram = self.class(class);
        if histogram.is_empty() {
            0.0
        } else {
            histogram.value_at_quantile(quantile) as f64 / 1_000.0
        }
    }

    fn record(&mut self, action: Action, elapsed: Duration, failure: Option<String>) {
        let stats = self.actions.entry(action).or_insert_with(ActionStats::new);
        let micros = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX);
        stats.latency.saturating_record(micros.max(1));
        if let Some(failure) = failure {
            stats.errors += 1;
            if self.first_errors.len() < 10 {
                self.first_errors
                    .push(format!("{}: {failure}", action.name()));
            }
        }
    }
}

/// What the run tells while it goes, once a second.
#[derive(Debug, Clone)]
pub struct Progress {
    pub elapsed: Duration,
    pub visits_started: u64,
    pub visits_under_way: usize,
    pub requests: u64,
    pub errors: u64,
    pub page_p99_ms: f64,
}

/// Runs the load until the duration or the count is reached, or `stop` turns
/// true; returns what was measured (so far, when stopped).
pub async fn run(
    settings: &LoadSettings,
    profile: &Profile,
    sites: &[SiteMap],
    client: reqwest::Client,
    mut stop: watch::Receiver<bool>,
    progress: &(dyn Fn(&Progress) + Sync),
) -> Measured {
    let measured = Arc::new(Mutex::new(Measured::default()));
    let started = Instant::now();
    let deadline = started + settings.duration;
    let mut rng = fastrand::Rng::with_seed(settings.seed);
    let mut visits: JoinSet<()> = JoinSet::new();
    let mut next_arrival = started;
    let mut next_progress = started + Duration::from_secs(1);
    let mut started_visits = 0u64;
    loop {
        // The next arrival, drawn ahead: exponential gaps make a Poisson stream.
        let gap = -(1.0 - rng.f64()).ln() / settings.arrivals_per_second;
        next_arrival += Duration::from_secs_f64(gap);
        if next_arrival >= deadline || started_visits >= settings.max_visits {
            break;
        }
        while next_progress <= next_arrival {
            tokio::select! {
                _ = tokio::time::sleep_until(next_progress.into()) => {}
                _ = stop_requested(&mut stop) => break,
            }
            if *stop.borrow() {
                break;
            }
            progress(&snapshot(&measured, started, started_visits, visits.len()));
            next_progress += Duration::from_secs(1);
        }
        if *stop.borrow() {
            break;
        }
        tokio::select! {
            _ = tokio::time::sleep_until(next_arrival.into()) => {}
            _ = stop_requested(&mut stop) => {}
        }
        if *stop.borrow() {
            break;
        }
        let lag = Instant::now().saturating_duration_since(next_arrival);
        {
            let mut measured = measured.lock().expect("not poisoned");
            measured.worst_start_lag = measured.worst_start_lag.max(lag);
        }
        while visits.try_join_next().is_some() {}
        if visits.len() >= MAX_VISITS_UNDER_WAY {
            measured.lock().expect("not poisoned").dropped += 1;
            continue;
        }
        started_visits += 1;
        let plan = journey::plan(profile, &mut rng);
        let Some(site) = sites.iter().find(|map| map.site == plan.site).cloned() else {
            continue;
        };
        let visit = Visit {
            visitor: Visitor::new(client.clone(), &settings.base),
            site,
            rng: fastrand::Rng::with_seed(rng.u64(..)),
            think_time: settings.think_time,
            deadline,
            measured: measured.clone(),
            number: started_visits,
        };
        visits.spawn(visit.walk(plan));
    }
    // Visits under way finish their current request, up to the deadline; a stop
    // ends them at once.
    if *stop.borrow() {
        visits.abort_all();
    } else {
        let wait = deadline.saturating_duration_since(Instant::now());
        tokio::select! {
            _ = async { while visits.join_next().await.is_some() {} } => {}
            _ = tokio::time::sleep(wait) => {}
            _ = stop_requested(&mut stop) => {}
        }
        visits.abort_all();
    }
    while visits.join_next().await.is_some() {}
    let mut measured = measured.lock().expect("not poisoned").clone();
    measured.visits_started = started_visits;
    measured.elapsed = started.elapsed();
    measured
}

/// Resolves when the run is told to stop; never, when no one can tell it.
async fn stop_requested(stop: &mut watch::Receiver<bool>) {
    if stop.wait_for(|stopped| *stopped).await.is_err() {
        std::future::pending::<()>().await;
    }
}

fn snapshot(
    measured: &Mutex<Measured>,
    started: Instant,
    visits_started: u64,
    under_way: usize,
) -> Progress {
    let measured = measured.lock().expect("not poisoned");
    Progress {
        elapsed: started.elapsed(),
        visits_started,
        visits_under_way: under_way,
        requests: measured.requests(),
        errors: measured.errors(),
        page_p99_ms: measured.quantile_ms(Class::Page, 0.99),
    }
}

/// One visit under way.
struct Visit {
    visitor: Visitor,
    site: SiteMap,
    rng: fastrand::Rng,
    think_time: Duration,
    deadline: Instant,
    measured: Arc<Mutex<Measured>>,
    number: u64,
}

/// Why a visit ended early.
enum Done {
    /// What the visit wanted is sold out: it ends, the shop did no wrong.
    SoldOut,
    /// The shop answered wrongly or not at all: the visitor leaves.
    Failed,
}

impl Visit {
    async fn walk(mut self, plan: journey::Plan) {
        let mut product: Option<Page> = None;
        let mut attempt = String::new();
        let mut bank: Option<(String, String)> = None;
        for (at, action) in plan.actions.iter().enumerate() {
            if at > 0 {
                let pause = -(1.0 - self.rng.f64()).ln() * self.think_time.as_secs_f64();
                let resume = Instant::now() + Duration::from_secs_f64(pause);
                if resume >= self.deadline {
                    return;
                }
                tokio::time::sleep_until(resume.into()).await;
            }
            let done = match action {
                Action::Home => {
                    let home = self.site.home.clone();
                    self.get(*action, &home, 200).await.map(|_| ())
                }
                Action::Category => {
                    let path = self.pick(&self.site.categories.clone());
                    self.get(*action, &path, 200).await.map(|_| ())
                }
                Action::Filter => {
                    let list = if self.site.filters.is_empty() {
                        self.site.categories.clone()
                    } else {
                        self.site.filters.clone()
                    };
                    let path = self.pick(&list);
                    self.get(*action, &path, 200).await.map(|_| ())
                }
                Action::Search => {
                    let mut word = self.pick(&self.site.words.clone());
                    if plan.typo {
                        word = with_typo(&word, &mut self.rng);
                    }
                    let query: String = form_urlencoded::Serializer::new(String::new())
                        .append_pair("q", &word)
                        .finish();
                    let path = format!("{}?{query}", self.site.search);
                    self.get(*action, &path, 200).await.map(|_| ())
                }
                Action::Product => {
                    let path = self.pick(&self.site.products.clone());
                    self.get(*action, &path, 200).await.map(|page| {
                        product = Some(page);
                    })
                }
                Action::AddToCart => self.add_to_cart(product.as_ref()).await,
                Action::StartCheckout => {
                    let path = format!("/{}/checkout", self.site.site);
                    self.follow_get(*action, &path).await
                }
                Action::Address => self.address().await,
                Action::Payment => {
                    let path = format!("/{}/checkout/payment", self.site.site);
                    match self
                        .post_and_follow(*action, &path, &[("method", "card")])
                        .await
                    {
                        Ok(review) => {
                            attempt = review.hidden("attempt").unwrap_or_default();
                            Ok(())
                        }
                        Err(done) => Err(done),
                    }
                }
                Action::PlaceOrder => match self.place(&attempt).await {
                    Ok(answer) => {
                        bank = Some(answer);
                        Ok(())
                    }
                    Err(done) => Err(done),
                },
                Action::Pay => self.pay(bank.take()).await,
            };
            match done {
                Ok(()) => {}
                Err(Done::SoldOut) => {
                    self.measured.lock().expect("not poisoned").sold_out += 1;
                    return;
                }
                Err(Done::Failed) => return,
            }
        }
        let mut measured = self.measured.lock().expect("not poisoned");
        measured.visits_finished += 1;
        if plan.actions.contains(&Action::Pay) {
            measured.orders += 1;
        }
    }

    fn pick(&mut self, list: &[String]) -> String {
        if list.is_empty() {
            return self.site.home.clone();
        }
        list[self.rng.usize(..list.len())].clone()
    }

    fn record(&self, action: Action, page: &Page, failure: Option<String>) {
        self.measured
            .lock()
            .expect("not poisoned")
            .record(action, page.elapsed, failure);
    }

    /// A request answered with `status`, timed into `action`.
    async fn get(&mut self, action: Action, path: &str, status: u16) -> Result<Page, Done> {
        let answer = self.visitor.get(path).await;
        self.expect(action, &format!("GET {path}"), answer, status)
    }

    async fn post(
        &mut self,
        action: Action,
        path: &str,
        fields: &[(&str, &str)],
        status: u16,
    ) -> Result<Page, Done> {
        let answer = self.visitor.post(path, fields).await;
        self.expect(action, &format!("POST {path}"), answer, status)
    }

    fn expect(
        &self,
        action: Action,
        request: &str,
        answer: Result<Page, crate::visitor::Unanswered>,
        status: u16,
    ) -> Result<Page, Done> {
        match answer {
            Ok(page) if page.status == status => {
                self.record(action, &page, None);
                Ok(page)
            }
            Ok(page) => {
                let failure = format!("{request} answered {} (wanted {status})", page.status);
                self.record(action, &page, Some(failure));
                Err(Done::Failed)
            }
            Err(unanswered) => {
                let mut measured = self.measured.lock().expect("not poisoned");
                let stats = measured
                    .actions
                    .entry(action)
                    .or_insert_with(ActionStats::new);
                stats.errors += 1;
                if measured.first_errors.len() < 10 {
                    measured
                        .first_errors
                        .push(format!("{}: {request}: {unanswered}", action.name()));
                }
                Err(Done::Failed)
            }
        }
    }

    /// A request answered 303, then the page it leads to.
    async fn follow_get(&mut self, action: Action, path: &str) -> Result<(), Done> {
        let moved = self.get(action, path, 303).await?;
        let to = moved.location.ok_or(Done::Failed)?;
        self.get(action, &to, 200).await.map(|_| ())
    }

    async fn post_and_follow(
        &mut self,
        action: Action,
        path: &str,
        fields: &[(&str, &str)],
    ) -> Result<Page, Done> {
        let moved = self.post(action, path, fields, 303).await?;
        let to = moved.location.ok_or(Done::Failed)?;
        self.get(action, &to, 200).await
    }

    /// The first size still sold of the product last seen, into the cart; a size
    /// sold out meanwhile (409) ends the visit as sold out.
    async fn add_to_cart(&mut self, product: Option<&Page>) -> Result<(), Done> {
        let variant = product.and_then(available_variant).ok_or(Done::SoldOut)?;
        let path = format!("/{}/cart/add", self.site.site);
        let answer = self
            .visitor
            .post(&path, &[("variant", &variant), ("quantity", "1")])
            .await;
        if let Ok(page) = &answer
            && page.status == 409
        {
            self.record(Action::AddToCart, page, None);
            return Err(Done::SoldOut);
        }
        let added = self.expect(Action::AddToCart, &format!("POST {path}"), answer, 303)?;
        let cart = added.location.ok_or(Done::Failed)?;
        self.get(Action::AddToCart, &cart, 200).await.map(|_| ())
    }

    async fn address(&mut self) -> Result<(), Done> {
        let site = self.site.site;
        // An address at home on each site (Italy's with its province).
        let (postcode, city, country, phone, region) = match site {
            comptoir_domain::SiteCode::Es => ("28013", "Madrid", "ES", "612345678", ""),
            comptoir_domain::SiteCode::Fr => ("75001", "Paris", "FR", "0612345678", ""),
            comptoir_domain::SiteCode::Pt => ("1100-148", "Lisboa", "PT", "912345678", ""),
            comptoir_domain::SiteCode::It => ("00184", "Roma", "IT", "3123456789", "RM"),
        };
        let email = format!("carga-{}@example.com", self.number);
        let fields = [
            ("email", email.as_str()),
            ("name", "Carga Prueba"),
            ("street", "Calle Mayor 1"),
            ("postcode", postcode),
            ("city", city),
            ("country", country),
            ("phone", phone),
            ("region", region),
        ];
        let path = format!("/{site}/checkout/address");
        self.post_and_follow(Action::Address, &path, &fields)
            .await
            .map(|_| ())
    }

    /// Places the order and opens the bank's form: its signed parameters.
    async fn place(&mut self, attempt: &str) -> Result<(String, String), Done> {
        let site = self.site.site;
        let path = format!("/{site}/checkout/place");
        let placed = self
            .post(
                Action::PlaceOrder,
                &path,
                &[("attempt", attempt), ("accept_terms", "1")],
                303,
            )
            .await?;
        let to = placed.location.ok_or(Done::Failed)?;
        if to.contains("sold-out") {
            return Err(Done::SoldOut);
        }
        let pay = self.get(Action::PlaceOrder, &to, 200).await?;
        let parameters = pay.hidden("Ds_MerchantParameters").ok_or(Done::Failed)?;
        let signature = pay.hidden("Ds_Signature").ok_or(Done::Failed)?;
        let bank = format!("/{site}/test-bank");
        self.post(
            Action::PlaceOrder,
            &bank,
            &[
                ("Ds_SignatureVersion", "HMAC_SHA256_V1"),
                ("Ds_MerchantParameters", &parameters),
                ("Ds_Signature", &signature),
            ],
            200,
        )
        .await?;
        Ok((parameters, signature))
    }

    /// Approves the payment at the test bank and sees the paid order.
    async fn pay(&mut self, bank: Option<(String, String)>) -> Result<(), Done> {
        let (parameters, signature) = bank.ok_or(Done::Failed)?;
        let path = format!("/{}/test-bank/answer", self.site.site);
        self.post_and_follow(
            Action::Pay,
            &path,
            &[
                ("merchant_parameters", &parameters),
                ("signature", &signature),
                ("decision", "approve"),
            ],
        )
        .await
        .map(|_| ())
    }
}

/// The first variant a product page offers that is not sold out.
fn available_variant(page: &Page) -> Option<String> {
    let marker = "name=\"variant\" value=\"";
    let mut rest = page.body.as_str();
    while let Some(at) = rest.find(marker) {
        rest = &rest[at + marker.len()..];
        let end = rest.find('"')?;
        let tag_end = rest.find('>').unwrap_or(rest.len());
        if !rest[..tag_end].contains("disabled") {
            return Some(rest[..end].to_owned());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_size_still_sold_is_chosen() {
        let page = Page {
            status: 200,
            body: r#"<input type="radio" name="variant" value="BRUJA-S" required disabled>
                     <input type="radio" name="variant" value="BRUJA-M" required>"#
                .to_owned(),
            location: None,
            elapsed: Duration::ZERO,
        };
        assert_eq!(available_variant(&page).as_deref(), Some("BRUJA-M"));
    }

    #[test]
    fn a_class_merges_its_actions_and_errors_count_per_request() {
        let mut measured = Measured::default();
        measured.record(Action::Home, Duration::from_millis(2), None);
        measured.record(Action::Product, Duration::from_millis(4), None);
        measured.record(Action::Pay, Duration::from_millis(40), Some("500".into()));
        assert_eq!(measured.requests(), 3);
        assert_eq!(measured.class(Class::Page).len(), 2);
        assert!((measured.quantile_ms(Class::Checkout, 0.99) - 40.0).abs() < 0.1);
        assert!((measured.error_rate() - 1.0 / 3.0).abs() < 1e-9);
        assert_eq!(measured.first_errors, ["pay: 500"]);
    }
}
