"""The committed OpenAPI schema (docs/api/openapi.yaml) must match the code.

`python scripts/check_schema.py` fails with a diff when they differ;
`python scripts/check_schema.py --update` rewrites the committed file.
"""

import difflib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "docs" / "api" / "openapi.yaml"


def generate() -> str:
    # Integer ranges in the schema come from the database backend: always describe it as on SQLite,
    # so the committed file is the same whichever DATABASE_URL the checker runs with.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DATABASE_URL": "sqlite://:memory:"}
    result = subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--validate", "--fail-on-warn", "--lang", "es"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def main() -> int:
    current = generate()
    if "--update" in sys.argv:
        COMMITTED.write_text(current, encoding="utf-8")
        print(f"Actualizado {COMMITTED.relative_to(ROOT)}")
        return 0
    committed = COMMITTED.read_text(encoding="utf-8") if COMMITTED.exists() else ""
    if committed == current:
        return 0
    sys.stdout.writelines(
        difflib.unified_diff(committed.splitlines(True), current.splitlines(True), "committed", "generated")
    )
    print("\nEl esquema OpenAPI cambió: revise el diff y corra `python scripts/check_schema.py --update`.")
    return 1


if __name__ == "__main__":
    sys.exit(main())
