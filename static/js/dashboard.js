// Draws the dashboard's 12-month trend with Chart.js (vendored from npm, served by the app).
(function () {
  "use strict";
  var canvas = document.getElementById("trend-chart");
  if (!canvas || typeof Chart === "undefined") { return; }
  var data = JSON.parse(document.getElementById("trend-data").textContent);
  var labels = JSON.parse(document.getElementById("trend-labels").textContent);
  var line = function (key, color) {
    return { label: labels[key], data: data[key], borderColor: color, backgroundColor: color, spanGaps: true, tension: 0.2 };
  };
  new Chart(canvas, {
    type: "line",
    data: {
      labels: data.labels,
      datasets: [line("closure", "#0b6e4f"), line("contact", "#2e90fa"), line("satisfaction", "#f79009")],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { y: { min: 0, max: 100, ticks: { callback: function (v) { return v + "%"; } } } },
      plugins: { tooltip: { callbacks: { label: function (c) { return c.dataset.label + ": " + (c.parsed.y === null ? "—" : c.parsed.y + "%"); } } } },
    },
  });
  canvas.setAttribute("data-ready", "true");
})();
