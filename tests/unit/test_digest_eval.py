"""`ledenradar evaluate digest`: the digest's top themes weighed against the truth."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from dashboards.digest import ThemeRow
from pipeline.digest_eval import score_digest

WEEK = "2026-W44"


def row(theme_id: str, name: str, contacts: int | None) -> ThemeRow:
    return ThemeRow(theme_id, name, contacts, None, "", [])


Contacts = list[tuple[str, str | None, str]]


Truth = dict[str, str | None]


def a_week() -> tuple[Contacts, Truth, Callable[..., None]]:
    """An empty run and its truth, and `add(n, subject, theme, week=WEEK)` to fill both."""
    contacts: Contacts = []
    truth: Truth = {}

    def add(n: int, subject: str | None, theme: str | None, week: str = WEEK) -> None:
        for _ in range(n):
            event_id = f"e{len(contacts)}"
            contacts.append((event_id, theme, week))
            truth[event_id] = subject

    return contacts, truth, add


def run() -> tuple[Contacts, Truth]:
    """Monitoring: 20 contacts that week, split over T1 (12) and T2 (8); fees: 10, all in
    T3; illness: 6, unthemed; 4 off-topic contacts in T3; last week's contacts do not count."""
    contacts, truth, add = a_week()
    add(12, "monitoring", "T1")
    add(8, "monitoring", "T2")
    add(10, "fees", "T3")
    add(4, None, "T3")
    add(6, "illness", None)
    add(50, "illness", "T4", week="2026-W43")
    return contacts, truth


def test_each_listed_theme_is_weighed_against_its_subjects_true_count():
    contacts, truth = run()
    score = score_digest(
        WEEK, [row("T1", "Camera", 12), row("T3", "Lidmaatschap", 14)], contacts, truth
    )

    camera, fees = score.lines
    assert (camera.subject, camera.true_count) == ("monitoring", 20)
    assert camera.error == pytest.approx(-0.4)
    assert (fees.subject, fees.true_count) == ("fees", 10)
    assert fees.subject_share == pytest.approx(10 / 14)
    assert fees.error == pytest.approx(0.4)
    assert score.within(0.10) == 0.0


def test_busy_subjects_no_listed_theme_stands_for_are_missing():
    contacts, truth = run()
    score = score_digest(WEEK, [row("T1", "Camera", 20)], contacts, truth)

    assert score.missing(3) == [("fees", 10), ("illness", 6)]
    assert score.within(0.10) == 1.0


def test_a_suppressed_count_has_no_error_and_counts_as_not_within():
    contacts, truth = run()
    score = score_digest(WEEK, [row("T2", "Score", None)], contacts, truth)

    assert score.lines[0].error is None
    assert score.within(0.5) == 0.0


def test_a_theme_that_holds_two_subjects_is_weighed_against_both():
    """A theme "Verlof": vacation days (30, all here) and parental leave (13, 12 here); a few
    contacts on rosters (3 here, 20 in their own theme) and pensions (2 here, no other
    theme, under a fifth of the theme) are strays, not subjects it stands for."""
    contacts, truth, add = a_week()
    add(30, "vakantiedagen", "T1")
    add(12, "ouderschapsverlof", "T1")
    add(1, "ouderschapsverlof", "T2")
    add(3, "rooster", "T1")
    add(20, "rooster", "T2")
    add(2, "pensioen", "T1")
    add(5, None, "T1")

    score = score_digest(WEEK, [row("T1", "Verlof", 52), row("T2", "Rooster", 21)], contacts, truth)

    leave, rosters = score.lines
    assert (leave.subject, leave.also) == ("vakantiedagen", ("ouderschapsverlof",))
    assert leave.true_count == 30 + 13
    assert leave.error == pytest.approx(52 / 43 - 1)
    assert (rosters.subject, rosters.also, rosters.true_count) == ("rooster", (), 23)
    assert score.missing(2) == []
