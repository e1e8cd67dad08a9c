// Optional cookies: the shop's analytics script is loaded only once the shopper
// accepts; the choice (accepted or refused, two buttons of equal weight) is kept six
// months and can be changed from the footer. Pages stay the same for everyone: the
// choice is read here, never by the server.
(function () {
  "use strict";
  var banner = document.querySelector("[data-consent-script]");
  if (!banner) {
    return;
  }
  var loaded = false;
  var SIX_MONTHS = 183 * 24 * 3600;

  function choice() {
    var found = document.cookie.match(/(?:^|;\s*)cookie_consent=(accepted|refused)/);
    return found ? found[1] : null;
  }

  function load() {
    if (loaded) {
      return;
    }
    loaded = true;
    var script = document.createElement("script");
    script.src = banner.getAttribute("data-consent-script");
    script.async = true;
    document.head.appendChild(script);
  }

  function remember(value) {
    var secure = location.protocol === "https:" ? "; Secure" : "";
    document.cookie = "cookie_consent=" + value + "; Max-Age=" + SIX_MONTHS +
      "; Path=/; SameSite=Lax" + secure;
  }

  if (choice() === "accepted") {
    load();
  } else if (choice() === null) {
    banner.hidden = false;
  }

  banner.addEventListener("click", function (event) {
    var button = event.target.closest("[data-consent]");
    if (!button) {
      return;
    }
    var value = button.getAttribute("data-consent");
    remember(value);
    banner.hidden = true;
    if (value === "accepted") {
      load();
    }
  });

  document.querySelectorAll("[data-cookie-settings]").forEach(function (button) {
    button.addEventListener("click", function () {
      banner.hidden = false;
      banner.querySelector("[data-consent]").focus();
    });
  });
})();
