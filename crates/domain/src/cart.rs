//! The cart: which variants, with which options, how many, and the coupon code the
//! shopper entered. Prices are never kept in a cart: they are computed from the
//! catalogue each time the cart is shown or ordered.

use crate::catalogue::Sku;
use crate::product_options::OptionPicks;
use crate::promotions::CouponCode;

/// How many units of one variant a line may hold.
pub const MAX_QUANTITY: u32 = 99;
/// How many different variants a cart may hold.
pub const MAX_LINES: usize = 50;

/// A quantity typed by a shopper: a whole number from 1 to [`MAX_QUANTITY`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Quantity(u32);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CartError {
    #[error("a quantity is a whole number from 1 to {MAX_QUANTITY}")]
    Quantity,
    #[error("a cart holds at most {MAX_LINES} different articles")]
    TooManyLines,
    #[error("only {available} left of {sku}")]
    NotEnoughStock { sku: Sku, available: u32 },
}

impl Quantity {
    pub fn parse(text: &str) -> Result<Quantity, CartError> {
        text.trim()
            .parse::<u32>()
            .ok()
            .and_then(Quantity::new)
            .ok_or(CartError::Quantity)
    }

    pub fn new(quantity: u32) -> Option<Quantity> {
        (1..=MAX_QUANTITY)
            .contains(&quantity)
            .then_some(Quantity(quantity))
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CartLine {
    /// The variant's SKU (a size or colour of a product, or a simple product).
    pub sku: Sku,
    /// The product's options picked with it.
    pub options: OptionPicks,
    pub quantity: Quantity,
}

impl CartLine {
    pub fn article(&self) -> Article {
        Article {
            sku: self.sku.clone(),
            options: self.options.clone(),
        }
    }
}

/// What a line holds: a variant with the options picked on top of it. The same
/// variant with other options is another line.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Article {
    pub sku: Sku,
    pub options: OptionPicks,
}

impl From<Sku> for Article {
    /// The variant without options.
    fn from(sku: Sku) -> Article {
        Article {
            sku,
            options: OptionPicks::none(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cart {
    pub lines: Vec<CartLine>,
    /// Kept until removed, even while the cart does not qualify for it yet.
    pub code: Option<CouponCode>,
}

impl Cart {
    /// The number of units, for the mini-cart.
    pub fn units(&self) -> u32 {
        self.lines.iter().map(|l| l.quantity.get()).sum()
    }

    fn line(&self, article: &Article) -> Option<usize> {
        self.lines
            .iter()
            .position(|l| l.sku == article.sku && l.options == article.options)
    }

    /// Adds units of an article, `in_stock` of which can be sold.
    pub fn add(
        &mut self,
        article: impl Into<Article>,
        quantity: Quantity,
        in_stock: u32,
    ) -> Result<(), CartError> {
        let article = article.into();
        let current = self.quantity_of(&article);
        self.set(
            article,
            Quantity::new(current + quantity.get()).ok_or(CartError::Quantity)?,
            in_stock,
        )
    }

    /// Sets the units of an article, `in_stock` of which can be sold.
    pub fn set(
        &mut self,
        article: impl Into<Article>,
        quantity: Quantity,
        in_stock: u32,
    ) -> Result<(), CartError> {
        let article = article.into();
        if quantity.get() > in_stock {
            return Err(CartError::NotEnoughStock {
                sku: article.sku,
                available: in_stock,
            });
        }
        match self.line(&article) {
            Some(i) => self.lines[i].quantity = quantity,
            None if self.lines.len() >= MAX_LINES => return Err(CartError::TooManyLines),
            None => self.lines.push(CartLine {
                sku: article.sku,
                options: article.options,
                quantity,
            }),
        }
        Ok(())
    }

    /// The units of `article` in the cart; 0 without a line of it.
    pub fn quantity_of(&self, article: &Article) -> u32 {
        self.line(article)
            .map_or(0, |i| self.lines[i].quantity.get())
    }

    pub fn remove(&mut self, article: impl Into<Article>) {
        let article = article.into();
        self.lines
            .retain(|l| l.sku != article.sku || l.options != article.options);
    }

    /// Merges a guest's cart into this (the customer's) at login: quantities of the
    /// same variant add up, capped at [`MAX_QUANTITY`]; lines past [`MAX_LINES`] are
    /// dropped; the guest's code, if any, replaces the customer's. Stock is checked
    /// again at checkout.
    pub fn merge(&mut self, guest: Cart) {
        // The code entered last, in this browser, wins.
        if guest.code.is_some() {
            self.code = guest.code;
        }
        for line in guest.lines {
            match self.line(&line.article()) {
                Some(i) => {
                    let sum =
                        (self.lines[i].quantity.get() + line.quantity.get()).min(MAX_QUANTITY);
                    self.lines[i].quantity = Quantity(sum);
                }
                None if self.lines.len() < MAX_LINES => self.lines.push(line),
                None => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sku(s: &str) -> Sku {
        Sku::parse(s).unwrap()
    }

    fn q(n: u32) -> Quantity {
        Quantity::new(n).unwrap()
    }

    #[test]
    fn quantities_are_checked() {
        assert_eq!(Quantity::parse(" 3 "), Ok(q(3)));
        for bad in ["0", "-1", "100", "1.5", "abc", "", "99999999999999999999"] {
            assert_eq!(Quantity::parse(bad), Err(CartError::Quantity), "{bad}");
        }
    }

    #[test]
    fn adding_sums_within_stock() {
        let mut cart = Cart::default();
        cart.add(sku("DIS-BRUJA-MUJER-M"), q(2), 25).unwrap();
        cart.add(sku("dis-bruja-mujer-m"), q(3), 25).unwrap();
        assert_eq!(cart.lines.len(), 1);
        assert_eq!(cart.units(), 5);
        assert_eq!(
            cart.add(sku("DIS-BRUJA-MUJER-L"), q(3), 2),
            Err(CartError::NotEnoughStock {
                sku: sku("DIS-BRUJA-MUJER-L"),
                available: 2
            })
        );
        assert_eq!(
            cart.add(sku("DIS-BRUJA-MUJER-M"), q(99), 1_000),
            Err(CartError::Quantity)
        );
        cart.set(sku("DIS-BRUJA-MUJER-M"), q(1), 25).unwrap();
        assert_eq!(cart.units(), 1);
        cart.remove(sku("DIS-BRUJA-MUJER-M"));
        assert_eq!(cart, Cart::default());
    }

    #[test]
    fn a_guest_cart_merges_into_the_customers() {
        let mut customer = Cart::default();
        customer.add(sku("A"), q(60), 100).unwrap();
        let mut guest = Cart::default();
        guest.add(sku("A"), q(60), 100).unwrap();
        guest.add(sku("B"), q(1), 100).unwrap();
        customer.merge(guest);
        assert_eq!(
            customer.lines,
            [
                CartLine {
                    sku: sku("A"),
                    options: OptionPicks::none(),
                    quantity: q(99)
                },
                CartLine {
                    sku: sku("B"),
                    options: OptionPicks::none(),
                    quantity: q(1)
                }
            ]
        );
    }

    #[test]
    fn the_same_variant_with_other_options_is_another_line() {
        let mut cart = Cart::default();
        let engraved = Article {
            sku: sku("ANILLO"),
            options: OptionPicks::parse("3:31").unwrap(),
        };
        cart.add(sku("ANILLO"), q(1), 10).unwrap();
        cart.add(engraved.clone(), q(2), 10).unwrap();
        cart.add(engraved.clone(), q(1), 10).unwrap();
        assert_eq!(cart.lines.len(), 2);
        assert_eq!(cart.quantity_of(&engraved), 3);
        cart.remove(engraved);
        assert_eq!(cart.units(), 1);
    }

    #[test]
    fn a_cart_has_a_line_limit() {
        let mut cart = Cart::default();
        for i in 0..MAX_LINES {
            cart.add(sku(&format!("SKU-{i}")), q(1), 10).unwrap();
        }
        assert_eq!(
            cart.add(sku("ONE-MORE"), q(1), 10),
            Err(CartError::TooManyLines)
        );
    }
}
