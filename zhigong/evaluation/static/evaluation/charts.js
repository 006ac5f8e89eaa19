/* Charts of the evaluation pages, drawn with the vendored Apache ECharts from the JSON the page
   embeds (#chart-data): an enterprise's radar of indicator shares, a federation's weakest
   indicators. The same numbers are in the table beside each chart. */
(function () {
  "use strict";

  var RED = "#9e1b1b", BLUE = "#1d4f91", GREY = "#5c6670";

  function radarOption(data, narrow) {
    return {
      color: [RED],
      tooltip: {},
      radar: {
        radius: narrow ? "58%" : "66%",
        indicator: data.labels.map(function (label, i) {
          return { name: label, max: 100, color: data.judged[i] ? "#1f2328" : GREY };
        }),
        axisName: { fontSize: narrow ? 11 : 12 },
        splitNumber: 5
      },
      series: [{ type: "radar", areaStyle: { opacity: 0.18 }, symbolSize: 5,
                 data: [{ value: data.values, name: "%" }] }]
    };
  }

  function weakOption(data) {
    return {
      color: [BLUE],
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v + "%"; } },
      grid: { left: 8, right: 56, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", data: data.labels.slice().reverse() },
      series: [{ type: "bar", barWidth: 16, data: data.values.slice().reverse().map(function (v) {
        return { value: v, itemStyle: { color: v < 60 ? RED : BLUE } };
      }), label: { show: true, position: "right", formatter: "{c}%" } }]
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
      if (kind === "weak") el.style.height = Math.max(160, 30 * data.labels.length + 30) + "px";
      var option = kind === "radar" ? radarOption(data, narrow) : weakOption(data);
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
