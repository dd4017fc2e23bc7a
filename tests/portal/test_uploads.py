"""Uploads are judged by their bytes, not their name."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.uploads import DOCUMENTS, EVIDENCE, safe_name, validate_upload

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def test_pdf_is_accepted():
    assert validate_upload(SimpleUploadedFile("rapport.pdf", PDF)) == "application/pdf"


def test_docx_is_recognised_inside_the_zip():
    mime = validate_upload(SimpleUploadedFile("verslag.docx", docx_bytes()))
    assert mime.endswith("wordprocessingml.document")


def test_png_named_pdf_is_a_mismatch():
    with pytest.raises(ValidationError) as err:
        validate_upload(SimpleUploadedFile("rapport.pdf", PNG))
    assert err.value.code == "mismatch"


def test_executable_is_refused():
    with pytest.raises(ValidationError) as err:
        validate_upload(SimpleUploadedFile("setup.pdf", b"MZ\x90\x00" + b"\x00" * 200), EVIDENCE)
    assert err.value.code == "bad_type"


def test_plain_text_pretending_to_be_pdf_is_refused():
    with pytest.raises(ValidationError):
        validate_upload(SimpleUploadedFile("a.pdf", b"hello world"), DOCUMENTS)


def test_too_large_is_refused(settings):
    settings.LEV_MAX_UPLOAD_MB = 1
    big = PDF + b"0" * (1024 * 1024 + 1)
    with pytest.raises(ValidationError) as err:
        validate_upload(SimpleUploadedFile("groot.pdf", big))
    assert err.value.code == "too_large"


def test_empty_file_is_refused():
    with pytest.raises(ValidationError) as err:
        validate_upload(SimpleUploadedFile("leeg.pdf", b""))
    assert err.value.code == "empty"


def test_safe_name_strips_paths_and_odd_characters():
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("C:\\Users\\x\\les <plan>.pdf") == "les _plan_.pdf"
    assert "/" not in safe_name("a/b/c.pdf")
