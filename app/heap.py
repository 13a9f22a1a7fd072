"""The garbage collector's settings for a long-running process of the app (a web worker under
gunicorn, the job worker), applied once the app is loaded.

Python collects its youngest objects after every 700 allocations by default, and the older
ones every tenth time; a full collection walks every object the process holds, the loaded app
and its parsed process specs included. A send or a batch of timers allocates tens of thousands
of objects: hundreds of collections, and now and then a full one of 85–95 ms (measured with
``gc.callbacks`` in the timer pass and in a loop of sends).
"""

from __future__ import annotations

import gc

# The youngest generation is collected after this many allocations, the older ones as rarely
# as the defaults make them relative to it.
GC_THRESHOLD = (10_000, 10, 10)


def settle_heap() -> None:
    """What is loaded by now (modules, the app, its parsed process specs) is kept out of every
    later collection (gc.freeze), and collections are made rarer (GC_THRESHOLD)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)
