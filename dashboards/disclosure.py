"""A published cell as the dashboard, digest and mail show it.

Every count comes from the marts, where `marts.publish` has perturbed it by its cell key
and suppressed it under the threshold (`pipeline/disclosure.py`). The same cell
(the same contacts) has the same value wherever it is shown, so nothing here hides,
sums or recomputes a count: a total need not equal the sum of its parts, and no part
follows from a total by subtraction.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Cell:
    key: str
    label: str
    # None: suppressed (published as fewer than MIN_CELL_SIZE); 0: no contacts at all.
    contacts: int | None
