"""Texts of the process files (task and event names, form labels, instructions) in the page
language.

A process version carries catalogs (`translations/fi.json`, `translations/sv.json`) mapping an
English text exactly as the process files write it to its translation; a text without an entry
is shown as written. Pages name the instance (or version) a text comes from, since two versions
may translate the same text differently. Catalogs are read once per request (kept in `flask.g`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from flask import current_app, g, has_request_context
from flask_babel import get_locale
from sqlalchemy import select

from app.extensions import db
from workflows.models import ProcessVersion, WorkflowInstance
from workflows.queries import process_texts_for

# What a text comes from: a version, an instance, an instance's id, or None for the catalogs of
# the current versions (lists that gather texts from many instances: the inbox's task filter).
Source = ProcessVersion | WorkflowInstance | int | None
SOURCE_LANGUAGE = "en"  # the language the process files are written in
NAME_SEPARATOR = ", "  # how a case's phase joins the names of its ready tasks


def page_language() -> str:
    return str(get_locale() or current_app.config["DEFAULT_LANGUAGE"])


def _cache() -> dict[tuple[object, str], Mapping[str, str]]:
    """The catalogs read in this request, by (version id or "current", language)."""
    if "process_texts" not in g:
        g.process_texts = {}
    cache: dict[tuple[object, str], Mapping[str, str]] = g.process_texts
    return cache


def _instance_versions() -> dict[int, int | None]:
    """The version ids of the instances named in this request, by instance id."""
    if "process_versions" not in g:
        g.process_versions = {}
    versions: dict[int, int | None] = g.process_versions
    return versions


def prefetch_instances(instance_ids: Iterable[int | None]) -> None:
    """Read the versions of a list page's instances in one query, not one per row."""
    if not has_request_context() or page_language() == SOURCE_LANGUAGE:
        return
    versions = _instance_versions()
    wanted = {i for i in instance_ids if i is not None and i not in versions}
    if wanted:
        rows = db.session.execute(
            select(WorkflowInstance.id, WorkflowInstance.version_id).where(
                WorkflowInstance.id.in_(wanted)
            )
        )
        versions.update((instance_id, version_id) for instance_id, version_id in rows)


def _version_id(source: ProcessVersion | WorkflowInstance | int) -> int | None:
    if isinstance(source, ProcessVersion):
        return source.id
    if isinstance(source, WorkflowInstance):
        return source.version_id
    prefetch_instances([source])
    return _instance_versions().get(source)


def _version_texts(version_id: int | None, language: str) -> Mapping[str, str]:
    cache = _cache()
    key = (version_id, language)
    if key not in cache:
        cache[key] = process_texts_for(db.session(), version_id, language) if version_id else {}
    return cache[key]


def _current_texts(language: str) -> Mapping[str, str]:
    cache = _cache()
    key = ("current", language)
    if key not in cache:
        current = db.session.scalars(
            select(ProcessVersion.id).where(ProcessVersion.is_current).order_by(ProcessVersion.id)
        )
        merged: dict[str, str] = {}
        for version_id in current:
            merged |= _version_texts(version_id, language)
        cache[key] = merged
    return cache[key]


def process_texts(source: Source = None) -> Mapping[str, str]:
    """The catalog of `source`'s process version in the page language: {} in English, and
    outside a request (the worker, the CLI: nobody's page)."""
    if not has_request_context():
        return {}
    language = page_language()
    if language == SOURCE_LANGUAGE:
        return {}
    if source is None:
        return _current_texts(language)
    return _version_texts(_version_id(source), language)


def translate(text: str | None, source: Source = None) -> str:
    """`text` of the process files in the page language, or as written when not translated."""
    if not text:
        return text or ""
    return process_texts(source).get(text, text)


def translate_names(names: str, source: Source = None) -> str:
    """'Screen the idea proposal, Evaluate the application' (a case's phase) name by name."""
    texts = process_texts(source)
    if names in texts:
        return texts[names]
    return NAME_SEPARATOR.join(texts.get(name, name) for name in names.split(NAME_SEPARATOR))
