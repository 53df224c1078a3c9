"""Copy the pinned npm front-end assets into sime/static/vendor (served by whitenoise; no CDN).

Source maps are copied too: whitenoise's manifest storage fails on a missing referenced .map.
"""

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
TARGET = ROOT / "sime" / "static" / "vendor"

FILES = {
    "bootstrap": [
        "bootstrap/dist/css/bootstrap.min.css",
        "bootstrap/dist/css/bootstrap.min.css.map",
        "bootstrap/dist/js/bootstrap.bundle.min.js",
        "bootstrap/dist/js/bootstrap.bundle.min.js.map",
    ],
    "htmx": ["htmx.org/dist/htmx.min.js"],
    "cytoscape": ["cytoscape/dist/cytoscape.min.js"],
    "frappe-gantt": ["frappe-gantt/dist/frappe-gantt.umd.js", "frappe-gantt/dist/frappe-gantt.css"],
}


def main() -> int:
    missing = [path for paths in FILES.values() for path in paths if not (NODE / path).exists()]
    if missing:
        print(f"Faltan archivos de npm (¿corrió `npm ci`?): {', '.join(missing)}", file=sys.stderr)
        return 1
    if TARGET.exists():
        shutil.rmtree(TARGET)
    for folder, paths in FILES.items():
        (TARGET / folder).mkdir(parents=True, exist_ok=True)
        for path in paths:
            shutil.copy2(NODE / path, TARGET / folder / Path(path).name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
