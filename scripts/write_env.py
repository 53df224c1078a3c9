"""Write a local .env with a fresh random secret key, once. Never overwrites an existing file."""

import secrets
import sys
from pathlib import Path

target = Path(sys.argv[1] if len(sys.argv) > 1 else ".env")
if target.exists():
    sys.exit(0)
target.write_text(
    "# Local settings written by `make run`/`make test`. Not for production; see .env.example.\n"
    f"SECRET_KEY={secrets.token_urlsafe(50)}\n"
    "DEBUG=True\n"
    "ALLOWED_HOSTS=127.0.0.1,localhost\n"
)
print(f"Escrito {target} con una clave secreta aleatoria.")
