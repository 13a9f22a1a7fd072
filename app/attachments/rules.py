"""Which files an applicant may attach: by extension, by content (magic bytes) and by size.

The browser's claimed content type is never trusted; the first bytes must match the extension.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from flask_babel import gettext as _

MAX_BYTES = 10 * 1024 * 1024  # the default of the ATTACHMENT_MAX_BYTES setting
MAX_FILES_PER_CASE = 20
_ZIP = (b"PK\x03\x04",)


@dataclass(frozen=True)
class FileType:
    content_type: str
    magic: tuple[bytes, ...]


TYPES: dict[str, FileType] = {
    "pdf": FileType("application/pdf", (b"%PDF-",)),
    "docx": FileType(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP
    ),
    "xlsx": FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    "odt": FileType("application/vnd.oasis.opendocument.text", _ZIP),
    "ods": FileType("application/vnd.oasis.opendocument.spreadsheet", _ZIP),
    "png": FileType("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": FileType("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": FileType("image/jpeg", (b"\xff\xd8\xff",)),
}
ALLOWED = ", ".join(sorted(name.upper() for name in TYPES if name != "jpeg"))


class FileRefused(ValueError):
    """The message says what is wrong with the file, for the person who sent it."""


# Control characters (C0, DEL, C1), line and paragraph separators, and the bidirectional
# controls: a right-to-left override shows "invoice\u202efdp.exe" as "invoiceexe.pdf".
_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def clean_name(name: str) -> str:
    """A display name without paths, control or bidirectional control characters, at most 200
    characters. The characters go before the extension is read, so the type check sees the
    name as it will be shown."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSHOWABLE.sub("", name).strip(" .")
    return name[-200:] or "attachment"


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def size_text(size: float) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


def check_file(name: str, head: bytes, size: int, max_bytes: int = MAX_BYTES) -> FileType:
    """The file's type if it may be attached; FileRefused with the reason otherwise."""
    extension = extension_of(name)
    file_type = TYPES.get(extension)
    if file_type is None:
        raise FileRefused(
            _("“%(name)s” is not an allowed type. Allowed: %(types)s.", name=name, types=ALLOWED)
        )
    if size == 0:
        raise FileRefused(_("“%(name)s” is empty.", name=name))
    if size > max_bytes:
        limit = size_text(max_bytes)
        raise FileRefused(
            _("“%(name)s” is too large; the limit is %(size)s.", name=name, size=limit)
        )
    if not head.startswith(file_type.magic):
        raise FileRefused(
            _("“%(name)s” is not a real %(type)s file.", name=name, type=extension.upper())
        )
    return file_type
