// The finance report's chart: spending per month. Its figures are also a table on the page.
(function () {
  "use strict";
  var element = document.getElementById("finance-chart");
  var source = document.getElementById("finance-chart-data");
  if (!element || !source || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  var chart = echarts.init(element);
  chart.setOption({
    color: ["#b71c1c"],
    tooltip: { trigger: "axis" },
    grid: { left: 56, right: 16, bottom: 30, top: 24 },
    xAxis: { type: "category", data: data.months },
    yAxis: { type: "value" },
    series: [{ name: data.labels.spent, type: "bar", data: data.spent.map(Number) }],
  });
  window.addEventListener("resize", function () {
    chart.resize();
  });
})();
