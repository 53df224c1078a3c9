import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from sime.core.file_types import validate_evidence
from sime.core.uploads import safe_filename, validate_document


def test_pdf_is_accepted_by_content_and_renamed_safely() -> None:
    upload = SimpleUploadedFile("../../Oficio nº 5 désignación.pdf", b"%PDF-1.7 ...", "application/pdf")
    assert validate_document(upload) == "pdf"
    assert upload.name == "Oficio_no_5_designacion.pdf"


def test_html_renamed_as_pdf_is_refused() -> None:
    upload = SimpleUploadedFile("oficio.pdf", b"<html><script>alert(1)</script>", "application/pdf")
    with pytest.raises(ValidationError) as error:
        validate_document(upload)
    assert error.value.messages == ["Tipo de archivo no permitido: se aceptan PDF, PNG o JPG."]


def test_size_limit(settings) -> None:  # type: ignore[no-untyped-def]
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    upload = SimpleUploadedFile("grande.pdf", b"%PDF-" + b"0" * (1024 * 1024), "application/pdf")
    with pytest.raises(ValidationError) as error:
        validate_document(upload)
    assert error.value.messages == ["El archivo pesa más de 1 MB."]


def test_safe_filename_never_empty() -> None:
    assert safe_filename("////") == "archivo"
    assert safe_filename("C:\\Users\\x\\acta.png") == "acta.png"


def _zip(parts: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


EVIDENCE = ("pdf", "png", "jpg", "docx", "xlsx")


def test_office_files_are_recognised_by_their_parts() -> None:
    docx = SimpleUploadedFile("memoria.docx", _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"}))
    xlsx = SimpleUploadedFile("lista.XLSX", _zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<w/>"}))
    assert validate_document(docx, EVIDENCE) == "docx"
    assert validate_document(xlsx, EVIDENCE) == "xlsx"
    assert (docx.name, xlsx.name) == ("memoria.docx", "lista.XLSX")


@pytest.mark.parametrize(
    "content",
    [
        _zip({"word/document.xml": b"<w/>"}),  # no [Content_Types].xml
        _zip({"[Content_Types].xml": b"<x/>", "evil.html": b"<html>"}),  # neither Word nor Excel
        b"PK\x03\x04 not really a zip",
    ],
)
def test_other_zips_are_refused(content: bytes) -> None:
    with pytest.raises(ValidationError) as error:
        validate_document(SimpleUploadedFile("memoria.docx", content), EVIDENCE)
    assert error.value.messages == [
        "Tipo de archivo no permitido: se aceptan PDF, PNG, JPG, Word (.docx) o Excel (.xlsx)."
    ]


def test_office_files_are_refused_where_not_allowed() -> None:
    docx = SimpleUploadedFile("memoria.docx", _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"}))
    with pytest.raises(ValidationError):
        validate_document(docx)


def test_the_name_takes_the_extension_of_the_real_type() -> None:
    upload = SimpleUploadedFile("foto.html", b"\x89PNG\r\n\x1a\n....", "text/html")
    assert validate_document(upload) == "png"
    assert upload.name == "foto.png"


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@pytest.mark.parametrize(
    ("name", "content", "stored"),
    [
        ("poly.html", b"%PDF-1.4 x", "poly.pdf"),
        ("foto.jpeg", b"\xff\xd8\xff\xe0 jpeg", "foto.jpeg"),
        ("lista.csv", b"Nombre\nAna\n", "lista.csv"),
        ("acta.doc", OLE2 + b"\x00" * 8, "acta.doc"),
        ("acta.html", OLE2 + b"\x00" * 8 + "WordDocument".encode("utf-16-le"), "acta.doc"),
        ("datos.html", OLE2 + b"\x00" * 8 + "Workbook".encode("utf-16-le"), "datos.xls"),
        ("raro.html", OLE2 + b"\x00" * 8, "raro.bin"),
    ],
)
def test_instrument_evidence_takes_the_extension_of_its_content(name: str, content: bytes, stored: str) -> None:
    upload = SimpleUploadedFile(name, content)
    validate_evidence(upload)
    assert upload.name == stored
