// Warns before leaving the page while a form marked data-unsaved-guard has fields typed but not
// saved, or refused as invalid. Autosaved (htmx) forms become clean only when their save state
// element (data-save-state) reports "saved"; plain forms become clean when submitted.
(() => {
  const dirty = new Set();
  const guarded = (element) => element instanceof Element && element.closest("form[data-unsaved-guard]");

  document.addEventListener("input", (event) => {
    const form = guarded(event.target);
    if (form) dirty.add(form);
  });
  document.addEventListener("change", (event) => {
    const form = guarded(event.target);
    if (form) dirty.add(form);
  });
  document.addEventListener("submit", (event) => {
    const form = guarded(event.target);
    if (form && !form.hasAttribute("hx-post")) dirty.delete(form);
  });
  document.addEventListener("htmx:afterSettle", () => {
    // Once a save has cleared the signatures, later saves have nothing left to warn about.
    if (document.querySelector("[data-signatures-cleared]")) {
      document.querySelectorAll("form[hx-confirm]").forEach((form) => form.removeAttribute("hx-confirm"));
    }
    for (const form of Array.from(dirty)) {
      const state = document.getElementById(form.dataset.unsavedGuard);
      if (state && state.querySelector("[data-testid='saved']")) dirty.delete(form);
    }
  });
  window.addEventListener("beforeunload", (event) => {
    if (dirty.size === 0) return;
    event.preventDefault();
    event.returnValue = "";
  });
})();
