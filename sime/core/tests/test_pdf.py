import base64

import pytest

from sime.core.pdf import _local_only

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 8


def test_base64_images_in_data_uris_are_read_locally() -> None:
    url = "data:image/png;base64," + base64.b64encode(PNG).decode()
    assert _local_only(url) == {"string": PNG, "mime_type": "image/png"}


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
        _local_only(url)
