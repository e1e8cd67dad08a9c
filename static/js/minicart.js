// The header's mini-cart count. Pages are the same for every shopper (so any
// replica serves them from memory); the count comes from the `cart_units` cookie the
// server sets whenever the cart changes.
(function () {
  var match = document.cookie.match(/(?:^|;\s*)cart_units=(\d+)/);
  var badge = document.querySelector("[data-cart-units]");
  if (match && badge && match[1] !== "0") {
    badge.textContent = match[1];
    badge.hidden = false;
  }
})();
