// The activity statistics chart: activities held and participant-times per month.
(function () {
  "use strict";
  var element = document.getElementById("chart-months");
  var source = document.getElementById("activity-chart");
  if (!element || !source || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  var chart = echarts.init(element);
  chart.setOption({
    color: ["#b71c1c", "#f9a825"],
    tooltip: { trigger: "axis" },
    legend: { top: 0, data: [data.labels.held, data.labels.times] },
    grid: { left: 40, right: 40, bottom: 30, top: 48 },
    xAxis: { type: "category", data: data.months },
    yAxis: [
      { type: "value", minInterval: 1 },
      { type: "value", minInterval: 1, splitLine: { show: false } },
    ],
    series: [
      { name: data.labels.held, type: "bar", data: data.held },
      { name: data.labels.times, type: "line", yAxisIndex: 1, data: data.times },
    ],
  });
  window.addEventListener("resize", function () {
    chart.resize();
  });
})();
