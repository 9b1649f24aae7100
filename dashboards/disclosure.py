"""Secondary suppression: no cell under 5 may follow from a total and its shown neighbours.

The marts already suppress every count under 5 (primary suppression). Shown beside
its total, a breakdown can still give a suppressed cell away: 141 contacts, shown
channels summing to 138 and one channel 'minder dan 5' means that channel had 3.
`protect` hides the smallest shown cells ('niet getoond') until every suppressed cell
could again be anything from 1 to 4, given the total and what is shown.
"""

from __future__ import annotations

from dataclasses import dataclass

SMALLEST_SHOWN = 5
LARGEST_SUPPRESSED = SMALLEST_SHOWN - 1


@dataclass(frozen=True)
class Cell:
    key: str
    label: str
    contacts: int | None
    # Hidden although 5 or more, so a suppressed neighbour cannot be computed from the total.
    hidden: bool = False


def ambiguous(suppressed: int, hidden: int, unshown: int) -> bool:
    """Whether each of `suppressed` cells (1-4) could still be 1 and could still be 4.

    `unshown` is the total minus the shown cells: the sum of the suppressed cells and
    of the `hidden` ones (each at least 5, with no upper bound a reader can know).
    """
    others = suppressed - 1
    could_be_largest = unshown - others - SMALLEST_SHOWN * hidden >= LARGEST_SUPPRESSED
    could_be_one = hidden > 0 or unshown - LARGEST_SUPPRESSED * others <= 1
    return could_be_largest and could_be_one


def protect(cells: list[Cell], total: int | None) -> list[Cell]:
    """Hide the smallest shown cells until no suppressed cell follows from `total`.

    A suppressed total gives nothing away, so then nothing more is hidden.
    """
    suppressed = sum(1 for c in cells if c.contacts is None and not c.hidden)
    if total is None or suppressed == 0:
        return cells
    shown = sorted((c for c in cells if c.contacts), key=lambda c: (c.contacts, c.key))
    unshown = total - sum(c.contacts for c in shown)
    hidden: set[str] = set()
    for cell in shown:
        if ambiguous(suppressed, len(hidden), unshown):
            break
        hidden.add(cell.key)
        unshown += cell.contacts
    return [Cell(c.key, c.label, None, True) if c.key in hidden else c for c in cells]
