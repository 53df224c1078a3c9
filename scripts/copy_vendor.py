"""Copy the pinned npm front-end assets into sime/static/vendor (served by whitenoise; no CDN).

Source maps are copied too: whitenoise's manifest storage fails on a missing referenced .map (and on a
missing image referenced by a stylesheet, hence Leaflet's control images). Then the department
boundaries are put back in vendor/geo/ from their cache (scripts/fetch_boundaries.py).
"""

import shutil
import sys
from pathlib import Path

from fetch_boundaries import BoundaryError, ensure_boundaries

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
TARGET = ROOT / "sime" / "static" / "vendor"

# vendor folder → files under node_modules; a file lands in the folder under its own name, or under
# the path given after "=>" (relative to the folder).
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
    "echarts": ["echarts/dist/echarts.min.js"],
    "leaflet": [
        "leaflet/dist/leaflet.js",
        "leaflet/dist/leaflet.js.map",
        "leaflet/dist/leaflet.css",
        # Referenced by url() in leaflet.css (layers control, default marker): the manifest needs them.
        "leaflet/dist/images/layers.png => images/layers.png",
        "leaflet/dist/images/layers-2x.png => images/layers-2x.png",
        "leaflet/dist/images/marker-icon.png => images/marker-icon.png",
    ],
    "topojson-client": ["topojson-client/dist/topojson-client.min.js"],
}


def split(entry: str) -> tuple[str, str]:
    source, _, target = entry.partition(" => ")
    return source, target or Path(source).name


def main() -> int:
    missing = [split(entry)[0] for paths in FILES.values() for entry in paths if not (NODE / split(entry)[0]).exists()]
    if missing:
        print(f"Faltan archivos de npm (¿corrió `npm ci`?): {', '.join(missing)}", file=sys.stderr)
        return 1
    if TARGET.exists():
        shutil.rmtree(TARGET)
    for folder, paths in FILES.items():
        for entry in paths:
            source, target = split(entry)
            destination = TARGET / folder / target
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(NODE / source, destination)
    try:
        ensure_boundaries()
    except BoundaryError as error:
        print(f"Límites departamentales: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
