// Draws the dashboards' charts with ECharts (vendor/echarts, no CDN) from the JSON specs the page
// carries (org/dashboard.py: Chart.as_dict). Every point has the URL of its records: a click opens it.
// Tooltips are drawn on the canvas (renderMode "richText"): the Content-Security-Policy allows no
// inline style, which ECharts' HTML tooltips would use.
(function () {
  "use strict";
  var COLORS = ["#b3261e", "#0969da", "#1a7f37", "#9a6700", "#8250df", "#656d76"];

  function axisOf(spec) {
    return {
      type: "category",
      data: spec.categories,
      axisLabel: {
        interval: spec.categories.length > 12 ? "auto" : 0,
        rotate: spec.categories.length > 4 ? 30 : 0,
        width: 90,
        overflow: "truncate",
      },
    };
  }

  function option(spec) {
    var base = {
      color: COLORS,
      animation: false,
      textStyle: { fontFamily: "Noto Sans CJK SC, sans-serif" },
      tooltip: { trigger: "item", renderMode: "richText" },
      legend: { top: 0, type: "scroll" },
      grid: { left: 8, right: 12, top: 36, bottom: 8, containLabel: true },
      xAxis: axisOf(spec),
      yAxis: { type: "value", name: spec.unit || "" },
    };
    if (spec.kind === "interval") {
      base.series = [];
      spec.series.forEach(function (s) {
        base.series.push({
          name: s.name,
          type: "line",
          symbolSize: 9,
          data: s.data,
          connectNulls: false,
        });
        base.series.push({
          name: s.name,
          type: "custom",
          renderItem: function (params, api) {
            var p = s.data[params.dataIndex];
            if (!p || p.value === null || p.value === undefined) return null;
            var lo = api.coord([params.dataIndex, p.low]);
            var hi = api.coord([params.dataIndex, p.high]);
            var style = api.style({ stroke: api.visual("color"), fill: null, lineWidth: 1.5 });
            return {
              type: "group",
              children: [
                { type: "line", shape: { x1: lo[0], y1: lo[1], x2: hi[0], y2: hi[1] }, style: style },
                { type: "line", shape: { x1: lo[0] - 5, y1: lo[1], x2: lo[0] + 5, y2: lo[1] }, style: style },
                { type: "line", shape: { x1: hi[0] - 5, y1: hi[1], x2: hi[0] + 5, y2: hi[1] }, style: style },
              ],
            };
          },
          data: s.data.map(function (p, i) { return { value: [i, p.value], url: p.url }; }),
          tooltip: { show: false },
          z: 1,
        });
      });
      var lows = [], highs = [];
      spec.series.forEach(function (s) {
        s.data.forEach(function (p) {
          if (p.value !== null && p.value !== undefined) { lows.push(p.low); highs.push(p.high); }
        });
      });
      if (lows.length) {
        base.yAxis.min = Math.floor(Math.min(0, Math.min.apply(null, lows)));
        base.yAxis.max = Math.ceil(Math.max(0, Math.max.apply(null, highs)));
      }
      return base;
    }
    base.series = spec.series.map(function (s) {
      var serie = { name: s.name, data: s.data, type: spec.kind === "line" ? "line" : "bar" };
      if (spec.kind === "stacked") serie.stack = "total";
      if (spec.kind === "line") { serie.symbolSize = 6; serie.areaStyle = { opacity: 0.08 }; }
      return serie;
    });
    if (spec.series.length < 2) base.legend.show = false;
    return base;
  }

  function draw(el) {
    var data = document.getElementById(el.getAttribute("data-chart"));
    if (!data || !window.echarts) return;
    var spec = JSON.parse(data.textContent);
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option(spec));
    chart.on("click", function (params) {
      var url = params.data && params.data.url;
      if (url) window.location.href = url;
    });
    el.setAttribute("data-ready", "1");
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function start() {
    var charts = document.querySelectorAll("[data-chart]");
    for (var i = 0; i < charts.length; i++) draw(charts[i]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
