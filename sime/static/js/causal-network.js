// Draws the causal network (red causal) with cytoscape.js from a json_script block.
document.querySelectorAll("[data-causal-graph]").forEach((container) => {
  const data = JSON.parse(document.getElementById(container.dataset.causalGraph).textContent);
  const cy = window.cytoscape({
    container,
    elements: [
      ...data.nodes.map((n) => ({ data: { id: String(n.id), label: n.label, colour: n.colour, url: n.url } })),
      ...data.edges.map((e, i) => ({ data: { id: `e${i}`, source: String(e.source), target: String(e.target) } })),
    ],
    layout: { name: "breadthfirst", directed: true, spacingFactor: 1.1 },
    style: [
      {
        selector: "node",
        style: {
          "background-color": "data(colour)",
          label: "data(label)",
          "font-size": 10,
          "text-wrap": "wrap",
          "text-max-width": 140,
          "text-valign": "bottom",
          "text-margin-y": 4,
          width: 22,
          height: 22,
        },
      },
      {
        selector: "edge",
        style: {
          width: 2,
          "line-color": "#6c757d",
          "target-arrow-color": "#6c757d",
          "target-arrow-shape": "triangle",
          "curve-style": "bezier",
        },
      },
    ],
    wheelSensitivity: 0.3,
  });
  cy.on("tap", "node", (event) => {
    window.location.href = event.target.data("url");
  });
  container.dataset.ready = "true";
  document.querySelectorAll("[data-graph-action]").forEach((button) => {
    button.addEventListener("click", () => {
      const action = button.dataset.graphAction;
      if (action === "fit") cy.fit(undefined, 20);
      else cy.zoom({ level: cy.zoom() * (action === "zoom-in" ? 1.25 : 0.8), renderedPosition: { x: container.clientWidth / 2, y: container.clientHeight / 2 } });
    });
  });
  window.simeCausalGraph = cy;
});
