// "Expandir todo / Contraer todo" for trees drawn with <details> (keyboard-friendly by nature).
document.querySelectorAll("[data-tree-controls]").forEach((controls) => {
  const tree = document.querySelector(controls.dataset.treeControls);
  if (!tree) return;
  controls.addEventListener("click", (event) => {
    const button = event.target.closest("[data-tree-action]");
    if (!button) return;
    const open = button.dataset.treeAction === "expand";
    tree.querySelectorAll("details").forEach((details) => {
      details.open = open;
    });
  });
});
