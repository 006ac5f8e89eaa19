/* Fund charts of the pool page and the federation dashboard, drawn with the vendored Apache
   ECharts from the JSON the page embeds (#fund-chart-data): per month the money in and out of
   the pool's bank account with the transfers, and the balance as a line. The same figures are in
   the table under each chart, so the page reads without scripts. */
(function () {
  "use strict";

  var COLORS = ["#2f7d4f", "#9e1b1b", "#1d4f91", "#c98a00", "#6b4c9a"];

  function yuan(v) { return Number(v).toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 }); }

  function poolOption(pool, narrow) {
    return {
      color: COLORS,
      tooltip: { trigger: "axis", valueFormatter: yuan },
      legend: { top: 0, type: narrow ? "scroll" : "plain" },
      grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: pool.labels },
      yAxis: { type: "value", name: "元" },
      series: [
        { name: "流入", type: "bar", data: pool.inflow, barMaxWidth: 28 },
        { name: "流出", type: "bar", data: pool.outflow, barMaxWidth: 28 },
        { name: "调入", type: "bar", data: pool.transfer_in, barMaxWidth: 28 },
        { name: "调出", type: "bar", data: pool.transfer_out, barMaxWidth: 28 },
        { name: "月末银行余额", type: "line", data: pool.balance, smooth: false, symbolSize: 6 }
      ]
    };
  }

  function levelsOption(levels) {
    return {
      color: ["#1d4f91"],
      tooltip: { trigger: "axis", valueFormatter: yuan },
      grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", name: "元" },
      yAxis: { type: "category", data: levels.labels.slice().reverse() },
      series: [{ name: "可用余额", type: "bar", data: levels.available.slice().reverse(), barMaxWidth: 24,
                 label: { show: true, position: "right", formatter: function (p) { return yuan(p.value); } } }]
    };
  }

  function draw() {
    var source = document.getElementById("fund-chart-data");
    if (!source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    var narrow = window.innerWidth < 600;
    var charts = [];
    document.querySelectorAll("[data-fund-chart]").forEach(function (el) {
      var which = el.getAttribute("data-fund-chart");
      var option = which === "levels" ? levelsOption(data.levels) : poolOption(data.pools[Number(which)], narrow);
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption(option);
      charts.push(chart);
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
