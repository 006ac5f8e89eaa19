"""Uploads are judged by their first bytes and their size."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhigong.core.errors import DomainError
from zhigong.core.files import check_document


@pytest.mark.parametrize("name,data,kind", [
    ("a.pdf", b"%PDF-1.7 ...", "application/pdf"),
    ("a.png", b"\x89PNG\r\n\x1a\n...", "image/png"),
    ("photo.jpeg", b"\xff\xd8\xff\xe0...", "image/jpeg"),
    ("plan.docx", b"PK\x03\x04...", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("sheet.XLSX", b"PK\x03\x04...", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
])
def test_accepted(name, data, kind):
    checked = check_document(SimpleUploadedFile(name, data, "text/plain"))  # the browser's type is ignored
    assert checked.content_type == kind and checked.size == len(data) and len(checked.sha256) == 64


@pytest.mark.parametrize("name,data", [
    ("evil.pdf", b"MZ\x90\x00 an executable"),
    ("archive.zip", b"PK\x03\x04 not an office file"),
    ("empty.pdf", b""),
])
def test_refused_by_content(name, data):
    with pytest.raises(DomainError) as err:
        check_document(SimpleUploadedFile(name, data, "application/pdf"))
    assert err.value.code == "file.type" and err.value.field == "file"


def test_too_large():
    with pytest.raises(DomainError) as err:
        check_document(SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * 2048, "application/pdf"), max_bytes=1024)
    assert err.value.code == "file.too_large" and "1KB" in str(err.value.message)
