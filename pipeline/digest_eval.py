"""`ledenradar evaluate digest`: the weekly digest an official reads, against a simulated
run's truth.

The theme scores (`ledenradar evaluate stream`) say how well contacts are grouped; this says
whether the digest's "Meest genoemde thema's" tells the week as it was: for each theme listed,
the true subjects it stands for, how many contacts those subjects truly had, and how far the
digest's count is from it; and which of the week's busiest true subjects the list misses.

A theme stands for the true subject most of its contacts that week have, and also for any
other subject it holds more of than any other theme does, when that subject is at least
`MIN_SUBJECT_SHARE` of the theme's contacts: "Verlof" holds vacation days and parental
leave, the union's own "Overwerk en roosters" overtime and rosters, and an official reads
their count as that of both.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from dashboards.digest import ThemeRow
from pipeline.settings import Settings

console = Console()

OFF_TOPIC = "off_topic"
# The share of a theme's contacts of the week a second subject must have for the theme to
# stand for it too. Below it a theme merely holds some strays of a subject that has no
# theme of its own, and their whole count would be held against its own subject's.
MIN_SUBJECT_SHARE = 0.2


@dataclass(frozen=True)
class DigestLine:
    name: str
    shown: int | None  # None: suppressed in the digest
    subject: str  # the true subject most of the theme's contacts of the week have
    subject_share: float  # that subject's share of the theme's contacts of the week
    true_count: int  # its subjects' contacts of the week, whatever theme they went to
    also: tuple[str, ...] = ()  # further subjects the theme stands for (module docstring)

    @property
    def error(self) -> float | None:
        """(shown - true) / true; None where the digest shows no number."""
        if self.shown is None or not self.true_count:
            return None
        return (self.shown - self.true_count) / self.true_count


@dataclass(frozen=True)
class DigestScore:
    week: str
    lines: list[DigestLine]
    busiest: list[tuple[str, int]]  # the week's true subjects, busiest first
    listed: set[str]  # subjects some listed theme stands for

    def missing(self, top: int) -> list[tuple[str, int]]:
        """The week's `top` busiest true subjects (off-topic aside) no listed theme stands for."""
        return [(s, n) for s, n in self.busiest[:top] if s not in self.listed]

    def within(self, tolerance: float) -> float:
        """Share of listed themes whose count is within `tolerance` of their subject's."""
        errors = [line.error for line in self.lines]
        return sum(e is not None and abs(e) <= tolerance for e in errors) / max(len(errors), 1)


def score_digest(
    week: str,
    top_themes: Iterable[ThemeRow],
    contacts: Iterable[tuple[str, str | None, str]],
    truth: Mapping[str, str | None],
) -> DigestScore:
    """`contacts`: (event_id, theme_id, iso_week) of the run; `truth`: event_id → the true
    subject (None: off-topic)."""
    of_week = [(e, t) for e, t, w in contacts if w == week]
    true_counts = Counter(truth.get(e) or OFF_TOPIC for e, _ in of_week)
    by_theme: dict[str, Counter] = {}
    for event_id, theme_id in of_week:
        if theme_id is not None:
            by_theme.setdefault(theme_id, Counter())[truth.get(event_id) or OFF_TOPIC] += 1
    home = _main_theme_of_each_subject(by_theme)
    lines = []
    for row in top_themes:
        members = by_theme.get(row.theme_id, Counter())
        subject, n = members.most_common(1)[0] if members else (OFF_TOPIC, 0)
        size = max(sum(members.values()), 1)
        also = tuple(
            other
            for other, held in members.most_common()
            if other not in (subject, OFF_TOPIC)
            and home.get(other) == row.theme_id
            and held >= MIN_SUBJECT_SHARE * size
        )
        true_count = true_counts[subject] + sum(true_counts[other] for other in also)
        lines.append(DigestLine(row.name, row.contacts, subject, n / size, true_count, also))
    busiest = [(s, n) for s, n in true_counts.most_common() if s != OFF_TOPIC]
    listed = {s for line in lines for s in (line.subject, *line.also)}
    return DigestScore(week, lines, busiest, listed)


def _main_theme_of_each_subject(by_theme: Mapping[str, Counter]) -> dict[str, str]:
    """Per true subject: the theme holding most of its contacts of the week."""
    best: dict[str, tuple[int, str]] = {}
    for theme_id, members in sorted(by_theme.items()):
        for subject, n in members.items():
            if n > best.get(subject, (0, ""))[0]:
                best[subject] = (n, theme_id)
    return {subject: theme_id for subject, (_, theme_id) in best.items()}


def evaluate_digest(
    truth: Path = typer.Argument(..., help="Ground truth of the simulated run (`*.truth.jsonl`)."),
    warehouse: Path = typer.Option(
        None, help="DuckDB file the run landed in (default: the settings' warehouse)."
    ),
    week: str = typer.Option(None, help="ISO week (default: the last full week of the run)."),
    top: int = typer.Option(5, help="How many of the week's busiest true subjects must be listed."),
) -> None:
    """Score the digest's top themes against the truth: each theme's true subject, the
    subject's real count that week and the digest's error; busy subjects it does not list."""
    import duckdb

    from dashboards.digest import build_digest
    from dashboards.dutch import IsoWeek
    from pipeline.warehouse.theme_store import contact_theme_weeks, days_landed
    from topics.stream_eval import read_truth

    if not truth.is_file():
        raise typer.BadParameter(f"{truth} does not exist", param_hint="TRUTH")
    path = warehouse or Settings.load().duckdb_path
    if not path.is_file():
        raise typer.BadParameter(f"{path} does not exist", param_hint="--warehouse")
    con = duckdb.connect(str(path), read_only=True)
    try:
        last = days_landed(con)[1]
        if last is None:
            raise typer.BadParameter(f"{path} holds no contacts", param_hint="--warehouse")
        iso = IsoWeek.parse(week) if week else IsoWeek.of(last + timedelta(days=1)).shift(-1)
        digest = build_digest(con, iso)
        contacts = contact_theme_weeks(con)
    finally:
        con.close()
    score = score_digest(digest.week, digest.top_themes, contacts, read_truth(truth))
    table = Table(title=f"Digest {score.week}: meest genoemde thema's tegen de waarheid")
    for column in ("thema", "in digest", "echt onderwerp", "deel", "echt", "afwijking"):
        table.add_column(
            column, justify="left" if column in ("thema", "echt onderwerp") else "right"
        )
    for line in score.lines:
        table.add_row(
            line.name,
            "minder dan 5" if line.shown is None else str(line.shown),
            " + ".join((line.subject, *line.also)),
            f"{line.subject_share:.0%}",
            str(line.true_count),
            "" if line.error is None else f"{line.error:+.0%}",
        )
    console.print(table)
    console.print(f"binnen 10 %: {score.within(0.10):.0%} van de genoemde thema's")
    for subject, count in score.missing(top):
        console.print(f"  ontbreekt: {subject} ({count} contacten, top {top} van de week)")
