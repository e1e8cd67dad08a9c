//! Payments: what card gateways need, kept apart from I/O. Today: Redsys, the card
//! gateway Spanish shops use.

pub mod redsys;
