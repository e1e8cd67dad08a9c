// On a product chosen by several attributes (a size and a gender, say): marks the
// values that do not combine with those already picked, and says the price and
// stock of the variant picked, or that no variant has these values together. The
// server checks the choice again; without this script the form works the same.
(function () {
  var data = document.querySelector("script[data-variants]");
  var output = document.querySelector("[data-chosen]");
  if (!data || !output) {
    return;
  }
  var form = output.closest("form");
  var variants = JSON.parse(data.textContent);
  var groups = Array.prototype.slice.call(form.querySelectorAll("fieldset[data-attribute]"));

  function picked() {
    var values = {};
    groups.forEach(function (group) {
      var input = group.querySelector("input:checked");
      if (input) {
        values[group.getAttribute("data-attribute")] = input.value;
      }
    });
    return values;
  }

  function matches(variant, values, except) {
    return Object.keys(values).every(function (attribute) {
      return attribute === except || variant.values[attribute] === values[attribute];
    });
  }

  function update() {
    var values = picked();
    groups.forEach(function (group) {
      var attribute = group.getAttribute("data-attribute");
      group.querySelectorAll("input[type=radio]").forEach(function (input) {
        // Kept selectable: a shopper may change another group next.
        var combines = variants.some(function (variant) {
          return variant.available && variant.values[attribute] === input.value &&
            matches(variant, values, attribute);
        });
        input.closest("label").classList.toggle("unavailable", !combines);
      });
    });
    if (Object.keys(values).length < groups.length) {
      output.hidden = true;
      return;
    }
    var chosen = variants.filter(function (variant) {
      return matches(variant, values, null);
    })[0];
    output.hidden = false;
    output.textContent = chosen && chosen.available
      ? chosen.price + " · " + chosen.stock
      : output.getAttribute("data-unavailable");
  }

  form.addEventListener("change", update);
  update();
})();
