// Draws ECharts charts from a json_script block: <div data-chart="ID" role="img" aria-label="…">.
// The block holds a complete ECharts option built on the server (no functions). An optional top-level
// "sime_format": "number" | "percent" | "money" adds es-GT number formatting (1,234.5) to tooltips,
// value-axis labels and series labels; the key is removed before setOption. Percent values are
// already in percent units (12.5 → "12.5 %"); money is in quetzales ("Q 1,234.50").
// The table beside each chart is the accessible alternative; the container's role/aria-label point to it.
(() => {
  if (!window.echarts) return;

  const NUMBER = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
  const MONEY = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const FORMATS = {
    number: (value) => NUMBER.format(value),
    percent: (value) => `${NUMBER.format(value)} %`,
    money: (value) => `Q ${MONEY.format(value)}`,
  };
  // Axis ticks are round numbers: no forced cents on a money axis.
  const AXIS_FORMATS = { ...FORMATS, money: (value) => `Q ${NUMBER.format(value)}` };

  function formatterFor(kind, missing, formats = FORMATS) {
    const format = formats[kind];
    if (!format) return null;
    return (raw) => {
      const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
      const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
      return typeof number === "number" && Number.isFinite(number) ? format(number) : missing;
    };
  }

  const asList = (value) => (value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]);

  // The value a series label shows: a plain number, or the last coordinate of a [x, y] pair.
  function labelValue(params) {
    const value = params.value;
    if (Array.isArray(value)) return value[value.length - 1];
    if (value && typeof value === "object" && "value" in value) return value.value;
    return value;
  }

  function applyFormat(option, format, axisFormat) {
    option.tooltip = { ...(option.tooltip || {}) };
    if (!option.tooltip.valueFormatter) option.tooltip.valueFormatter = format;
    for (const [key, defaultType] of [["xAxis", "category"], ["yAxis", "value"]]) {
      if (!option[key]) continue;
      const axes = asList(option[key]).map((axis) => {
        if ((axis.type || defaultType) !== "value") return axis;
        const axisLabel = { ...(axis.axisLabel || {}) };
        if (!axisLabel.formatter) axisLabel.formatter = (value) => axisFormat(value);
        return { ...axis, axisLabel };
      });
      option[key] = Array.isArray(option[key]) ? axes : axes[0];
    }
    if (option.series) {
      option.series = asList(option.series).map((series) => {
        if (!series.label || series.label.formatter) return series;
        return { ...series, label: { ...series.label, formatter: (params) => format(labelValue(params)) } };
      });
    }
  }

  const reducedMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  const charts = [];

  document.querySelectorAll("[data-chart]").forEach((container) => {
    const source = document.getElementById(container.dataset.chart);
    if (!source) return;
    const option = JSON.parse(source.textContent);
    const missing = container.dataset.missingLabel || "Sin dato";
    const format = formatterFor(option.sime_format, missing);
    const axisFormat = formatterFor(option.sime_format, missing, AXIS_FORMATS);
    delete option.sime_format;
    if (format) applyFormat(option, format, axisFormat);
    if (reducedMotion) option.animation = false;

    const chart = window.echarts.init(container, null, { renderer: "svg" });
    const markReady = () => {
      container.dataset.ready = "true";
    };
    chart.on("finished", markReady);
    chart.setOption(option);
    // A hidden container (zero size) never fires "finished": it is drawn when it gets a size.
    if (!container.clientWidth || !container.clientHeight) markReady();
    charts.push(chart);
  });

  if (!charts.length) return;
  let pending = false;
  const resizeAll = () => charts.forEach((chart) => chart.resize());
  window.addEventListener("resize", () => {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(() => {
      pending = false;
      resizeAll();
    });
  });
  // Print: redraw at the paper's width, and back afterwards.
  window.addEventListener("beforeprint", resizeAll);
  window.addEventListener("afterprint", resizeAll);
})();
