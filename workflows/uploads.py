"""Unpack an uploaded zip defensively: no path traversal, links, zip bombs or stray junk."""

from __future__ import annotations

import io
import re
import stat
import zipfile

from workflows.errors import BundleRefused, Problem

MAX_ZIP_FILES = 500
MAX_ZIP_BYTES = 20_000_000
_TEXT_SUFFIXES = (".bpmn", ".dmn", ".json", ".md", ".txt", ".xml", ".py", ".yml", ".yaml")


def zip_tree(
    data: bytes,
    *,
    max_files: int = MAX_ZIP_FILES,
    max_bytes: int = MAX_ZIP_BYTES,
    strip_folder: bool = True,
) -> dict[str, bytes]:
    """The files of an uploaded zip by posix path, read defensively; raise BundleRefused.

    Refused: absolute paths, '..', backslashes, symlinks, encrypted entries, duplicates, more
    than max_files files, more than max_bytes uncompressed (counted while inflating, so a
    lying header does not help a zip bomb) and text files that are not UTF-8. Folders and
    hidden files (``__MACOSX/``, ``.DS_Store``, ``.git/``) are left out; a single folder
    common to every file is stripped unless ``strip_folder`` is False.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise BundleRefused([Problem("upload", None, "not a zip file")]) from None
    entries = [info for info in archive.infolist() if not info.is_dir()]
    if len(entries) > 4 * max_files:
        raise BundleRefused([Problem("upload", None, f"more than {max_files} files")])
    problems: list[Problem] = []
    tree: dict[str, bytes] = {}
    total = 0  # bytes actually inflated so far
    for info in entries:
        path, reason = _zip_path(info)
        if reason:
            problems.append(Problem(info.filename, None, reason))
            continue
        if path is None:
            continue
        if path in tree:
            problems.append(Problem(info.filename, None, "the zip holds this path twice"))
            continue
        if len(tree) >= max_files:
            raise BundleRefused([Problem("upload", None, f"more than {max_files} files")])
        if total + info.file_size > max_bytes:
            raise BundleRefused([_too_big(max_bytes)])
        content = _inflate(archive, info, max_bytes - total)
        if content is None:
            raise BundleRefused([_too_big(max_bytes)])
        total += len(content)
        if path.lower().endswith(_TEXT_SUFFIXES) and not _is_utf8(content):
            problems.append(Problem(path, None, "text file is not UTF-8"))
            continue
        tree[path] = content
    if problems:
        raise BundleRefused(problems)
    return _strip_common_folder(tree) if strip_folder else tree


def _zip_path(info: zipfile.ZipInfo) -> tuple[str | None, str | None]:
    """(posix path or None to leave out, reason to refuse or None)."""
    name = info.filename
    if stat.S_ISLNK(info.external_attr >> 16):
        return None, "symbolic links are not allowed"
    if info.flag_bits & 0x1:
        return None, "encrypted files are not allowed"
    return clean_path(name)


def clean_path(name: str) -> tuple[str | None, str | None]:
    """(posix path or None to leave out, reason to refuse or None) for an uploaded file name."""
    if "\0" in name or "\\" in name:
        return None, "backslashes and NUL characters are not allowed in paths"
    if name.startswith("/") or re.match(r"[A-Za-z]:", name):
        return None, "absolute paths are not allowed"
    parts = [part for part in name.split("/") if part not in ("", ".")]
    if ".." in parts:
        return None, "'..' is not allowed in paths"
    if not parts or any(part.startswith(".") or part == "__MACOSX" for part in parts):
        return None, None
    return "/".join(parts), None


def _inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes | None:
    """The entry's bytes, or None once more than limit bytes come out."""
    try:
        with archive.open(info) as stream:
            content = stream.read(limit + 1)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError, OSError) as err:
        raise BundleRefused([Problem(info.filename, None, f"cannot be unpacked: {err}")]) from None
    return None if len(content) > limit else content


def _too_big(max_bytes: int) -> Problem:
    return Problem("upload", None, f"unpacks to more than {max_bytes} bytes")


def _is_utf8(content: bytes) -> bool:
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _strip_common_folder(tree: dict[str, bytes]) -> dict[str, bytes]:
    tops = {path.split("/", 1)[0] for path in tree}
    if len(tops) != 1 or any("/" not in path for path in tree):
        return tree
    return {path.split("/", 1)[1]: content for path, content in tree.items()}
