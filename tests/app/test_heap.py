"""A web worker settles its heap once the app is loaded, through deploy/gunicorn.conf.py's
hook (app/heap.py; the job worker calls the same settle_heap when it starts)."""

from __future__ import annotations

import gc
import runpy
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.heap import GC_THRESHOLD

GUNICORN_CONF = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"


@pytest.fixture
def heap_restored() -> Iterator[None]:
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_a_web_worker_freezes_what_it_loaded_and_collects_more_rarely(heap_restored):
    gc.unfreeze()
    gc.set_threshold(700, 10, 10)
    settings = runpy.run_path(str(GUNICORN_CONF))
    settings["post_worker_init"](object())
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == GC_THRESHOLD
    # Garbage made after the freeze is still collected.
    node = _Node()
    node.self = node
    gone = weakref.ref(node)
    del node
    gc.collect()
    assert gone() is None


class _Node:
    self: object
