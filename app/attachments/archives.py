"""Office documents are zip archives: a .docx or .odt is checked as one before it is kept, so a
zip bomb or a damaged archive under an office extension is refused (the first bytes alone say
only "some zip").

The central directory is read with `zipfile` and nothing is extracted to disk. Checked: it is a
zip; at most `MAX_ENTRIES` entries; no absolute, drive or '..' paths, backslashes or NULs;
no encrypted entries and only the compression methods office suites write (stored, deflate);
the member the format requires (OOXML `[Content_Types].xml`, ODF `mimetype` naming the type);
no entry of a megabyte or more inflating over `MAX_RATIO` times its compressed size; the
declared sizes together at most the `ATTACHMENT_MAX_UNPACKED_BYTES` setting.

The central directory's sizes can lie, so every entry is then inflated in chunks and thrown
away: `zipfile` stops an entry at its declared size and checks its CRC, so an entry that holds
more (or other) data than it declares is refused as damaged. The work is bounded by the
declared total checked first (100 MB by default, a fraction of a second); nothing is kept in
memory beyond one chunk.
"""

from __future__ import annotations

import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _

from app.attachments.rules import FileRefused

MAX_ENTRIES = 1000
MAX_RATIO = 100  # uncompressed : compressed, for entries of RATIO_FLOOR bytes or more
RATIO_FLOOR = 1024 * 1024  # small parts (XML styles, empty sheets) compress very well legally
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # the default of ATTACHMENT_MAX_UNPACKED_BYTES
_CHUNK = 1024 * 1024
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


@dataclass(frozen=True)
class Package:
    """What a format's archive must hold: a member, and (ODF) that member's exact content."""

    member: str
    content: bytes | None = None


_OOXML = Package("[Content_Types].xml")
PACKAGES: dict[str, Package] = {
    "docx": _OOXML,
    "xlsx": _OOXML,
    "pptx": _OOXML,
    "odt": Package("mimetype", b"application/vnd.oasis.opendocument.text"),
    "ods": Package("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
    "odp": Package("mimetype", b"application/vnd.oasis.opendocument.presentation"),
}


def check_archive(
    path: Path, name: str, extension: str, max_unpacked: int = MAX_UNPACKED_BYTES
) -> None:
    """Raise FileRefused (naming the file and the reason) unless the file at `path` is a sound
    archive of the office format `extension`; other extensions pass untouched."""
    package = PACKAGES.get(extension)
    if package is None:
        return
    kind = extension.upper()
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            _check_directory(entries, name, kind, max_unpacked)
            _check_package(archive, package, name, kind)
            _inflate_all(archive, entries)
    except FileRefused:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError):
        raise FileRefused(
            _("“%(name)s” is not a real %(type)s file: it is damaged.", name=name, type=kind)
        ) from None
    except NotImplementedError:
        raise FileRefused(_unusual(name, kind)) from None


def _check_directory(
    entries: list[zipfile.ZipInfo], name: str, kind: str, max_unpacked: int
) -> None:
    if len(entries) > MAX_ENTRIES:
        raise FileRefused(
            _(
                "“%(name)s” holds more than %(count)d parts; a %(type)s file has far fewer.",
                name=name,
                count=MAX_ENTRIES,
                type=kind,
            )
        )
    total = 0
    for entry in entries:
        if _unsafe_path(entry.filename):
            raise FileRefused(_("“%(name)s” holds a part with an unsafe path.", name=name))
        if (
            entry.flag_bits & 0x1
            or entry.compress_type not in _METHODS
            or stat.S_ISLNK(entry.external_attr >> 16)
        ):
            raise FileRefused(_unusual(name, kind))
        if entry.file_size >= RATIO_FLOOR and entry.file_size > MAX_RATIO * max(
            entry.compress_size, 1
        ):
            raise FileRefused(
                _(
                    "“%(name)s” is compressed suspiciously tightly (a zip bomb?).",
                    name=name,
                )
            )
        total += entry.file_size
        if total > max_unpacked:
            raise FileRefused(
                _(
                    "“%(name)s” unpacks to more than %(size)d MB.",
                    name=name,
                    size=max_unpacked // (1024 * 1024),
                )
            )


def _unsafe_path(member: str) -> bool:
    return (
        "\0" in member
        or "\\" in member
        or member.startswith("/")
        or re.match(r"[A-Za-z]:", member) is not None
        or ".." in member.split("/")
    )


def _check_package(archive: zipfile.ZipFile, package: Package, name: str, kind: str) -> None:
    try:
        info = archive.getinfo(package.member)
    except KeyError:
        info = None
    if info is not None and package.content is not None:
        with archive.open(info) as member:
            found = member.read(len(package.content) + 1).strip()
        if found != package.content:
            info = None
    if info is None:
        raise FileRefused(_("“%(name)s” is not a real %(type)s file.", name=name, type=kind))


def _inflate_all(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo]) -> None:
    """Inflate every entry and throw the bytes away: zipfile stops at each declared size and
    raises BadZipFile on a CRC that does not match, so lying sizes surface here."""
    for entry in entries:
        if entry.is_dir():
            continue
        with archive.open(entry) as member:
            while member.read(_CHUNK):
                pass


def _unusual(name: str, kind: str) -> str:
    return _(
        "“%(name)s” uses encryption, links or a compression a %(type)s file does not use.",
        name=name,
        type=kind,
    )
