"""What a draft may hold: which file names, which uploads, and how an upload becomes files."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from flask_babel import gettext as _

from app.input_checks import has_control_character
from workflows import Problem
from workflows.bpmn_xml import MAX_FILE_BYTES
from workflows.json_limits import load_json

_NAME = r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}"
FILE_NAME = re.compile(
    rf"^(?:{_NAME}\.(?:bpmn|dmn)|forms/{_NAME}\.json|translations/(?:fi|sv)\.json)$"
)
UPLOAD_KINDS = (".bpmn", ".dmn", ".json", ".zip")
BUNDLE_FOLDERS = ("forms/", "translations/")


class FileRefused(ValueError):
    """An uploaded or saved file that cannot go into a draft; nothing was stored."""


@dataclass
class Upload:
    """What an upload adds to a draft: its files, whether they replace all others, and the
    importer's remarks (warnings only: an error refuses the upload)."""

    files: dict[str, str]
    replaces_all: bool = False
    remarks: list[Problem] = field(default_factory=list)


def check_file_name(path: str) -> None:
    if not FILE_NAME.match(path):
        raise FileRefused(
            _(
                "“%(path)s” is not a process file name: use name.bpmn, name.dmn, "
                "forms/name.json (letters, digits, '_', '-' and '.') or translations/fi.json "
                "and translations/sv.json.",
                path=path,
            )
        )


def is_bundle_file(name: str) -> bool:
    """A file of an uploaded grantflow bundle zip that goes into the draft (its name is then
    checked): BPMN, DMN, forms/ and translations/."""
    return name.endswith((".bpmn", ".dmn")) or name.startswith(BUNDLE_FOLDERS)


def check_text(path: str, text: str) -> None:
    if len(text.encode()) > MAX_FILE_BYTES:
        raise FileRefused(
            _("%(path)s: the file is larger than %(limit)d bytes.", path=path, limit=MAX_FILE_BYTES)
        )
    if has_control_character(text):
        raise FileRefused(
            _(
                "%(path)s: the file contains a character that is not allowed (a control "
                "character, such as NUL).",
                path=path,
            )
        )
    if path.endswith(".json"):
        try:
            load_json(text)
        except json.JSONDecodeError as err:
            raise FileRefused(
                _("%(path)s: not valid JSON: %(error)s", path=path, error=err)
            ) from None


def decode(name: str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused(_("%(name)s: the file is not UTF-8 text.", name=name)) from None


def draft_path(filename: str) -> str:
    """Where an uploaded single file goes: BPMN and DMN at the top, JSON forms in forms/ (also
    a single fi.json: translation catalogs come in a zip bundle's translations/ folder)."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return f"forms/{base}" if base.endswith(".json") else base
