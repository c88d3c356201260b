"""Work too big for the event loop: checking a new large document, compiling a new
statement. It runs in one worker thread, so at most one such job runs at a time (the
others queue) and the loop keeps serving: CPU-bound Python holds the GIL, but the
interpreter hands it back to the loop's thread every switch interval (5 ms)."""

from __future__ import annotations

import asyncio
import gc
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")

_POOL = ThreadPoolExecutor(max_workers=1, thread_name_prefix="crm-offload")


async def run(fn: Callable[..., T], *args: Any) -> T:
    return await asyncio.get_running_loop().run_in_executor(_POOL, _paused, fn, *args)


def _paused(fn: Callable[..., T], *args: Any) -> T:
    """`fn` with the cyclic garbage collector paused: a compile makes tens of thousands
    of objects that live as long as it runs, and a full collection it triggers would
    walk them all (and the heap) holding the GIL, the loop waiting (50-100 ms and more).
    Reference counting frees them when it ends; the collector resumes at once."""
    gc.disable()
    try:
        return fn(*args)
    finally:
        gc.enable()


def settle() -> None:
    """Once started: what exists now (schema, tables, modules) is frozen out of the
    garbage collector's full collections, which otherwise walk every object of the
    process while holding the GIL (most of a second on a large heap, triggered by a
    compile's allocations), and threads hand over the GIL every millisecond, so the
    loop waits at most that long for a compiling thread."""
    gc.collect()
    gc.freeze()
    sys.setswitchinterval(0.001)
