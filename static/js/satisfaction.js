// Draws the satisfaction reports' index per unit with Chart.js (vendored from npm, served by the app).
(function () {
  "use strict";
  var canvas = document.getElementById("satisfaction-chart");
  if (!canvas || typeof Chart === "undefined") { return; }
  var data = JSON.parse(document.getElementById("satisfaction-data").textContent);
  var colors = ["#0b6e4f", "#98a2b3"];
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: data.datasets.map(function (d, i) {
        return { label: d.label, data: d.data, backgroundColor: colors[i % colors.length] };
      }),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { y: { min: 0, max: 100, title: { display: true, text: data.yLabel } } },
      plugins: { tooltip: { callbacks: { label: function (c) { return c.dataset.label + ": " + (c.parsed.y === null ? "—" : c.parsed.y); } } } },
    },
  });
  canvas.setAttribute("data-ready", "true");
})();
