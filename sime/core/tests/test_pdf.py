import base64
import io

import pytest
from pypdf import PdfReader

from sime.core import pdf
from sime.core.pdf import local_resource

# A 1×1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def test_base64_images_in_data_uris_are_read_locally() -> None:
    url = "data:image/png;base64," + base64.b64encode(PNG).decode()
    assert local_resource(url) == (PNG, "image/png")


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/logo.png",
        "file:///etc/passwd",
        "data:text/html;base64,PHNjcmlwdD4=",
        "data:image/png,not-base64",
        "data:image/png;base64,***",
    ],
)
def test_everything_else_is_refused(url: str) -> None:
    from weasyprint.urls import URLFetchingError

    with pytest.raises(URLFetchingError):
        local_resource(url)


def test_a_pdf_embeds_the_image_and_skips_what_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    image = "data:image/png;base64," + base64.b64encode(PNG).decode()
    html = f'<p>Gráfica</p><img src="{image}"><img src="https://example.org/tracker.png">'
    monkeypatch.setattr(pdf, "render_to_string", lambda template, context: html)
    document = PdfReader(io.BytesIO(pdf.render_pdf("unused.html", {})))
    assert "Gráfica" in document.pages[0].extract_text()
    assert len(document.pages[0].images) == 1  # the data: image; the remote one was never fetched
