//! What the shop remembers of a shopper between requests, never in a replica's
//! memory: the session (who is logged in, how far the checkout got) through
//! tower-sessions, and the cart under its own cookie, so that an expired session does
//! not lose the cart. Both live in Redis, or in the database without it.

use std::sync::Arc;
use std::time::Duration;

use comptoir_domain::SiteCode;
use comptoir_domain::cart::{Cart, CartLine, Quantity};
use comptoir_domain::catalogue::Sku;
use comptoir_domain::product_options::OptionPicks;
use comptoir_payments::PaymentMethod;
use comptoir_sessions::ShortLived;
use comptoir_store::{Customer, ShopStore};
use comptoir_web::{private_cookie, random_token};
use serde::{Deserialize, Serialize};
use tower_cookies::Cookies;
use tower_cookies::cookie::Cookie;
use tower_sessions::Session;

use crate::HttpError;

/// The cookie naming a shopper's cart.
const CART_COOKIE: &str = "cart";
/// The cart's number of units, for the header's mini-cart (read by a script, so not
/// HttpOnly; it holds nothing secret).
const CART_UNITS_COOKIE: &str = "cart_units";

/// A cart as stored: SKUs, options picked and quantities, never prices.
#[derive(Serialize, Deserialize, Default)]
struct StoredCart {
    lines: Vec<(String, u32)>,
    /// Each line's options (`OptionPicks::code`), in the order of `lines`; carts
    /// stored before options existed lack them.
    #[serde(default)]
    options: Vec<String>,
    /// The coupon code entered, as `CouponCode` keeps it.
    #[serde(default)]
    code: Option<String>,
}

impl StoredCart {
    fn of(cart: &Cart) -> StoredCart {
        StoredCart {
            lines: cart
                .lines
                .iter()
                .map(|line| (line.sku.to_string(), line.quantity.get()))
                .collect(),
            options: cart.lines.iter().map(|line| line.options.code()).collect(),
            code: cart.code.as_ref().map(|code| code.to_string()),
        }
    }

    /// The cart, leaving out lines that no longer parse.
    fn into_cart(self) -> Cart {
        let options = self
            .options
            .into_iter()
            .map(Some)
            .chain(std::iter::repeat(None));
        Cart {
            lines: self
                .lines
                .into_iter()
                .zip(options)
                .filter_map(|((sku, quantity), options)| {
                    Some(CartLine {
                        sku: Sku::parse(&sku).ok()?,
                        options: OptionPicks::parse(options.as_deref().unwrap_or_default())?,
                        quantity: Quantity::new(quantity)?,
                    })
                })
                .collect(),
            code: self
                .code
                .and_then(|code| comptoir_domain::promotions::CouponCode::parse(&code).ok()),
        }
    }
}

/// Carts, in Redis or the database.
#[derive(Clone)]
pub struct Carts {
    state: Arc<dyn ShortLived>,
    /// A cart untouched for this long is forgotten.
    idle: Duration,
    /// Whether cookies are Secure.
    secure: bool,
}

fn cart_key(id: &str) -> String {
    format!("cart:{id}")
}

fn customer_cart_key(customer_id: i64) -> String {
    format!("customer-cart:{customer_id}")
}

/// A cart id from a cookie: only what [`random_token`] makes is accepted.
fn valid_id(id: &str) -> bool {
    id.len() == 64 && id.bytes().all(|b| b.is_ascii_hexdigit())
}

impl Carts {
    pub fn new(state: Arc<dyn ShortLived>, idle: Duration, secure: bool) -> Carts {
        Carts {
            state,
            idle,
            secure,
        }
    }

    /// Whether carts can be reached (Redis, or the database).
    pub async fn ping(&self) -> Result<(), comptoir_sessions::StateError> {
        self.state.ping().await
    }

    pub fn secure(&self) -> bool {
        self.secure
    }

    fn cookie_id(cookies: &Cookies) -> Option<String> {
        cookies
            .get(CART_COOKIE)
            .map(|c| c.value().to_owned())
            .filter(|id| valid_id(id))
    }

