"""Dashboard users: a JSON file of names, roles and scrypt password hashes."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

ROLES = ("official", "analyst", "curator")
ROLE_LABELS = {"official": "bestuurder", "analyst": "analist", "curator": "curator"}
# scrypt cost: 16 MiB and ~50 ms per check, slow enough to hinder guessing.
_N, _R, _P = 2**14, 8, 1
# An unknown name is checked against this record, at the same cost as a real one, so the
# answer takes as long as for a known name. No password produces an all-zero digest.
_NOBODY = {"salt": "00" * 16, "hash": "00" * 32, "n": _N, "r": _R, "p": _P}


@dataclass(frozen=True)
class User:
    name: str
    role: str

    @property
    def can_curate(self) -> bool:
        return self.role == "curator"


def hash_password(password: str, salt: bytes | None = None) -> dict[str, str | int]:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return {"salt": salt.hex(), "hash": digest.hex(), "n": _N, "r": _R, "p": _P}


def _matches(password: str, record: dict) -> bool:
    digest = hashlib.scrypt(
        password.encode(),
        salt=bytes.fromhex(record["salt"]),
        n=int(record["n"]),
        r=int(record["r"]),
        p=int(record["p"]),
        dklen=32,
    )
    return hmac.compare_digest(digest.hex(), record["hash"])


class UserStore:
    def __init__(self, path: Path) -> None:
        self.path = path

    def _load(self) -> dict[str, dict]:
        if not self.path.exists():
            return {}
        return json.loads(self.path.read_text(encoding="utf-8"))

    def set(self, name: str, password: str, role: str) -> User:
        if role not in ROLES:
            raise ValueError(f"onbekende rol {role!r}; kies uit {', '.join(ROLES)}")
        if not name.strip() or len(password) < 8:
            raise ValueError("geef een naam en een wachtwoord van minstens 8 tekens")
        users = self._load()
        users[name.strip()] = {"role": role, **hash_password(password)}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps(users, indent=2), encoding="utf-8")
        os.chmod(tmp, 0o600)
        tmp.replace(self.path)
        return User(name.strip(), role)

    def authenticate(self, name: str, password: str) -> User | None:
        """Exactly one password hash per attempt, whether or not the name exists."""
        record = self._load().get(name)
        matches = _matches(password, record or _NOBODY)
        return User(name, record["role"]) if record is not None and matches else None

    def role_of(self, name: str) -> str | None:
        record = self._load().get(name)
        return record["role"] if record else None
