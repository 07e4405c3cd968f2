// The ranking chart of the statistics page: the chosen figure of the units below, this year and last
// (last year left out for a figure not kept per year). On a phone the bars lie down, one unit's name a
// line, since twenty slanted names under a 390 px axis overlap.
(function () {
  "use strict";
  var element = document.getElementById("chart-ranking");
  var source = document.getElementById("ranking-chart");
  if (!element || !source || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  var narrow = element.clientWidth < 576;
  if (narrow) {
    element.style.height = Math.max(240, 72 + data.units.length * 28) + "px";
  }
  var series = [{ name: data.legend[0], type: "bar", data: data.now }];
  if (data.before) {
    series.push({ name: data.legend[1], type: "bar", data: data.before });
  }
  var units = { type: "category", data: data.units };
  var values = { type: "value" };
  if (narrow) {
    units.inverse = true; // the first ranked on top, as in the table
    units.axisLabel = { width: 96, overflow: "truncate" };
  } else {
    units.axisLabel = { rotate: 40, interval: 0, width: 120, overflow: "truncate" };
  }
  var chart = echarts.init(element);
  chart.setOption({
    color: ["#b71c1c", "#bdbdbd"],
    tooltip: { trigger: "axis" },
    legend: { top: 0, data: data.before ? data.legend : [data.legend[0]] },
    grid: narrow
      ? { left: 8, right: 24, bottom: 8, top: 32, containLabel: true }
      : { left: 48, right: 16, bottom: 80, top: 40 },
    xAxis: narrow ? values : units,
    yAxis: narrow ? units : values,
    series: series,
  });
  window.addEventListener("resize", function () {
    chart.resize();
  });
})();
