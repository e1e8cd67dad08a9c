//! What one shopper does, planned from the profile's shares before the visit
//! starts: the actions (each a page a person looks at, then thinks), and the
//! requests each one makes. The model's arithmetic ([`crate::model`]) counts the
//! same actions, so what is simulated is what is sized.

use comptoir_domain::SiteCode;

use crate::profile::Profile;

/// A thing a shopper does between two pauses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    /// Lands on the home page.
    Home,
    /// Lands on, or opens, a category.
    Category,
    /// Narrows the category by a facet (a theme, a size...).
    Filter,
    /// Searches, sometimes with a typo.
    Search,
    Product,
    /// Adds the product to the cart, then sees the cart.
    AddToCart,
    /// From the cart to the checkout's address form.
    StartCheckout,
    /// Sends the address, then sees the payment choice.
    Address,
    /// Chooses the card, then sees the review.
    Payment,
    /// Places the order and is sent to the bank's page.
    PlaceOrder,
    /// Approves the payment at the test bank, then sees the paid order.
    Pay,
}

/// Whether an action's latency counts against the pages' objective or the
/// checkout's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Class {
    Page,
    Checkout,
}

impl Action {
    pub const ALL: [Action; 11] = [
        Action::Home,
        Action::Category,
        Action::Filter,
        Action::Search,
        Action::Product,
        Action::AddToCart,
        Action::StartCheckout,
        Action::Address,
        Action::Payment,
        Action::PlaceOrder,
        Action::Pay,
    ];

    /// The HTTP requests it makes, as a browser does (a form's redirect followed).
    pub fn requests(self) -> u32 {
        match self {
            Action::Home | Action::Category | Action::Filter | Action::Search | Action::Product => {
                1
            }
            // A post answered 303, and the page it leads to.
            Action::AddToCart | Action::Address | Action::Payment | Action::Pay => 2,
            // `/checkout` redirects to its first step.
            Action::StartCheckout => 2,
            // The order placed (303), the payment page, its form to the bank.
            Action::PlaceOrder => 3,
        }
    }

    pub fn class(self) -> Class {
        match self {
            Action::Home | Action::Category | Action::Filter | Action::Search | Action::Product => {
                Class::Page
            }
            _ => Class::Checkout,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Action::Home => "home",
            Action::Category => "category",
            Action::Filter => "filter",
            Action::Search => "search",
            Action::Product => "product",
            Action::AddToCart => "add to cart",
            Action::StartCheckout => "checkout",
            Action::Address => "address",
            Action::Payment => "payment",
            Action::PlaceOrder => "place order",
            Action::Pay => "pay",
        }
    }
}

/// The checkout's actions, from the cart to the paid order.
pub const CHECKOUT: [Action; 5] = [
    Action::StartCheckout,
    Action::Address,
    Action::Payment,
    Action::PlaceOrder,
    Action::Pay,
];

/// One visit, planned.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub site: SiteCode,
    pub actions: Vec<Action>,
    /// Whether the search, if any, has a typo.
    pub typo: bool,
}

/// Plans a visit: where it lands, whether it filters and searches, how many
/// products it opens (a geometric number with the profile's mean, at least one),
/// whether it adds to the cart and whether it then orders (so that the share of
/// visits ordering is the profile's conversion).
pub fn plan(profile: &Profile, rng: &mut fastrand::Rng) -> Plan {
    let journey = &profile.journey;
    let mut actions = Vec::new();
    let home = rng.f64() < journey.land_on_home;
    actions.push(if home { Action::Home } else { Action::Category });
    if rng.f64() < journey.filter {
        if home {
            actions.push(Action::Category);
        }
        actions.push(Action::Filter);
    }
    let typo = rng.f64() < journey.search_typo;
    if rng.f64() < journey.search {
        actions.push(Action::Search);
    }
    for _ in 0..products_viewed(journey.products_viewed, rng) {
        actions.push(Action::Product);
    }
    if rng.f64() < journey.add_to_cart {
        actions.push(Action::AddToCart);
        if rng.f64() < profile.conversion() / journey.add_to_cart {
            actions.extend(CHECKOUT);
        }
    }
    Plan {
        site: site(profile, rng),
        actions,
        typo,
    }
}

/// A geometric count with mean `mean` (at least 1): a shopper keeps browsing with
/// the same chance after each product.
fn products_viewed(mean: f64, rng: &mut fastrand::Rng) -> u32 {
    let go_on = 1.0 - 1.0 / mean.max(1.0);
    let mut viewed = 1;
    while rng.f64() < go_on && viewed < 100 {
        viewed += 1;
    }
    viewed
}

fn site(profile: &Profile, rng: &mut fastrand::Rng) -> SiteCode {
    let shares = profile.site_shares();
    let mut pick = rng.f64();
    for (site, share) in &shares {
        if pick < *share {
            return *site;
        }
        pick -= share;
    }
    shares.last().map_or(SiteCode::Es, |(site, _)| *site)
}

/// The mean actions and requests of a visit under `profile`: what [`plan`] does,
/// in expectation.
pub fn expected(profile: &Profile) -> (f64, f64) {
    let j = &profile.journey;
    let mut actions: Vec<(Action, f64)> = vec![
        (Action::Home, j.land_on_home),
        (Action::Category, 1.0 - j.land_on_home),
        (Action::Category, j.land_on_home * j.filter),
        (Action::Filter, j.filter),
        (Action::Search, j.search),
        (Action::Product, j.products_viewed.max(1.0)),
        (Action::AddToCart, j.add_to_cart),
    ];
    actions.extend(CHECKOUT.map(|action| (action, profile.conversion())));
    let count = actions.iter().map(|(_, times)| times).sum();
    let requests = actions
        .iter()
        .map(|(action, times)| f64::from(action.requests()) * times)
        .sum();
    (count, requests)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn planned_visits_average_what_the_model_expects() {
        let profile = Profile::default();
        let mut rng = fastrand::Rng::with_seed(7);
        let visits = 200_000u32;
        let (mut actions, mut requests, mut orders) = (0usize, 0u64, 0usize);
        let mut spanish = 0;
        for _ in 0..visits {
            let plan = plan(&profile, &mut rng);
            actions += plan.actions.len();
            requests += plan
                .actions
                .iter()
                .map(|a| u64::from(a.requests()))
                .sum::<u64>();
            orders += usize::from(plan.actions.contains(&Action::Pay));
            spanish += usize::from(plan.site == SiteCode::Es);
        }
        let (expected_actions, expected_requests) = expected(&profile);
        let mean = |total: f64| total / f64::from(visits);
        assert!((mean(actions as f64) - expected_actions).abs() < 0.03);
        assert!((mean(requests as f64) - expected_requests).abs() < 0.05);
        assert!((mean(orders as f64) - profile.conversion()).abs() < 0.001);
        assert!((mean(spanish as f64) - 0.55).abs() < 0.005);
    }

    #[test]
    fn every_visit_lands_and_sees_a_product() {
        let profile = Profile::default();
        let mut rng = fastrand::Rng::with_seed(1);
        for _ in 0..1_000 {
            let plan = plan(&profile, &mut rng);
            assert!(matches!(plan.actions[0], Action::Home | Action::Category));
            assert!(plan.actions.contains(&Action::Product));
            if plan.actions.contains(&Action::Pay) {
                assert!(plan.actions.ends_with(&CHECKOUT), "{plan:?}");
            }
        }
    }
}
