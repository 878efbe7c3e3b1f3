/*
 * Charts drawn from their data tables (chart_macros.pt). The numbers come only from the
 * data-value attributes of the table next to each canvas, so a chart and its table can
 * never disagree; no inline script, no data in the page's script (our CSP).
 * Needs vendor/chartjs/chart.umd.min.js (Chart.js 4, loaded before this file).
 */
(function () {
  "use strict";

  /* Bootstrap Italia's primary blue, a dark orange and a dark green: distinct in greyscale. */
  var COLOURS = ["#0066cc", "#b35900", "#00805a", "#5c2f91", "#a61e4d"];

  function text(cell) {
    return (cell.textContent || "").replace(/\s+/g, " ").trim();
  }

  /* {labels, datasets} from a table: rows of the tbody, columns marked data-series. */
  function readTable(table) {
    var heads = Array.prototype.slice.call(table.querySelectorAll("thead th"));
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    var labels = rows.map(function (row) { return text(row.querySelector("th")); });
    var datasets = [];
    heads.forEach(function (head, index) {
      if (index === 0 || head.getAttribute("data-series") !== "1") {
        return;
      }
      var colour = COLOURS[datasets.length % COLOURS.length];
      datasets.push({
        label: text(head),
        backgroundColor: colour,
        borderColor: colour,
        data: rows.map(function (row) {
          var cell = row.querySelectorAll("td")[index - 1];
          var value = cell ? parseFloat(cell.getAttribute("data-value")) : NaN;
          return isFinite(value) ? value : 0;
        })
      });
    });
    return {labels: labels, datasets: datasets};
  }

  function draw(canvas) {
    var table = document.getElementById(canvas.getAttribute("data-chart-table"));
    if (!table || typeof window.Chart === "undefined") {
      return;
    }
    var lang = document.documentElement.lang || "it";
    var money = new Intl.NumberFormat(lang, {style: "currency", currency: "EUR"});
    var reduce = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var chart = new window.Chart(canvas, {
      type: "bar",
      data: readTable(table),
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: reduce ? false : {duration: 300},
        plugins: {
          tooltip: {callbacks: {label: function (item) {
            return item.dataset.label + ": " + money.format(item.parsed.y);
          }}}
        },
        scales: {y: {beginAtZero: true, ticks: {callback: function (value) {
          return money.format(value);
        }}}}
      }
    });
    canvas.chart = chart;
    canvas.setAttribute("data-chart-ready", String(chart.data.datasets.length));
  }

  function drawAll() {
    Array.prototype.forEach.call(document.querySelectorAll("canvas[data-chart-table]"), draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
}());
