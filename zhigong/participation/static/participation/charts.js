/* Charts of the proposal board and the suggestion statistics, drawn with the vendored Apache
   ECharts from the JSON the page embeds (#chart-data). The same numbers are in the table under
   each chart, so the page reads without scripts and with a screen reader. */
(function () {
  "use strict";

  var COLORS = ["#9e1b1b", "#1d4f91", "#c98a00", "#2f7d4f", "#6b4c9a", "#5c6670"];

  // Zero bars carry no label: eleven "0"s would drown the two numbers that matter.
  function nonZero(params) { return params.value ? Number(params.value).toLocaleString("zh-CN") : ""; }

  function axisLabel(narrow) {
    return { interval: 0, rotate: narrow ? 40 : 0, fontSize: narrow ? 11 : 12 };
  }

  function barOption(data, narrow) {
    return {
      color: COLORS,
      tooltip: { trigger: "axis" },
      legend: { show: data.series.length > 1, top: 0 },
      grid: { left: 40, right: 12, top: data.series.length > 1 ? 48 : 24, bottom: narrow ? 70 : 40 },
      xAxis: { type: "category", data: data.labels, axisLabel: axisLabel(narrow) },
      yAxis: { type: "value", minInterval: 1 },
      series: data.series.map(function (s) {
        return { name: s.name, type: "bar", data: s.data, barMaxWidth: 56,
                 label: { show: true, position: "top", formatter: nonZero } };
      })
    };
  }

  function hbarOption(data) {
    return {
      color: COLORS,
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value" },
      yAxis: { type: "category", data: data.labels.slice().reverse() },
      series: data.series.map(function (s) {
        return { name: s.name, type: "bar", data: s.data.slice().reverse(), barMaxWidth: 28,
                 label: { show: true, position: "right", formatter: nonZero } };
      })
    };
  }

  function rateOption(data) {
    return {
      color: COLORS,
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v + "%"; } },
      grid: { left: 8, right: 56, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", data: data.labels },
      series: [{ type: "bar", data: data.series[0].data, barWidth: 22,
                 label: { show: true, position: "right", formatter: "{c}%" } }]
    };
  }

  function draw() {
    var source = document.getElementById("chart-data");
    if (!source || !window.echarts) return;
    var all = JSON.parse(source.textContent);
    var charts = [];
    document.querySelectorAll(".chart[data-chart]").forEach(function (el) {
      var data = all[el.getAttribute("data-chart")];
      if (!data) return;
      var narrow = el.clientWidth < 520;
      var kind = el.getAttribute("data-kind");
      var option = kind === "hbar" ? hbarOption(data) : kind === "rate" ? rateOption(data) : barOption(data, narrow);
      if (kind === "hbar") {
        el.style.height = Math.max(140, 36 * data.labels.length + 60) + "px";  // one bar per team
      }
      // No animation: a chart that grows for a second misleads a glance, and some people ask
      // their system for reduced motion anyway.
      option.animation = false;
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption(option);
      el.setAttribute("data-drawn", "1");
      charts.push(chart);
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
