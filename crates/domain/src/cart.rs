//! The cart: which variants, how many. Prices are never kept in a cart: they are
//! computed from the catalogue each time the cart is shown or ordered.

use crate::catalogue::Sku;

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
    pub quantity: Quantity,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cart {
    pub lines: Vec<CartLine>,
}

impl Cart {
    /// The number of units, for the mini-cart.
    pub fn units(&self) -> u32 {
        self.lines.iter().map(|l| l.quantity.get()).sum()
    }

    fn line(&self, sku: &Sku) -> Option<usize> {
        self.lines.iter().position(|l| &l.sku == sku)
    }

    /// Adds units of a variant, `in_stock` of which can be sold.
    pub fn add(&mut self, sku: Sku, quantity: Quantity, in_stock: u32) -> Result<(), CartError> {
        let current = self.line(&sku).map_or(0, |i| self.lines[i].quantity.get());
        self.set(
            sku,
            Quantity::new(current + quantity.get()).ok_or(CartError::Quantity)?,
            in_stock,
        )
    }

    /// Sets the units of a variant, `in_stock` of which can be sold.
    pub fn set(&mut self, sku: Sku, quantity: Quantity, in_stock: u32) -> Result<(), CartError> {
        if quantity.get() > in_stock {
            return Err(CartError::NotEnoughStock {
                sku,
                available: in_stock,
            });
        }
        match self.line(&sku) {
            Some(i) => self.lines[i].quantity = quantity,
            None if self.lines.len() >= MAX_LINES => return Err(CartError::TooManyLines),
            None => self.lines.push(CartLine { sku, quantity }),
        }
        Ok(())
    }

    /// The units of `sku` in the cart; 0 without a line of it.
    pub fn quantity_of(&self, sku: &Sku) -> u32 {
        self.line(sku).map_or(0, |i| self.lines[i].quantity.get())
    }

    pub fn remove(&mut self, sku: &Sku) {
        self.lines.retain(|l| &l.sku != sku);
    }

    /// Merges a guest's cart into this (the customer's) at login: quantities of the
    /// same variant add up, capped at [`MAX_QUANTITY`]; lines past [`MAX_LINES`] are
    /// dropped. Stock is checked again at checkout.
    pub fn merge(&mut self, guest: Cart) {
        for line in guest.lines {
            match self.line(&line.sku) {
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
        cart.remove(&sku("DIS-BRUJA-MUJER-M"));
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
                    quantity: q(99)
                },
                CartLine {
                    sku: sku("B"),
                    quantity: q(1)
                }
            ]
        );
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
