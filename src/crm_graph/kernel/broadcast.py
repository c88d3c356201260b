"""Process-to-process notices over Redis pub/sub (cache invalidation)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)


async def listen(
    redis: Any, channel: str, handle: Callable[[bytes], None], lost: Callable[[], None] | None = None
) -> None:
    """Call `handle` with each message published on `channel`; runs until cancelled.

    After a Redis error it reconnects a second later, calling `lost` first: a notice
    may have been missed meanwhile.
    """
    while True:
        try:
            pubsub = redis.pubsub()
            await pubsub.subscribe(channel)
            async for message in pubsub.listen():
                if message.get("type") == "message":
                    handle(message["data"])
        except asyncio.CancelledError:
            raise
        except Exception:
            log.warning("lost Redis while listening on %s; retrying", channel, exc_info=True)
            if lost is not None:
                lost()
            await asyncio.sleep(1)
