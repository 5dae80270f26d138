// zhaoshang — the little script the pages need (no inline scripts: CSP script-src 'self').
// Charts: every element with data-chart gets an ECharts chart; a click opens the ledger
// filtered to what the element summarises. Without JavaScript the tables below each chart
// carry the same figures and links.
(function () {
  "use strict";

  var blues = ["#163a75", "#1f4e9c", "#2f64b8", "#3f7acc", "#5b92da", "#7eabe6", "#a3c4f0"];
  var palette = ["#1f4e9c", "#3a7bd5", "#5b9bd5", "#7fb3e6", "#b42318", "#e07a5f", "#f2b134", "#1e7b45", "#6941c6", "#98a2b3"];

  // the values come in the unit the chart's title names (亿元, 个): the axis shows them as they are
  function plain(v) {
    return v.toLocaleString("zh-CN", { maximumFractionDigits: 2 });
  }

  function option(d, width) {
    var narrow = width < 520;
    var values = d.values.map(Number);
    var unit = d.unit || "";
    var axisValue = { type: "value", name: unit, axisLabel: { formatter: plain, hideOverlap: true } };
    var tooltip = { trigger: d.type === "line" || d.type === "bar" || d.type === "hbar" ? "axis" : "item", confine: true,
      valueFormatter: function (v) { return plain(Number(v)) + " " + unit; } };
    var grid = { left: 12, right: 24, top: 24, bottom: 8, containLabel: true };
    if (d.type === "funnel") {
      return {
        color: blues, tooltip: { trigger: "item", formatter: "{b}：累计 {c} 个" },
        series: [{ type: "funnel", sort: "none", minSize: "12%", left: "8%", right: "8%", top: 8, bottom: 8, gap: 2,
          label: { show: true, position: "inside", formatter: "{b} {c}" },
          data: d.labels.map(function (l, i) { return { name: l, value: values[i] }; }) }]
      };
    }
    if (d.type === "pie") {
      return {
        color: palette, tooltip: { trigger: "item", formatter: "{b}：{c} " + unit + "（{d}%）" },
        legend: { type: "scroll", bottom: 0 },
        series: [{ type: "pie", radius: narrow ? ["30%", "55%"] : ["35%", "65%"], center: ["50%", "45%"],
          label: { show: !narrow, formatter: "{b}\n{d}%" }, labelLine: { show: !narrow },
          data: d.labels.map(function (l, i) { return { name: l, value: values[i] }; }) }]
      };
    }
    if (d.type === "hbar" || (d.type === "bar" && narrow)) {
      return {
        color: palette, tooltip: tooltip, grid: grid,
        // a horizontal value axis has no room for its name at the end: the title names the unit
        xAxis: { type: "value", axisLabel: { formatter: plain, hideOverlap: true } },
        yAxis: { type: "category", data: d.labels, inverse: true, axisLabel: { width: narrow ? 90 : 140, overflow: "truncate" } },
        series: [{ type: "bar", data: values, barMaxWidth: 22 }]
      };
    }
    if (d.type === "line") {
      return {
        color: palette, tooltip: tooltip, grid: grid,
        xAxis: { type: "category", data: d.labels, axisLabel: { rotate: 45, hideOverlap: true } }, yAxis: axisValue,
        series: [{ type: "line", data: values, smooth: true, areaStyle: { opacity: 0.15 }, symbolSize: 6 }]
      };
    }
    return {
      color: palette, tooltip: tooltip, grid: grid,
      xAxis: { type: "category", data: d.labels, axisLabel: { interval: 0, rotate: 40 } }, yAxis: axisValue,
      series: [{ type: "bar", data: values, barMaxWidth: 28 }]
    };
  }

  function draw(root) {
    if (typeof window.echarts === "undefined") return;
    var nodes = (root || document).querySelectorAll("[data-chart]");
    Array.prototype.forEach.call(nodes, function (el) {
      if (el.getAttribute("data-drawn")) return;
      var d;
      try { d = JSON.parse(el.getAttribute("data-chart")); } catch (e) { return; }
      if (d.type === "bar" && el.clientWidth < 520) el.style.height = Math.max(300, d.labels.length * 26) + "px";
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(option(d, el.clientWidth));
      chart.on("click", function (p) {
        var link = d.links && d.links[p.dataIndex];
        if (link) window.location.href = link;
      });
      el.setAttribute("data-drawn", "1");
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSwap", function (e) { draw(e.target); });
})();
