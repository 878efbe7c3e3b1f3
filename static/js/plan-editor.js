/*
 * The zone plan's allocation grid: what is left of each source in each year, updated
 * while typing. It reads the data-* attributes of the template (data-fonte, data-anno,
 * data-disponibile); without this script the page still works and shows the left figures
 * after saving. No inline script: the CSP forbids it.
 */
(function () {
  "use strict";

  var form = document.getElementById("griglia-allocazioni");
  if (!form) {
    return;
  }
  var negative = form.getAttribute("data-negative-class") || "text-danger";

  /* Cents from «12.450,00», «12450.00» or «12450», as the server reads them; NaN otherwise. */
  function cents(text) {
    var cleaned = (text || "").replace(/[€\s\u00a0]/g, "");
    if (!cleaned) {
      return 0;
    }
    if (cleaned.indexOf(",") >= 0) {
      cleaned = cleaned.replace(/\./g, "").replace(",", ".");
    } else if ((cleaned.match(/\./g) || []).length > 1 || /^\d{1,3}\.\d{3}$/.test(cleaned)) {
      cleaned = cleaned.replace(/\./g, "");
    }
    if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) {
      return NaN;
    }
    var parts = cleaned.split(".");
    return parseInt(parts[0], 10) * 100 + parseInt(((parts[1] || "") + "00").slice(0, 2), 10);
  }

  /* «€ 5.000,00», «-€ 50.000,00»: written like the server's figures (Babel «¤ #,##0.00»),
     not by Intl, which leaves four-digit amounts ungrouped and moves the sign. */
  function shown(value) {
    var absolute = Math.abs(value);
    var units = String(Math.floor(absolute / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    var rest = String(absolute % 100);
    return (value < 0 ? "-" : "") + "€ " + units + "," + (rest.length < 2 ? "0" + rest : rest);
  }

  /* Index once: every input and every "left" cell by source and year. */
  var inputs = {};
  var cells = {};
  Array.prototype.forEach.call(form.querySelectorAll("input.portal-allocation"), function (input) {
    var key = input.getAttribute("data-fonte") + "|" + input.getAttribute("data-anno");
    (inputs[key] = inputs[key] || []).push(input);
  });
  Array.prototype.forEach.call(form.querySelectorAll(".portal-left"), function (cell) {
    cells[cell.getAttribute("data-fonte") + "|" + cell.getAttribute("data-anno")] = cell;
  });

  function update(key) {
    var cell = cells[key];
    if (!cell) {
      return;
    }
    var left = cents(cell.getAttribute("data-disponibile"));
    (inputs[key] || []).forEach(function (input) {
      var value = cents(input.value);
      input.classList.toggle("is-invalid", isNaN(value));
      if (!isNaN(value)) {
        left -= value;
      }
    });
    cell.textContent = shown(left);
    cell.classList.toggle(negative, left < 0);
  }

  form.addEventListener("input", function (event) {
    var target = event.target;
    if (target.classList && target.classList.contains("portal-allocation")) {
      update(target.getAttribute("data-fonte") + "|" + target.getAttribute("data-anno"));
    }
  });
  Object.keys(cells).forEach(update);
}());
