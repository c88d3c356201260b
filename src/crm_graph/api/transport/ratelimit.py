"""Cost budgets: token buckets in Redis, shared by every API instance.

A request is charged its query cost in every bucket that applies (its tenant's and,
for API keys, the key's) in one atomic script: either all buckets pay or none does,
so a refused request spends nothing. Buckets refill continuously; time comes from
the Redis server so instances with skewed clocks agree. Each tenant has its own
bucket, so one tenant's burst never slows another.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

# KEYS: bucket keys; ARGV: cost, then capacity and refill-per-second for each key.
# A bucket is a hash {tokens, at} (at in microseconds), kept without a TTL: Redis's
# volatile-lru policy then never evicts it (an evicted bucket would be full again).
_SCRIPT = """
local now_s, now_us = unpack(redis.call('TIME'))
local now = tonumber(now_s) * 1000000 + tonumber(now_us)
local cost = tonumber(ARGV[1])
local levels = {}
local wait = 0
for i, key in ipairs(KEYS) do
  local capacity = tonumber(ARGV[2 * i])
  local rate = tonumber(ARGV[2 * i + 1])
  local state = redis.call('HMGET', key, 'tokens', 'at')
  local tokens = tonumber(state[1]) or capacity
  local at = tonumber(state[2]) or now
  tokens = math.min(capacity, tokens + math.max(0, now - at) * rate / 1000000)
  levels[i] = tokens
  -- an operation dearer than a whole bucket may run when the bucket is full
  local price = math.min(cost, capacity)
  if tokens < price then
    local need = (price - tokens) / rate
    if need > wait then wait = need end
  end
end
local least = levels[1]
for i = 2, #levels do least = math.min(least, levels[i]) end
if wait > 0 then
  return {0, tostring(wait), tostring(least)}
end
for i, key in ipairs(KEYS) do
  local capacity = tonumber(ARGV[2 * i])
  local rate = tonumber(ARGV[2 * i + 1])
  local left = levels[i] - math.min(cost, capacity)
  redis.call('HSET', key, 'tokens', tostring(left), 'at', tostring(now))
  least = math.min(least, left)
end
return {1, '0', tostring(least)}
"""


@dataclass(frozen=True)
class Bucket:
    key: str
    capacity: int
    per_second: float


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: int  # whole seconds to wait before the same request can pass
    remaining: int  # tokens left in the emptiest bucket


class CostBudget:
    def __init__(self, redis: Any) -> None:
        self._script = redis.register_script(_SCRIPT)

    async def charge(self, buckets: list[Bucket], cost: int) -> Decision:
        args: list[Any] = [cost]
        for b in buckets:
            args += [b.capacity, b.per_second]
        allowed, wait, remaining = await self._script(keys=[b.key for b in buckets], args=args)
        return Decision(
            bool(int(allowed)), max(1, math.ceil(float(wait))) if not int(allowed) else 0, int(float(remaining))
        )


def tenant_bucket(tenant_id: Any, capacity: int, per_second: float) -> Bucket:
    return Bucket(f"crm:budget:tenant:{tenant_id}", capacity, per_second)


def api_key_bucket(api_key_id: Any, capacity: int, per_second: float) -> Bucket:
    return Bucket(f"crm:budget:key:{api_key_id}", capacity, per_second)
