"""Login throttling: after too many failed logins a user name, or a client address, waits.

Failures are counted per key (a user name and a client address are separate keys) within a
sliding window; a key with `max_failures` failures in the window is locked until the
oldest of them leaves it. Counting per name stops guessing one account's password from
many addresses; counting per address stops one client trying many names. In memory: a
restart forgets the counts, as it forgets the sessions.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60
# Bounds memory when someone sends failures under ever new names.
_MAX_KEYS = 10_000


class LoginThrottle:
    def __init__(
        self,
        max_failures: int = MAX_FAILURES,
        window_seconds: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures = max_failures
        self.window_seconds = window_seconds
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, key: str) -> deque[float]:
        failures = self._failures.get(key, deque())
        cutoff = self._clock() - self.window_seconds
        while failures and failures[0] <= cutoff:
            failures.popleft()
        if not failures:
            self._failures.pop(key, None)
        return failures

    def wait_seconds(self, keys: Iterable[str]) -> float:
        """0 when every key may try again; else how long until the last lock ends."""
        now, wait = self._clock(), 0.0
        for key in keys:
            failures = self._recent(key)
            if len(failures) >= self.max_failures:
                unlock = failures[-self.max_failures] + self.window_seconds
                wait = max(wait, unlock - now)
        return wait

    def failed(self, keys: Iterable[str]) -> None:
        now = self._clock()
        if len(self._failures) >= _MAX_KEYS:
            for key in list(self._failures):
                self._recent(key)
        for key in keys:
            self._failures.setdefault(key, deque()).append(now)

    def succeeded(self, key: str) -> None:
        self._failures.pop(key, None)


def login_keys(name: str, address: str | None) -> list[str]:
    """The throttle keys of one attempt: the name (case-folded) and the client address."""
    return [f"name:{name.strip().casefold()}", f"address:{address or 'unknown'}"]
