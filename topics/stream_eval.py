"""A stream run's themes scored against the simulator's truth: are subjects one theme each?

`ledenradar evaluate stream` reads the warehouse's contact → theme assignments and the
truth file a `ledenradar simulate --out` run wrote beside its events. Each contact's true
subject is its primary simulated theme (off-topic contacts form one subject, `off_topic`);
contacts without a theme count as one extra theme, as in `topics.metrics`, so leaving
contacts out is never rewarded. Reported: homogeneity (each theme holds one subject),
completeness (each subject lies in one theme), NMI, ARI, the number of themes per true
subject, per subject the share of its contacts in its main theme, and the share of themes
(and of their contacts) whose name names their majority subject (`topics.naming_check`);
and the same for facets, whose names may also use the words of the subject's situations
(a facet is a variation of its subject).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sklearn.metrics import (
    adjusted_rand_score,
    homogeneity_completeness_v_measure,
)

from topics.naming_check import named_shares, simulator_vocabularies
from topics.pipeline_eval import truth_themes

OFF_TOPIC = "off_topic"
UNASSIGNED = "(geen thema)"


@dataclass(frozen=True)
class SubjectSpread:
    """How one true subject is spread over the found themes."""

    subject: str
    contacts: int
    main_theme: str
    main_theme_name: str
    main_share: float  # share of the subject's contacts in its main theme
    themes: int  # found themes holding at least one of its contacts


@dataclass(frozen=True)
class StreamScore:
    homogeneity: float
    completeness: float
    nmi: float
    ari: float
    coverage: float
    n_contacts: int
    n_themes: int
    n_subjects: int
    named_themes: float
    named_contacts: float
    subjects: list[SubjectSpread]
    named_facets: float | None = None
    named_facet_contacts: float | None = None

    @property
    def themes_per_subject(self) -> float:
        return self.n_themes / max(self.n_subjects, 1)

    def as_dict(self) -> dict[str, Any]:
        return {
            "homogeneity": self.homogeneity,
            "completeness": self.completeness,
            "nmi": self.nmi,
            "ari": self.ari,
            "coverage": self.coverage,
            "n_contacts": self.n_contacts,
            "n_themes": self.n_themes,
            "n_subjects": self.n_subjects,
            "themes_per_subject": self.themes_per_subject,
            "named_themes": self.named_themes,
            "named_contacts": self.named_contacts,
            "named_facets": self.named_facets,
            "named_facet_contacts": self.named_facet_contacts,
            "subjects": [vars(spread) for spread in self.subjects],
        }


def score_stream(
    assignments: Iterable[tuple[str, str | None]],
    truth: Mapping[str, str | None],
    names: Mapping[str, str],
    vocabularies: Mapping[str, set[str]],
) -> StreamScore:
    """Score (event_id, theme_id or None) pairs against event_id → true subject.

    Contacts the truth does not know are skipped (they were not simulated in this run);
    `names` gives each theme's name (its id where missing)."""
    pairs = [
        (theme or UNASSIGNED, truth[event] or OFF_TOPIC)
        for event, theme in assignments
        if event in truth
    ]
    if not pairs:
        raise ValueError("no contact of the warehouse appears in the truth file")
    found = [theme for theme, _ in pairs]
    subjects = [subject for _, subject in pairs]
    homogeneity, completeness, nmi = homogeneity_completeness_v_measure(subjects, found)
    per_theme: dict[str, Counter[str]] = {}
    for theme, subject in pairs:
        per_theme.setdefault(theme, Counter())[subject] += 1
    themes = [theme for theme in per_theme if theme != UNASSIGNED]
    majorities = [per_theme[theme].most_common(1)[0][0] for theme in themes]
    named_themes, named_contacts = named_shares(
        [names.get(theme, theme) for theme in themes],
        [sum(per_theme[theme].values()) for theme in themes],
        majorities,
        vocabularies,
    )
    return StreamScore(
        homogeneity=float(homogeneity),
        completeness=float(completeness),
        nmi=float(nmi),
        ari=float(adjusted_rand_score(subjects, found)),
        coverage=sum(theme != UNASSIGNED for theme in found) / len(found),
        n_contacts=len(pairs),
        n_themes=len(themes),
        n_subjects=len(set(subjects)),
        named_themes=named_themes,
        named_contacts=named_contacts,
        subjects=subject_spreads(pairs, names),
    )


def subject_spreads(
    pairs: Sequence[tuple[str, str]], names: Mapping[str, str]
) -> list[SubjectSpread]:
    """Per true subject, largest first: its main theme and how much of it lies there."""
    per_subject: dict[str, Counter[str]] = {}
    for theme, subject in pairs:
        per_subject.setdefault(subject, Counter())[theme] += 1
    spreads = []
    for subject, themes in per_subject.items():
        main, count = themes.most_common(1)[0]
        total = sum(themes.values())
        spreads.append(
            SubjectSpread(
                subject=subject,
                contacts=total,
                main_theme=main,
                main_theme_name=names.get(main, main),
                main_share=count / total,
                themes=len(set(themes) - {UNASSIGNED}),
            )
        )
    return sorted(spreads, key=lambda spread: (-spread.contacts, spread.subject))


def read_truth(truth_file: Path) -> dict[str, str | None]:
    with truth_file.open(encoding="utf-8") as lines:
        return truth_themes(json.loads(line) for line in lines if line.strip())


def facet_named_shares(
    facets: Iterable[tuple[str, str | None]],
    truth: Mapping[str, str | None],
    names: Mapping[str, str],
    vocabularies: Mapping[str, set[str]],
) -> tuple[float, float]:
    """(share of facets, share of their contacts) whose name names the majority subject of
    their contacts, from (event_id, facet_id or None) pairs; contacts without a facet or
    unknown to the truth are left out."""
    per_facet: dict[str, Counter[str]] = {}
    for event, facet in facets:
        if facet is not None and event in truth:
            per_facet.setdefault(facet, Counter())[truth[event] or OFF_TOPIC] += 1
    return named_shares(
        [names.get(facet, facet) for facet in per_facet],
        [sum(counts.values()) for counts in per_facet.values()],
        [counts.most_common(1)[0][0] for counts in per_facet.values()],
        vocabularies,
    )


def evaluate_stream(
    assignments: Sequence[tuple[str, str | None]],
    names: Mapping[str, str],
    truth_file: Path,
    facets: tuple[Sequence[tuple[str, str | None]], Mapping[str, str]] | None = None,
) -> StreamScore:
    """Score a stream run's stored themes (each contact's theme, None = nog onbekend; the
    themes' names) against a simulated run's truth; with `facets` (each contact's facet, the
    facets' names) the facet names too."""
    truth = read_truth(truth_file)
    score = score_stream(assignments, truth, names, simulator_vocabularies())
    if facets is None or not any(facet for _, facet in facets[0]):
        return score  # a run without facets has no facet names to score
    facet_pairs, facet_names = facets
    named, contacts = facet_named_shares(
        facet_pairs, truth, facet_names, simulator_vocabularies(variations=True)
    )
    return replace(score, named_facets=named, named_facet_contacts=contacts)
