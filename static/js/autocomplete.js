// Suggestions under the search box while typing: products and categories from the
// site's /autocomplete endpoint, as an ARIA combobox (arrow keys move through them,
// Enter opens the one chosen, Escape closes the list). Without JavaScript the box is
// a plain search form.
(function () {
  "use strict";
  var input = document.querySelector("input[data-suggest]");
  if (!input) return;
  var endpoint = input.getAttribute("data-suggest");
  var list = document.createElement("ul");
  list.className = "suggestions";
  list.id = "search-suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", input.getAttribute("aria-label") || "");
  list.hidden = true;
  input.parentNode.appendChild(list);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");
  var timer = null;
  var latest = 0;
  var active = -1;

  function options() { return list.querySelectorAll("[role=option]"); }

  function setOpen(open) {
    list.hidden = !open;
    input.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open) choose(-1);
  }

  function choose(index) {
    var all = options();
    active = index;
    for (var i = 0; i < all.length; i++) {
      all[i].setAttribute("aria-selected", i === index ? "true" : "false");
    }
    if (index >= 0 && all[index]) {
      input.setAttribute("aria-activedescendant", all[index].id);
      all[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function item(text, url, detail, index) {
    var li = document.createElement("li");
    li.id = "suggestion-" + index;
    li.setAttribute("role", "option");
    li.setAttribute("aria-selected", "false");
    var a = document.createElement("a");
    a.href = url;
    a.tabIndex = -1;
    a.textContent = text;
    if (detail) {
      var span = document.createElement("span");
      span.className = "price";
      span.textContent = detail;
      a.appendChild(span);
    }
    li.appendChild(a);
    return li;
  }

  function show(data) {
    list.textContent = "";
    var index = 0;
    data.categories.forEach(function (c) { list.appendChild(item(c.name, c.url, null, index++)); });
    data.products.forEach(function (p) { list.appendChild(item(p.name, p.url, p.price, index++)); });
    setOpen(index > 0);
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    var query = input.value.trim();
    if (query.length < 2) { setOpen(false); return; }
    timer = setTimeout(function () {
      var asked = ++latest;
      fetch(endpoint + "?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data && asked === latest) show(data); })
        .catch(function () { setOpen(false); });
    }, 120);
  });
  input.addEventListener("keydown", function (event) {
    var count = options().length;
    if (event.key === "Escape") {
      setOpen(false);
    } else if ((event.key === "ArrowDown" || event.key === "ArrowUp") && count > 0) {
      event.preventDefault();
      if (list.hidden) setOpen(true);
      // Down from the last suggestion, or up from the first, is back in the box.
      var next = active + (event.key === "ArrowDown" ? 1 : -1);
      if (next >= count) next = -1;
      if (next < -1) next = count - 1;
      choose(next);
    } else if (event.key === "Enter" && active >= 0 && !list.hidden) {
      event.preventDefault();
      window.location.href = options()[active].querySelector("a").href;
    }
  });
  document.addEventListener("click", function (event) {
    if (!list.contains(event.target) && event.target !== input) setOpen(false);
  });
})();
