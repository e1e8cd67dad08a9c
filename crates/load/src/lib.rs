//! Campaign sizing from measurements. A campaign profile ([`profile`]) says how
//! many shoppers come, where, and what they do; [`journey`] plans each visit from
//! it; the load model replays visits against a running shop at a target arrival
//! rate, open loop, timing every request; [`model`] turns the peak into requests
//! per second and one replica's measured capacity into replicas and cost.

pub mod journey;
pub mod model;
pub mod profile;
