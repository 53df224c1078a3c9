"""Uploaded files handed back to people: always an attachment, never sniffed, never run as a page."""

from typing import Any

from django.http import FileResponse

from sime.core.uploads import CONTENT_TYPES

# Even if a browser were talked into rendering the file, it gets no scripts, no origin and no requests.
SANDBOX_POLICY = "default-src 'none'; sandbox"


def stored_file_download(field_file: Any, *, filename: str, content_type: str | None = None) -> FileResponse:
    """A stored file as a download: attachment, `nosniff` and a sandboxing Content-Security-Policy.

    Without `content_type`, the type is the one of the checked kind its (safe) extension names."""
    if content_type is None:
        extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
        content_type = CONTENT_TYPES.get("jpg" if extension == "jpeg" else extension, "application/octet-stream")
    response = FileResponse(field_file.open("rb"), as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_POLICY
    return response
