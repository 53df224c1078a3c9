"""The name django-axes counts failed logins under: the e-mail as login reads it (trimmed, any case),
so «Ana@IGM.gob.gt» and «ana@igm.gob.gt » are one account and share one lockout."""

from __future__ import annotations

from typing import Any


def lockout_username(request: Any, credentials: dict[str, Any] | None = None) -> str:
    if credentials and credentials.get("username") is not None:
        raw = credentials["username"]
    else:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        raw = data.get("username", "")
    return str(raw or "").strip().lower()
