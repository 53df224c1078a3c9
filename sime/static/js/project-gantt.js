// Draws a project's schedule (cronograma) with frappe-gantt, read-only; the table beside it is the
// accessible alternative.
document.querySelectorAll("[data-gantt]").forEach((container) => {
  const rows = JSON.parse(document.getElementById(container.dataset.gantt).textContent);
  if (!rows.length || !window.Gantt) return;
  const tasks = rows.map((row) => ({
    id: row.id,
    name: row.name,
    start: row.start,
    end: row.end,
    progress: 0,
    custom_class: row.kind === "consultancy" ? "gantt-consultancy" : "gantt-activity",
  }));
  new window.Gantt(container, tasks, {
    view_mode: "Month",
    readonly: true,
    language: document.documentElement.lang || "es",
    popup: false,
    scroll_to: "start",
    today_button: false,
  });
  // The chart scrolls sideways inside its own box: make that box reachable with the keyboard.
  const scroller = container.querySelector(".gantt-container");
  if (scroller) scroller.setAttribute("tabindex", "0");
  container.dataset.ready = "true";
});
