// Draws the statistics charts (Chart.js, pinned in package.json) from the JSON each page puts beside a canvas.
// Every chart has the same figures in a table next to it; a hidden (suppressed) figure is null and draws nothing.
(function () {
  "use strict";

  function percent(unit) {
    return function (value) {
      return value === null || value === undefined ? "" : value.toLocaleString("nb-NO") + (unit ? " " + unit : "");
    };
  }

  function dataset(spec, type) {
    const base = {
      label: spec.label,
      data: spec.data,
      backgroundColor: spec.color,
      borderColor: spec.color,
      spanGaps: false,
    };
    if (type === "scatter" && spec.line) {
      return Object.assign(base, { type: "line", showLine: true, pointRadius: 0, borderWidth: 2, fill: false });
    }
    if (type === "line") {
      return Object.assign(base, { fill: false, tension: 0, pointRadius: 3 });
    }
    return base;
  }

  function benchmarkSets(spec, count) {
    const dashes = [[6, 4], [2, 3], [10, 3]];
    return (spec.benchmarks || []).map(function (benchmark, index) {
      return {
        label: benchmark.label,
        data: new Array(count).fill(benchmark.value),
        borderColor: "#6b6b6b",
        borderDash: dashes[index % dashes.length],
        borderWidth: 1.5,
        pointRadius: 0,
        fill: false,
      };
    });
  }

  function draw(canvas) {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof window.Chart === "undefined") {
      return;
    }
    const spec = JSON.parse(source.textContent);
    const format = percent(spec.unit);
    const datasets = spec.datasets.map(function (d) {
      return dataset(d, spec.type);
    });
    if (spec.type === "line") {
      Array.prototype.push.apply(datasets, benchmarkSets(spec, spec.labels.length));
    }
    const scales = {
      x: { stacked: !!spec.stacked, title: { display: !!spec.xLabel, text: spec.xLabel || "" } },
      y: {
        stacked: !!spec.stacked,
        beginAtZero: true,
        title: { display: !!spec.yLabel, text: spec.yLabel || "" },
        ticks: { callback: format },
      },
    };
    if (spec.type === "scatter") {
      scales.x.type = "linear";
      scales.x.beginAtZero = false;
    }
    new window.Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: scales,
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (context) {
                const value = spec.type === "scatter" ? context.parsed.y : context.parsed.y;
                return context.dataset.label + ": " + format(value);
              },
            },
          },
        },
      },
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  });
})();