    /// The shopper's cart (empty if they have none yet).
    pub async fn load(&self, cookies: &Cookies) -> Result<Cart, HttpError> {
        match Self::cookie_id(cookies) {
            Some(id) => self.load_id(&id).await,
            None => Ok(Cart::default()),
        }
    }

    async fn load_id(&self, id: &str) -> Result<Cart, HttpError> {
        let Some(bytes) = self.state.get(&cart_key(id)).await? else {
            return Ok(Cart::default());
        };
        // A cart that no longer decodes (an older format) is an empty cart.
        let stored: StoredCart = serde_json::from_slice(&bytes).unwrap_or_default();
        Ok(stored.into_cart())
    }

    /// Saves the shopper's cart, giving them a cart cookie if they had none, and
    /// refreshes the mini-cart count.
    pub async fn save(&self, cookies: &Cookies, cart: &Cart) -> Result<(), HttpError> {
        let id = Self::cookie_id(cookies).unwrap_or_else(random_token);
        self.save_id(&id, cart).await?;
        cookies.add(private_cookie(CART_COOKIE, id, self.secure, self.idle));
        self.show_units(cookies, cart);
        Ok(())
    }

    async fn save_id(&self, id: &str, cart: &Cart) -> Result<(), HttpError> {
        let bytes = serde_json::to_vec(&StoredCart::of(cart)).expect("a cart serialises");
        let expires_at = chrono::Utc::now() + self.idle;
        Ok(self.state.put(&cart_key(id), &bytes, expires_at).await?)
    }

    fn show_units(&self, cookies: &Cookies, cart: &Cart) {
        let mut units = private_cookie(
            CART_UNITS_COOKIE,
            cart.units().to_string(),
            self.secure,
            self.idle,
        );
        units.set_http_only(false);
        cookies.add(units);
    }

    /// At login: the guest's cart and the one the customer left last time become one
    /// cart, kept under the guest's cookie and remembered for the customer's next
    /// login.
    pub async fn adopt_at_login(
        &self,
        cookies: &Cookies,
        customer_id: i64,
    ) -> Result<(), HttpError> {
        let mut cart = self.load(cookies).await?;
        let remembered = self
            .state
            .get(&customer_cart_key(customer_id))
            .await?
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .filter(|id| valid_id(id));
        let current = Self::cookie_id(cookies);
        if let Some(previous) = remembered.filter(|id| Some(id) != current.as_ref()) {
            let mut customers = self.load_id(&previous).await?;
            customers.merge(cart);
            cart = customers;
            self.state.delete(&cart_key(&previous)).await?;
        }
        self.save(cookies, &cart).await?;
        let id = Self::cookie_id(cookies).expect("saving gave the shopper a cart cookie");
        let expires_at = chrono::Utc::now() + self.idle;
        self.state
            .put(&customer_cart_key(customer_id), id.as_bytes(), expires_at)
            .await?;
        Ok(())
    }

    /// At logout: the cart stays with the customer's account; this browser starts an
    /// empty one.
    pub fn forget_in_browser(&self, cookies: &Cookies) {
        for name in [CART_COOKIE, CART_UNITS_COOKIE] {
            let mut cookie = Cookie::new(name, "");
            cookie.set_path("/");
            cookies.remove(cookie);
        }
    }

    /// Empties the cart after an order.
    pub async fn clear(&self, cookies: &Cookies) -> Result<(), HttpError> {
        self.save(cookies, &Cart::default()).await
    }
}

/// Session keys.
const SIGNED_IN_KEY: &str = "signed-in";
const PLACED_ORDERS_KEY: &str = "placed-orders";
/// Orders a guest session may look at (its own confirmations).
const MAX_PLACED_ORDERS: usize = 20;

fn checkout_key(site: SiteCode) -> String {
    format!("checkout:{site}")
}

/// Who a session was opened for, and with which password.
#[derive(Debug, Serialize, Deserialize)]
struct SignedIn {
    customer_id: i64,
    /// [`comptoir_accounts::credentials_fingerprint`] of the password hash at login.
    credentials: String,
}

