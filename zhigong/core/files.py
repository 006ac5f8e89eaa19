"""Uploaded documents: the type is decided by the file's first bytes, never by the name or the
type the browser sent; the size is bounded; the SHA-256 is what the trail records."""

import hashlib
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from zhigong.core.errors import DomainError

# Office Open XML files are zip archives; the extension decides which one it is.
DOCUMENT_TYPES = {
    b"%PDF": "application/pdf",
    b"\x89PNG": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"PK\x03\x04": "application/zip",
}
OFFICE_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    size: int
    sha256: str


def check_document(upload, field: str = "file", max_bytes: int = MAX_DOCUMENT_BYTES) -> CheckedFile:
    """PDF, Word, Excel or a picture, at most `max_bytes`; raises DomainError otherwise.
    Leaves the upload rewound so that it can be saved."""
    if upload.size > max_bytes:
        limit = f"{max_bytes // (1024 * 1024)}MB" if max_bytes >= 1024 * 1024 else f"{max_bytes // 1024}KB"
        raise DomainError("file.too_large", _("文件不能超过%(limit)s。") % {"limit": limit}, field=field)
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    kind = next((t for magic, t in DOCUMENT_TYPES.items() if head.startswith(magic)), None)
    if kind == "application/zip":
        suffix = "." + (getattr(upload, "name", "") or "").rsplit(".", 1)[-1].lower()
        kind = OFFICE_TYPES.get(suffix)
    if kind is None:
        raise DomainError("file.type", _("只能上传PDF、Word、Excel或图片文件。"), field=field)
    digest = hashlib.sha256()
    for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(kind, upload.size, digest.hexdigest())
