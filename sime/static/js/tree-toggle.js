// Expand/collapse for trees: each [data-tree-toggle] button shows or hides the list it controls;
// "Expandir todo / Contraer todo" buttons act on the whole tree.
function setOpen(button, open) {
  const list = document.getElementById(button.getAttribute("aria-controls"));
  if (!list) return;
  button.setAttribute("aria-expanded", String(open));
  list.hidden = !open;
}

document.addEventListener("click", (event) => {
  const toggle = event.target.closest("[data-tree-toggle]");
  if (toggle) {
    setOpen(toggle, toggle.getAttribute("aria-expanded") !== "true");
    return;
  }
  const action = event.target.closest("[data-tree-action]");
  if (!action) return;
  const tree = document.querySelector(action.closest("[data-tree-controls]").dataset.treeControls);
  tree.querySelectorAll("[data-tree-toggle]").forEach((button) => {
    setOpen(button, action.dataset.treeAction === "expand");
  });
});
