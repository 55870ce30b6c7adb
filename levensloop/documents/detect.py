"""What a file is, decided by its content (magic bytes and inner structure), never by its name
or by the content type the browser sends.

Allowed: PDF, PNG, JPEG, Word (.docx), Excel (.xlsx), OpenDocument text (.odt) and plain UTF-8
text. Office files are zip containers; a zip is accepted only with the structure of one of
those formats, so an arbitrary zip (or an archive with a renamed extension) is refused. Markup
(HTML, SVG, XML) is refused even though it is text: a browser could run it.
"""

from __future__ import annotations

import io
import re
import zipfile

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
TEXT = "text/plain"

# The file extension a download gets when its name does not already end in one of these.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    PDF: (".pdf",),
    PNG: (".png",),
    JPEG: (".jpg", ".jpeg"),
    DOCX: (".docx",),
    XLSX: (".xlsx",),
    ODT: (".odt",),
    TEXT: (".txt",),
}

# Short names for the screen.
LABELS = {
    PDF: "PDF",
    PNG: "PNG",
    JPEG: "JPEG",
    DOCX: "Word",
    XLSX: "Excel",
    ODT: "ODT",
    TEXT: "Tekst",
}

_DOCX_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_XLSX_MAIN = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_MAX_MANIFEST = 1024 * 1024  # bytes of [Content_Types].xml we are willing to inflate
_MARKUP = re.compile(
    r"<\s*(?:!doctype|html|head|body|script|iframe|svg|object|embed|meta|\?xml)\b", re.IGNORECASE
)


def detect(data: bytes) -> str | None:
    """The content type of `data`, or None when it is not one of the allowed types."""
    if not data:
        return None
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        return _office_type(data)
    return TEXT if _is_plain_text(data) else None


def _office_type(data: bytes) -> str | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
        names = {entry.filename for entry in entries}
        if entries and entries[0].filename == "mimetype":
            # ODF: the first entry is "mimetype", stored uncompressed, holding the type.
            first = entries[0]
            if first.compress_type != zipfile.ZIP_STORED or first.file_size > 100:
                return None
            if (
                archive.read(first) == ODT.encode()
                and "content.xml" in names
                and "META-INF/manifest.xml" in names
            ):
                return ODT
            return None
        if "[Content_Types].xml" in names:
            manifest = archive.getinfo("[Content_Types].xml")
            if manifest.file_size > _MAX_MANIFEST:
                return None
            types = archive.read(manifest)
            if _DOCX_MAIN in types and "word/document.xml" in names:
                return DOCX
            if _XLSX_MAIN in types and "xl/workbook.xml" in names:
                return XLSX
        return None
    except Exception:  # damaged, encrypted or otherwise unreadable archive: not accepted
        return None


def _is_plain_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    head = text.lstrip("\ufeff \t\r\n")
    return not (head.startswith("<") or _MARKUP.search(text))
