"""The fi and sv catalogs translate every piece of interface text the source marks.

The text is extracted from app/ as `make messages` does (babel.cfg, `_l` and `lazy_gettext`
and `lazy_pgettext` besides Babel's default keywords), so adding a string without translating it
fails here.
"""

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[3]
APP = ROOT / "app"
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "_l": None,
    "N_": None,
    "lazy_gettext": None,
    "lazy_pgettext": ((1, "c"), 2),
}
# %(name)s for Python and Jinja; {name} in texts that scripts fill in on the page.
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")
TAG = re.compile(r"</?[a-z]+[^>]*>")


Msgid = str | tuple[str, ...]


def extracted_msgids() -> dict[tuple[Msgid, str | None], str]:
    """Every marked (msgid, context) of the source, with the file it was first found in."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found: dict[tuple[Msgid, str | None], str] = {}
    for filename, _lineno, message, _comments, context in extract_from_dir(
        str(APP), method_map, options_map, keywords=KEYWORDS
    ):
        found.setdefault((message, context), filename)
    return found


def read_catalog(language):
    with (APP / "translations" / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=language)


def placeholders(text: str) -> set[str]:
    return {python or script for python, script in PLACEHOLDER.findall(text)}


def test_the_source_marks_the_interface_text():
    msgids = extracted_msgids()

    assert ("My tasks", None) in msgids
    assert (("%(count)s day", "%(count)s days"), None) in msgids  # ngettext
    assert ("This field is required.", None) in msgids  # gettext in Python
    assert ("Please sign in to see this page.", None) in msgids  # lazy_gettext
    assert ("Organisation", "type of organisation") in msgids  # lazy_pgettext


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_every_msgid_has_a_translation(language):
    catalog = read_catalog(language)

    missing = []
    for (msgid, context), filename in extracted_msgids().items():
        message = catalog.get(msgid, context=context)
        strings = message.string if message is not None else ""
        strings = strings if isinstance(strings, tuple) else (strings,)
        if message is None or message.fuzzy or not all(strings):
            missing.append(f"{filename}: {msgid!r}")

    assert missing == [], f"run `make messages` and translate into {language}"


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_translations_keep_the_placeholders_and_the_markup(language):
    wrong = []
    for message in read_catalog(language):
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            singular, plural = message.id
            one, many = message.string[0], message.string[-1]
            ok = placeholders(many) == placeholders(plural) and placeholders(one) <= (
                placeholders(singular) | placeholders(plural)
            )
            pairs = [(singular, one), (plural, many)]
        else:
            ok = placeholders(message.string) == placeholders(message.id)
            pairs = [(message.id, message.string)]
        ok = ok and all(sorted(TAG.findall(a)) == sorted(TAG.findall(b)) for a, b in pairs)
        if not ok:
            wrong.append(message.id)

    assert wrong == []


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_the_catalog_has_two_plural_forms(language):
    catalog = read_catalog(language)

    assert catalog.num_plurals == 2
    assert catalog.plural_expr == "(n != 1)"
