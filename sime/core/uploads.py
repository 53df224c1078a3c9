"""Uploaded files are judged by their content (magic bytes), not by their name."""

from __future__ import annotations

import os
import re
import unicodedata
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

# Signatures of the document types accepted as supporting documents.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
}
ZIP_SIGNATURE = b"PK\x03\x04"
# Office Open XML files are zips with a [Content_Types].xml part and their main part.
OFFICE_PARTS: dict[str, str] = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}
TYPE_LABELS: dict[str, str] = {
    "pdf": "PDF",
    "png": "PNG",
    "jpg": "JPG",
    "docx": "Word (.docx)",
    "xlsx": "Excel (.xlsx)",
    "pptx": "PowerPoint (.pptx)",
}
CONTENT_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
# Evidence of activities and projects: documents, photos and Office files.
EVIDENCE_TYPES = ("pdf", "png", "jpg", "docx", "xlsx")


def detect_type(head: bytes) -> str | None:
    for kind, prefixes in SIGNATURES.items():
        if any(head.startswith(prefix) for prefix in prefixes):
            return kind
    return None


def detect_office_type(upload: UploadedFile) -> str | None:
    """`docx`, `xlsx` or `pptx` for a zip holding [Content_Types].xml and the main part; otherwise None."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    for kind, part in OFFICE_PARTS.items():
        if part in names:
            return kind
    return None


def safe_filename(name: str) -> str:
    """An ASCII file name without paths or odd characters (`Oficio nº 5.pdf` → `Oficio_no_5.pdf`)."""
    base = os.path.basename(name.replace("\\", "/"))
    ascii_name = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_name).strip("._") or "archivo"
    return get_valid_filename(cleaned[-120:])


# Extensions that name the same type: kept as the person wrote them.
SAME_TYPE = {"jpg": ("jpg", "jpeg")}


def with_extension(name: str, extension: str) -> str:
    """The name with the extension of the detected type, so a renamed file cannot pose as another
    (`poly.html` holding a PDF is stored and downloaded as `poly.pdf`)."""
    stem, current = os.path.splitext(name)
    if current.lower().lstrip(".") in SAME_TYPE.get(extension, (extension,)):
        return name
    return f"{stem or 'archivo'}.{extension}"


def _type_list(allowed: tuple[str, ...]) -> str:
    labels = [TYPE_LABELS.get(kind, kind.upper()) for kind in allowed]
    if len(labels) == 1:
        return labels[0]
    return _("%(first)s o %(last)s") % {"first": ", ".join(labels[:-1]), "last": labels[-1]}


def validate_document(upload: UploadedFile, allowed: tuple[str, ...] = ("pdf", "png", "jpg")) -> str:
    """Check size and content type; returns the detected type or raises ValidationError.

    The upload's name is made safe (ASCII, no path) and given the extension of its real type."""
    if upload.size is not None and upload.size > settings.UPLOAD_MAX_BYTES:
        limit_mb = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
        raise ValidationError(_("El archivo pesa más de %(limit)s MB.") % {"limit": limit_mb}, code="too_large")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = detect_type(head)
    if kind is None and head.startswith(ZIP_SIGNATURE):
        kind = detect_office_type(upload)
    if kind is None or kind not in allowed:
        raise ValidationError(
            _("Tipo de archivo no permitido: se aceptan %(types)s.") % {"types": _type_list(allowed)}, code="bad_type"
        )
    upload.name = with_extension(safe_filename(upload.name or f"documento.{kind}"), kind)
    return kind
