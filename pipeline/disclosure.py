"""The disclosure rule: cell-key perturbation, then suppression under 5.

The one source of the threshold and the noise. Each contact has a fixed pseudo-random
record key (a hash of its `event_id` under a secret salt that stays in the restricted
`core` schema); a cell's key is the sum of its contacts' record keys, so the same set of
contacts always gets the same key, in every mart and at every drill level. The key picks
the cell's noise from `NOISE_TABLE`; a cell is published as its count plus that noise, and
only when both the count and the published value are at least `MIN_CELL_SIZE`.
docs/warehouse.md ("Disclosure control") says why.
"""

from __future__ import annotations

import secrets

MIN_CELL_SIZE = 5
# Noise per cell key slot: 20 equally likely slots, zero mean, variance 0.8, never
# beyond +-NOISE_BOUND. The distribution matters to officials (most cells exact or off
# by one); only the bound matters to an attacker.
NOISE_TABLE: tuple[int, ...] = (-2,) + (-1,) * 4 + (0,) * 10 + (1,) * 4 + (2,)
NOISE_BOUND = max(abs(n) for n in NOISE_TABLE)
# The largest true count that can still be published as "fewer than MIN_CELL_SIZE".
LARGEST_SUPPRESSED = MIN_CELL_SIZE - 1 + NOISE_BOUND


def noise(cell_key: int) -> int:
    """The noise a cell with this key gets (the same lookup as `marts.noise` in SQL)."""
    return NOISE_TABLE[cell_key % len(NOISE_TABLE)]


def published(count: int, cell_key: int) -> int | None:
    """What a reader sees for a cell of `count` contacts with this key; None = suppressed."""
    value = count + noise(cell_key)
    return value if count >= MIN_CELL_SIZE and value >= MIN_CELL_SIZE else None


def render_sql(sql: str) -> str:
    """Fill the rule's placeholders in a model file (only the disclosure layer has them)."""
    values = {
        "min_cell_size": str(MIN_CELL_SIZE),
        "noise_table": "[" + ", ".join(str(n) for n in NOISE_TABLE) + "]",
        "noise_slots": str(len(NOISE_TABLE)),
        # Used only when the warehouse has no salt yet; an existing salt is never replaced.
        "new_salt": secrets.token_hex(32),
    }
    for name, value in values.items():
        sql = sql.replace("${" + name + "}", value)
    return sql
