/* Charts of 厂务公开 drawn with the vendored Apache ECharts from the JSON the page embeds
   (#chart-data): the on-time rate per quarter, and a federation's heat map (enterprise x month).
   The same numbers are in the table under each chart. */
(function () {
  "use strict";

  function quarters(data) {
    return {
      color: ["#1d4f91"],
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v + "%"; } },
      grid: { left: 40, right: 12, top: 24, bottom: 30 },
      xAxis: { type: "category", data: data.labels },
      yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      series: [{ type: "bar", data: data.series[0].data, barMaxWidth: 48,
                 label: { show: true, position: "top", formatter: "{c}%" } }]
    };
  }

  function heat(data, narrow) {
    return {
      tooltip: { position: "top", formatter: function (p) {
        return data.enterprises[p.value[1]] + " · " + data.months[p.value[0]] + ": " + p.value[2] + "%"; } },
      grid: { left: 8, right: 8, top: 8, bottom: 56, containLabel: true },
      xAxis: { type: "category", data: data.months, splitArea: { show: true } },
      yAxis: { type: "category", data: data.enterprises, axisLabel: { width: narrow ? 90 : 200, overflow: "truncate" } },
      visualMap: { min: 0, max: 100, calculable: false, orient: "horizontal", left: "center", bottom: 0,
                   inRange: { color: ["#c0392b", "#f0c05a", "#2f7d4f"] }, itemHeight: narrow ? 120 : 200 },
      series: [{ type: "heatmap", data: data.cells, label: { show: !narrow, fontSize: 10 } }]
    };
  }

  function draw() {
    var source = document.getElementById("chart-data");
    if (!source || !window.echarts) return;
    var all = JSON.parse(source.textContent);
    document.querySelectorAll(".chart[data-chart]").forEach(function (el) {
      var data = all[el.getAttribute("data-chart")];
      if (!data) return;
      var narrow = el.clientWidth < 520;
      var option;
      if (el.getAttribute("data-chart") === "heat") {
        el.style.height = Math.max(200, 26 * data.enterprises.length + 110) + "px";
        option = heat(data, narrow);
      } else {
        option = quarters(data);
      }
      option.animation = false;
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption(option);
      el.setAttribute("data-drawn", "1");
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
