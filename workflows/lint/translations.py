"""Translation catalogs: keys that no process file has, and texts a catalog lacks (warnings).

A stale key or a missing translation never refuses a deploy: the text is shown as written.
"""

from __future__ import annotations

from collections.abc import Iterator

from workflows.errors import Problem
from workflows.lint.bundle import Bundle
from workflows.translations import TRANSLATIONS_FOLDER, texts_in

_SHOWN = 3


def check_translations(bundle: Bundle) -> Iterator[Problem]:
    """Each stale key of a catalog, and per catalog one warning naming what it lacks."""
    if not bundle.translations:
        return
    texts = texts_in(bundle.documents, bundle.forms)
    known = set(texts)
    for language, catalog in sorted(bundle.translations.items()):
        file = f"{TRANSLATIONS_FOLDER}{language}.json"
        for key in catalog:
            if key not in known:
                yield Problem(
                    file,
                    None,
                    f"stale translation: '{key}' is not a text of any process file",
                    "warning",
                )
        missing = [text for text in texts if text not in catalog]
        if missing:
            first = ", ".join(f"'{text}'" for text in missing[:_SHOWN])
            more = ", …" if len(missing) > _SHOWN else ""
            noun = "text has" if len(missing) == 1 else "texts have"
            yield Problem(
                file,
                None,
                f"{len(missing)} {noun} no translation, shown as written: {first}{more}",
                "warning",
            )
