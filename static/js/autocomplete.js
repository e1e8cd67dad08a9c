// Suggestions under the search box while typing: products and categories from the
// site's /autocomplete endpoint. Without JavaScript the box is a plain search form.
(function () {
  "use strict";
  var input = document.querySelector("input[data-suggest]");
  if (!input) return;
  var endpoint = input.getAttribute("data-suggest");
  var list = document.createElement("ul");
  list.className = "suggestions";
  list.hidden = true;
  input.parentNode.appendChild(list);
  var timer = null;
  var latest = 0;

  function item(text, url, detail) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = url;
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
    data.categories.forEach(function (c) { list.appendChild(item(c.name, c.url)); });
    data.products.forEach(function (p) { list.appendChild(item(p.name, p.url, p.price)); });
    list.hidden = list.children.length === 0;
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    var query = input.value.trim();
    if (query.length < 2) { list.hidden = true; return; }
    timer = setTimeout(function () {
      var asked = ++latest;
      fetch(endpoint + "?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data && asked === latest) show(data); })
        .catch(function () { list.hidden = true; });
    }, 120);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape") list.hidden = true;
  });
  document.addEventListener("click", function (event) {
    if (!list.contains(event.target) && event.target !== input) list.hidden = true;
  });
})();
