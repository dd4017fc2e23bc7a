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


# --- zip bombs (issue 19, case 6) ---------------------------------------------------------


def bomb_docx(unpacked_mb: int) -> bytes:
    """A .docx whose document part unpacks to `unpacked_mb` MB of zeros (a few KB packed)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"\0" * (unpacked_mb * 1024 * 1024))
    return buf.getvalue()


def lying_docx(unpacked_mb: int) -> bytes:
    """A bomb whose central directory claims the part is tiny."""
    data = bytearray(bomb_docx(unpacked_mb))
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = archive.getinfo("word/document.xml")
    # Patch the uncompressed size (4 bytes) in the central directory record of that entry.
    offset = 0
    while (offset := data.find(b"PK\x01\x02", offset)) != -1:
        name_len = int.from_bytes(data[offset + 28 : offset + 30], "little")
        name = bytes(data[offset + 46 : offset + 46 + name_len])
        if name == info.filename.encode():
            data[offset + 24 : offset + 28] = (1000).to_bytes(4, "little")
            break
        offset += 4
    return bytes(data)


@pytest.mark.parametrize(
    "make, code, says",
    [
        (bomb_docx, "unpacked_too_large", "pakt uit tot meer dan 20 MB"),
        # The archive claims a tiny part: inflating it shows the lie (a CRC error).
        (lying_docx, "damaged", "beschadigd"),
    ],
)
def test_a_small_docx_that_unpacks_to_hundreds_of_megabytes_is_refused(settings, make, code, says):
    settings.LEV_MAX_UNPACKED_MB = 20
    content = make(40)
    assert len(content) < 400_000  # a small upload
    with pytest.raises(ValidationError) as err:
        validate_upload(SimpleUploadedFile("verslag.docx", content))
    assert err.value.code == code
    assert says in str(err.value)


def test_a_docx_with_thousands_of_parts_is_refused(settings):
    settings.LEV_MAX_ZIP_ENTRIES = 50
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
        for i in range(60):
            z.writestr(f"word/media/{i}.xml", "x")
    with pytest.raises(ValidationError) as err:
        validate_upload(SimpleUploadedFile("verslag.docx", buf.getvalue()))
    assert err.value.code == "too_many_entries"


def test_a_normal_docx_within_the_limits_passes(settings):
    settings.LEV_MAX_UNPACKED_MB = 20
    assert validate_upload(SimpleUploadedFile("verslag.docx", bomb_docx(5))).endswith(
        "wordprocessingml.document"
    )
