"""What the WeChat channel remembers, bounded, in memory: requests, answered messages.

Both are plain classes with an injectable clock, testable without a server. They live
in one Rasa process: with several processes behind a load balancer a retry can reach
another process (see docs/wechat.md, "Running more than one Rasa").
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Generic, TypeVar

logger = logging.getLogger(__name__)

T = TypeVar("T")


class TtlMap(Generic[T]):
    """A dict whose entries expire, holding at most `max_entries` (oldest go first).

    Args:
        ttl_s: seconds an entry lives after it was put.
        max_entries: bound on memory; when full the oldest entry is dropped and a
            warning is logged once, rather than refusing WeChat's traffic.
        clock: monotonic seconds (tests pass a fake).
    """

    def __init__(
        self,
        ttl_s: float,
        max_entries: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl_s = ttl_s
        self.max_entries = max_entries
        self._clock = clock
        self._items: OrderedDict[Any, tuple[float, T]] = OrderedDict()
        self._warned = False

    def _expire(self) -> None:
        now = self._clock()
        while self._items:
            key, (expires, _) = next(iter(self._items.items()))
            if expires > now:
                break
            del self._items[key]

    def get(self, key: Any) -> T | None:
        self._expire()
        item = self._items.get(key)
        return None if item is None else item[1]

    def put(self, key: Any, value: T) -> None:
        self._expire()
        self._items.pop(key, None)
        while len(self._items) >= self.max_entries:
            self._items.popitem(last=False)
            if not self._warned:
                logger.warning(
                    "WeChat request memory is full (%d entries); dropping the oldest."
                    " Raise the limit if this account is this busy.",
                    self.max_entries,
                )
                self._warned = True
        self._items[key] = (self._clock() + self.ttl_s, value)

    def discard_where(self, predicate: Callable[[T], bool]) -> int:
        """Drops every entry whose value matches; returns how many."""
        doomed = [key for key, (_, value) in self._items.items() if predicate(value)]
        for key in doomed:
            del self._items[key]
        return len(doomed)

    def __len__(self) -> int:
        self._expire()
        return len(self._items)


class ReplayGuard:
    """Refuses requests outside the time window and signed URLs reused for new bodies.

    WeChat's plain signature covers only timestamp and nonce, not the body: a logged
    request URL could be replayed with any body. So each (timestamp, nonce) is
    remembered with a digest of its body for as long as the timestamp is acceptable.
    The same pair with the same body is let through: that is WeChat retrying (the
    message deduplication then answers it without processing it again); the same pair
    with another body is refused.

    Args:
        window_s: accepted distance between the request's timestamp and our clock.
        max_entries: bound on remembered pairs.
        wall_clock: seconds since the epoch (tests pass a fake).
    """

    def __init__(
        self,
        window_s: float = 300,
        max_entries: int = 50_000,
        wall_clock: Callable[[], float] = time.time,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.window_s = window_s
        self._wall = wall_clock
        # A timestamp at the far edge of the window stays acceptable for 2 windows.
        self._seen: TtlMap[str] = TtlMap(2 * window_s + 1, max_entries, clock)

    def check(self, timestamp: str, nonce: str, body_digest: str) -> str | None:
        """Returns why the request is refused, or None (and remembers it)."""
        try:
            stamp = int(timestamp)
        except (TypeError, ValueError):
            return "timestamp is not a number"
        if abs(self._wall() - stamp) > self.window_s:
            return "timestamp outside the accepted window"
        if not nonce or len(nonce) > 64:
            return "nonce missing or too long"
        key = f"{stamp}:{nonce}"
        seen = self._seen.get(key)
        if seen is not None and seen != body_digest:
            return "timestamp and nonce already used for another request"
        if seen is None:
            self._seen.put(key, body_digest)
        return None


@dataclass
class Job(Generic[T]):
    """One message being (or having been) answered, shared by all its copies."""

    task: asyncio.Future
    deferred: bool = False
    """True once a copy has answered `success`: the answer then goes out through the
    customer-service API, and no copy may also deliver it passively."""
    owner: str = ""
    """Whose message this is (the OpenID), so their answers can be forgotten."""


class OnceCache(Generic[T]):
    """Runs the work for each key once; copies that arrive meanwhile or later share it.

    WeChat retries a message it got no answer for within 5 s, sometimes while the first
    copy is still being answered. The first copy starts the work as a task; every copy
    (first, retries) awaits that same task, so the conversation records the message
    once and every copy gets the same answer.
    """

    def __init__(
        self,
        ttl_s: float = 660,
        max_entries: int = 50_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._jobs: TtlMap[Job[T]] = TtlMap(ttl_s, max_entries, clock)

    def claim(
        self, key: str, start: Callable[[], Awaitable[T]], owner: str = ""
    ) -> tuple[Job[T], bool]:
        """Returns the job for key, starting it with `start()` if it is new.

        Must be called from the event loop; returns (job, started_now).
        """
        job = self._jobs.get(key)
        if job is not None:
            return job, False
        job = Job(task=asyncio.ensure_future(start()), owner=owner)
        self._jobs.put(key, job)
        return job, True

    def forget_owner(self, owner: str) -> int:
        """Drops the remembered answers to one citizen (on unsubscribe)."""
        return self._jobs.discard_where(lambda job: job.owner == owner)

    def __len__(self) -> int:
        return len(self._jobs)
