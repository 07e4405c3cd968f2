// The ranking chart of the statistics page: the chosen figure of the units below, this year and last.
(function () {
  "use strict";
  var element = document.getElementById("chart-ranking");
  var source = document.getElementById("ranking-chart");
  if (!element || !source || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  var chart = echarts.init(element);
  chart.setOption({
    color: ["#b71c1c", "#bdbdbd"],
    tooltip: { trigger: "axis" },
    legend: { top: 0, data: data.legend },
    grid: { left: 48, right: 16, bottom: 80, top: 40 },
    xAxis: { type: "category", data: data.units, axisLabel: { rotate: 40, interval: 0 } },
    yAxis: { type: "value" },
    series: [
      { name: data.legend[0], type: "bar", data: data.now },
      { name: data.legend[1], type: "bar", data: data.before },
    ],
  });
  window.addEventListener("resize", function () {
    chart.resize();
  });
})();
