"""What an evidence file is, judged by its bytes: PDF, images, Office documents (OOXML and legacy), CSV.

Builds on sime.core.uploads (the narrower check for supporting documents) with the wider set the
reporting instruments accept.

The name's extension is never trusted: a renamed executable or an HTML page is refused.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sime.core.uploads import SIGNATURES, detect_office_type, safe_filename, with_extension

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc / .xls / .ppt before 2007
# Bytes that never appear in a text file people export as CSV.
BINARY_MARKERS = (b"\x00",)
INSTRUMENT_EVIDENCE_TYPES = ("pdf", "png", "jpg", "gif", "webp", "docx", "xlsx", "pptx", "ole", "csv")
EXTRA_SIGNATURES = {"gif": (b"GIF87a", b"GIF89a")}


def _looks_like_csv(upload: Any, name: str) -> bool:
    if not name.lower().endswith(".csv"):
        return False
    sample = upload.read(64 * 1024)
    upload.seek(0)
    if any(marker in sample for marker in BINARY_MARKERS):
        return False
    text = sample.decode("utf-8", errors="ignore") if sample else ""
    lowered = text.lstrip().lower()
    # An HTML or script page renamed .csv would be dangerous if served inline: refuse it.
    return bool(text) and not lowered.startswith(("<", "<!doctype", "<html", "<script"))


# The stream each legacy Office program writes into its OLE2 file, as UTF-16 in the file's directory.
OLE_STREAMS = (
    ("doc", "WordDocument".encode("utf-16-le")),
    ("xls", "Workbook".encode("utf-16-le")),
    ("ppt", "PowerPoint Document".encode("utf-16-le")),
)


def _ole_extension(upload: Any, name: str) -> str:
    """.doc, .xls or .ppt for a legacy Office file: the name's own when it is one of them, else the
    program whose stream the file holds; `bin` for another OLE2 file (never a name like .html)."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension in {kind for kind, _stream in OLE_STREAMS}:
        return extension
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    return next((kind for kind, stream in OLE_STREAMS if stream in content), "bin")


def detect_kind(upload: Any) -> str | None:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for kind, prefixes in {**SIGNATURES, **EXTRA_SIGNATURES}.items():
        if any(head.startswith(prefix) for prefix in prefixes):
            return kind
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"PK\x03\x04"):
        return detect_office_type(upload)
    if head.startswith(OLE2):
        return "ole"
    if _looks_like_csv(upload, getattr(upload, "name", "") or ""):
        return "csv"
    return None


def validate_evidence(upload: Any, allowed: tuple[str, ...] = INSTRUMENT_EVIDENCE_TYPES) -> str:
    """Size and content check of a medio de verificación; returns its kind, or raises ValidationError."""
    if upload.size is not None and upload.size > settings.UPLOAD_MAX_BYTES:
        limit_mb = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
        raise ValidationError(_("El archivo pesa más de %(limit)s MB.") % {"limit": limit_mb}, code="too_large")
    if not upload.size:
        raise ValidationError(_("El archivo está vacío."), code="empty")
    kind = detect_kind(upload)
    if kind is None or kind not in allowed:
        raise ValidationError(
            _(
                "Tipo de archivo no permitido: se aceptan PDF, imágenes (PNG, JPG, GIF, WebP), "
                "Word, Excel, PowerPoint o CSV."
            ),
            code="bad_type",
        )
    name = safe_filename(upload.name or f"evidencia.{kind}")
    upload.name = with_extension(name, _ole_extension(upload, name) if kind == "ole" else kind)
    return kind
