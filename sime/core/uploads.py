"""Uploaded files are judged by their content (magic bytes), not by their name."""

from __future__ import annotations

import os
import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

# Signatures of the document types accepted as supporting documents.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
}


def detect_type(head: bytes) -> str | None:
    for kind, prefixes in SIGNATURES.items():
        if any(head.startswith(prefix) for prefix in prefixes):
            return kind
    return None


def safe_filename(name: str) -> str:
    """An ASCII file name without paths or odd characters (`Oficio nº 5.pdf` → `Oficio_no_5.pdf`)."""
    base = os.path.basename(name.replace("\\", "/"))
    ascii_name = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_name).strip("._") or "archivo"
    return cleaned[-120:]


def validate_document(upload: UploadedFile, allowed: tuple[str, ...] = ("pdf", "png", "jpg")) -> str:
    """Check size and content type; returns the detected type or raises ValidationError."""
    if upload.size is not None and upload.size > settings.UPLOAD_MAX_BYTES:
        limit_mb = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
        raise ValidationError(_("El archivo pesa más de %(limit)s MB.") % {"limit": limit_mb}, code="too_large")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = detect_type(head)
    if kind is None or kind not in allowed:
        raise ValidationError(_("Tipo de archivo no permitido: se aceptan PDF, PNG o JPG."), code="bad_type")
    upload.name = safe_filename(upload.name or f"documento.{kind}")
    return kind
