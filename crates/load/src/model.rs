//! The campaign's arithmetic, from the profile to requests per second and from one
//! replica's measured capacity to the replicas and cost the campaign needs.
//!
//! Little's law: shoppers on the site at once (N) = visits arriving per second (λ)
//! × how long a visit lasts (W). A visit lasts its pauses between actions (the
//! server's time is small beside a person's think time), so λ = N / W at the peak.

use crate::journey;
use crate::profile::Profile;

/// What the campaign asks of the shop at its peak.
#[derive(Debug, Clone, PartialEq)]
pub struct Demand {
    /// Mean actions (pages looked at) and HTTP requests of one visit.
    pub actions_per_visit: f64,
    pub requests_per_visit: f64,
    /// How long a visit lasts, in seconds.
    pub visit_seconds: f64,
    /// Visits arriving per second at the peak: the larger of what the peak's
    /// concurrent shoppers and the busiest hour of the day's visitors give.
    pub peak_arrivals_per_second: f64,
    pub peak_requests_per_second: f64,
    pub peak_orders_per_second: f64,
    /// Visits arriving per second in each hour of the day.
    pub hourly_arrivals_per_second: Vec<f64>,
}

impl Demand {
    pub fn of(profile: &Profile) -> Demand {
        let (actions, requests) = journey::expected(profile);
        let visit_seconds = visit_seconds(actions, profile.journey.think_time_seconds);
        let campaign = &profile.campaign;
        let from_shoppers = campaign.peak_concurrent_shoppers / visit_seconds;
        let weights = &campaign.hourly_traffic;
        let total: f64 = weights.iter().sum();
        let busiest = weights.iter().copied().fold(0.0, f64::max);
        let from_day = campaign.visitors_per_day * busiest / total / 3_600.0;
        let peak = from_shoppers.max(from_day);
        Demand {
            actions_per_visit: actions,
            requests_per_visit: requests,
            visit_seconds,
            peak_arrivals_per_second: peak,
            peak_requests_per_second: peak * requests,
            peak_orders_per_second: peak * profile.conversion(),
            hourly_arrivals_per_second: weights.iter().map(|w| peak * w / busiest).collect(),
        }
    }

    /// Concurrent shoppers that `arrivals_per_second` visits make (Little's law).
    pub fn shoppers_at(&self, arrivals_per_second: f64) -> f64 {
        arrivals_per_second * self.visit_seconds
    }
}

/// A visit's length: a pause before each action but the first.
pub fn visit_seconds(actions: f64, think_time_seconds: f64) -> f64 {
    (actions - 1.0).max(1.0) * think_time_seconds
}

/// Replicas that carry `load` with `headroom` spare when each carries
/// `per_replica`; never fewer than `minimum`.
pub fn replicas(load: f64, per_replica: f64, headroom: f64, minimum: u32) -> u32 {
    if per_replica <= 0.0 {
        return minimum;
    }
    let needed = (load * (1.0 + headroom) / per_replica - 1e-9).ceil();
    (needed.max(0.0) as u32).max(minimum)
}

/// What the campaign's storefront tier costs per day: scaled hour by hour to the
/// traffic, against a fixed setup sized for the peak all day.
#[derive(Debug, Clone, PartialEq)]
pub struct DailyCost {
    pub replicas_per_hour: Vec<u32>,
    /// Instance-hours and their cost, scaled with the traffic.
    pub scaled_instance_hours: u32,
    pub scaled: f64,
    /// The peak's replicas, all day.
    pub always_on: f64,
}

impl DailyCost {
    /// `per_replica`: visits per second one replica carries.
    pub fn of(profile: &Profile, demand: &Demand, per_replica: f64, price_per_hour: f64) -> Self {
        let sizing = &profile.sizing;
        let replicas_per_hour: Vec<u32> = demand
            .hourly_arrivals_per_second
            .iter()
            .map(|rate| {
                replicas(
                    *rate,
                    per_replica,
                    sizing.headroom,
                    sizing.min_storefront_replicas,
                )
            })
            .collect();
        let peak = replicas(
            demand.peak_arrivals_per_second,
            per_replica,
            sizing.headroom,
            sizing.min_storefront_replicas,
        );
        let scaled_instance_hours: u32 = replicas_per_hour.iter().sum();
        DailyCost {
            scaled: f64::from(scaled_instance_hours) * price_per_hour,
            always_on: f64::from(peak) * 24.0 * price_per_hour,
            replicas_per_hour,
            scaled_instance_hours,
        }
    }

    /// The share saved by scaling with the traffic.
    pub fn saving(&self) -> f64 {
        if self.always_on <= 0.0 {
            0.0
        } else {
            1.0 - self.scaled / self.always_on
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn littles_law_gives_the_peak_arrival_rate() {
        // 4 000 shoppers, visits of 10 actions with 15 s pauses: 135 s each.
        assert_eq!(visit_seconds(10.0, 15.0), 135.0);
        let profile = Profile::default();
        let demand = Demand::of(&profile);
        let expected = 4_000.0 / demand.visit_seconds;
        assert!(demand.peak_arrivals_per_second >= expected);
        assert!((demand.shoppers_at(expected) - 4_000.0).abs() < 1e-6);
        assert!(
            (demand.peak_requests_per_second
                - demand.peak_arrivals_per_second * demand.requests_per_visit)
                .abs()
                < 1e-9
        );
        assert!(
            (demand.peak_orders_per_second - demand.peak_arrivals_per_second * 4_250.0 / 240_000.0)
                .abs()
                < 1e-9
        );
    }

    #[test]
    fn the_busiest_hour_sets_the_peak_when_the_shoppers_say_less() {
        let profile = Profile::parse(
            "[campaign]\npeak_concurrent_shoppers = 10\nhourly_traffic = \
             [1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]",
        )
        .unwrap();
        let demand = Demand::of(&profile);
        // 240 000 visitors spread evenly: 10 000 an hour.
        assert!((demand.peak_arrivals_per_second - 10_000.0 / 3_600.0).abs() < 1e-9);
        assert_eq!(demand.hourly_arrivals_per_second.len(), 24);
    }

    #[test]
    fn replicas_round_up_with_headroom_and_a_floor() {
        assert_eq!(replicas(100.0, 50.0, 0.0, 1), 2);
        assert_eq!(replicas(100.0, 50.0, 0.3, 1), 3, "130 / 50 = 2.6");
        assert_eq!(replicas(10.0, 50.0, 0.3, 2), 2, "never below the floor");
        assert_eq!(replicas(0.0, 50.0, 0.3, 1), 1);
        assert_eq!(replicas(77.0, 0.0, 0.3, 2), 2, "no capacity measured");
    }

    #[test]
    fn scaling_with_the_traffic_costs_less_than_the_peak_all_day() {
        let profile = Profile::default();
        let demand = Demand::of(&profile);
        let per_replica = demand.peak_arrivals_per_second / 4.0;
        let cost = DailyCost::of(&profile, &demand, per_replica, 0.10);
        // The peak: 4 × 1.3 = 5.2, so 6 replicas, all day.
        assert!((cost.always_on - 6.0 * 24.0 * 0.10).abs() < 1e-9);
        assert_eq!(cost.replicas_per_hour.iter().max(), Some(&6));
        assert_eq!(cost.replicas_per_hour[3], 2, "the night's floor");
        assert!(cost.saving() > 0.3, "{}", cost.saving());
    }
}
