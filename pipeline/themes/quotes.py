"""Which contacts a theme quotes: the most representative, a few per ISO week."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from pipeline.quotes import anonymised_quote

# Quotes kept per theme and ISO week: a digest quotes its own week (and, where five
# contacts share them, its province and sector), so one pool per theme would rarely fit.
QUOTES_PER_WEEK = 3


def weekly_quotes(
    ranked: Sequence[int], texts: Sequence[str], event_ids: Sequence[str], weeks: Sequence[str]
) -> list[tuple[str, str]]:
    """(quote, event_id) of up to `QUOTES_PER_WEEK` contacts per week, taken in `ranked` order
    (a theme's members, most representative first). A contact that must not be quoted
    (health, too short) is passed over: no quote rather than a risky one."""
    per_week: Counter[str] = Counter()
    chosen = []
    for i in ranked:
        if per_week[weeks[i]] == QUOTES_PER_WEEK:
            continue
        quote = anonymised_quote(texts[i])
        if quote:
            chosen.append((quote, event_ids[i]))
            per_week[weeks[i]] += 1
    return chosen