/// The logged-in customer, if any. A session opened before the customer's password
/// last changed is ended here: a new password ends every other session.
pub async fn customer(
    store: &dyn ShopStore,
    session: &Session,
) -> Result<Option<Customer>, HttpError> {
    let Some(signed_in) = session.get::<SignedIn>(SIGNED_IN_KEY).await? else {
        return Ok(None);
    };
    let customer = store.customer(signed_in.customer_id).await?;
    let current = customer.filter(|customer| {
        comptoir_accounts::credentials_fingerprint(&customer.password_hash) == signed_in.credentials
    });
    if current.is_none() {
        session.flush().await?;
    }
    Ok(current)
}

/// Logs `customer` in, under a new session id (no fixation), remembering the
/// password it logged in with.
pub async fn log_in(session: &Session, customer: &Customer) -> Result<(), HttpError> {
    session.cycle_id().await?;
    let signed_in = SignedIn {
        customer_id: customer.id,
        credentials: comptoir_accounts::credentials_fingerprint(&customer.password_hash),
    };
    session.insert(SIGNED_IN_KEY, signed_in).await?;
    Ok(())
}

/// Ends the session: its record is deleted and its cookie removed.
pub async fn log_out(session: &Session) -> Result<(), HttpError> {
    session.flush().await?;
    Ok(())
}

/// How far a shopper got in the checkout of one site.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CheckoutState {
    pub email: String,
    pub name: String,
    pub street: String,
    pub postcode: String,
    pub city: String,
    /// ISO code.
    pub country: String,
    /// International form (`+34612345678`).
    pub phone: String,
    /// The province of an Italian address (`MI`); empty elsewhere.
    pub region: String,
    /// The invoice asked for in a company's (or the shopper's own) name.
    pub invoice: Option<InvoiceRequest>,
    /// Set once the address step is done.
    pub address_done: bool,
    pub payment: Option<PaymentMethod>,
    /// One per checkout attempt: placing it again yields the same order.
    pub idempotency_key: String,
}

/// The invoice details a shopper gave at checkout, checked.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct InvoiceRequest {
    /// The company's name (or the shopper's own).
    pub name: String,
    pub tax_id: String,
    pub street: String,
    pub postcode: String,
    pub city: String,
    /// ISO code.
    pub country: String,
    /// What VIES said of `tax_id`, asked when the order goes to another member
    /// state: confirmed, the order is an exempt intra-community supply.
    #[serde(default)]
    pub vies: Option<crate::vies::ViesCheck>,
}

pub async fn checkout_state(
    session: &Session,
    site: SiteCode,
) -> Result<Option<CheckoutState>, HttpError> {
    Ok(session.get(&checkout_key(site)).await?)
}

pub async fn save_checkout_state(
    session: &Session,
    site: SiteCode,
    state: &CheckoutState,
) -> Result<(), HttpError> {
    Ok(session.insert(&checkout_key(site), state).await?)
}

/// After an order: the checkout is over; the session may show that order.
pub async fn finish_checkout(
    session: &Session,
    site: SiteCode,
    order_id: i64,
) -> Result<(), HttpError> {
    session.remove_value(&checkout_key(site)).await?;
    remember_order(session, order_id).await
}

pub async fn remember_order(session: &Session, order_id: i64) -> Result<(), HttpError> {
    let mut placed: Vec<i64> = session.get(PLACED_ORDERS_KEY).await?.unwrap_or_default();
    if !placed.contains(&order_id) {
        placed.push(order_id);
        if placed.len() > MAX_PLACED_ORDERS {
            placed.remove(0);
        }
        session.insert(PLACED_ORDERS_KEY, placed).await?;
    }
    Ok(())
}

/// Whether this session placed the order (a guest's own confirmation page).
pub async fn placed_here(session: &Session, order_id: i64) -> Result<bool, HttpError> {
    let placed: Vec<i64> = session.get(PLACED_ORDERS_KEY).await?.unwrap_or_default();
    Ok(placed.contains(&order_id))
}
