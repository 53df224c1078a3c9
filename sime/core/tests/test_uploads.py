import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

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
