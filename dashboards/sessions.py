"""Dashboard logins held on the server: the cookie carries only a random session id.

The signed cookie alone cannot be revoked: a copy stays valid until it expires. Here every
request looks its session id up, so logging out (or the session expiring) ends it for
every copy of the cookie. In memory, like the dashboard's signing key: a restart logs
everyone out.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

SESSION_SECONDS = 12 * 60 * 60


@dataclass(frozen=True)
class _Session:
    user: str
    expires: float


class SessionStore:
    def __init__(
        self, lifetime_seconds: float = SESSION_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.lifetime_seconds = lifetime_seconds
        self._clock = clock
        self._sessions: dict[str, _Session] = {}

    def start(self, user: str) -> str:
        """A new session id for `user`; expired sessions are dropped on the way."""
        now = self._clock()
        self._sessions = {k: s for k, s in self._sessions.items() if s.expires > now}
        session_id = secrets.token_urlsafe(32)
        self._sessions[session_id] = _Session(user, now + self.lifetime_seconds)
        return session_id

    def user_of(self, session_id: object) -> str | None:
        """The user of a live session, or None for an unknown, ended or expired id."""
        if not isinstance(session_id, str):
            return None
        session = self._sessions.get(session_id)
        if session is None or session.expires <= self._clock():
            return None
        return session.user

    def end(self, session_id: object) -> None:
        if isinstance(session_id, str):
            self._sessions.pop(session_id, None)
