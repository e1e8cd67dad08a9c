//! What handlers are given instead of plumbing, each an extractor: the shop a
//! request is for ([`Shop`]), the customer logged in ([`SignedIn`]), the checkout
//! under way ([`ActiveCheckout`]) and the client's address ([`ClientAddress`]).

mod checkout;
mod client;
mod customer;
mod shop;

pub use checkout::ActiveCheckout;
pub use client::ClientAddress;
pub use customer::SignedIn;
pub use shop::{Buyer, Shop};
