"""Themes over facets: facets that share their subject's words become one theme."""

from dataclasses import replace

import numpy as np
import pytest

from topics.facets import FacetSummary
from topics.tree import (
    BLEND_SPREAD,
    CO_EMERGED_BONUS,
    EVIDENCE_BONUS,
    KEPT_TOGETHER_BONUS,
    MIN_ROBUST_SD,
    ThemeTree,
    attach_birth,
    blended_standing,
    build_tree,
    co_emerged,
    facet_term_weights,
    facet_tree,
    group_facets,
    group_standing,
    join_threshold,
    kept_together,
    same_subject,
)

# Two subjects, each asked about in two situations, and three unrelated subjects: the
# situations of one subject share its words, distinct subjects share none but filler.
FACETS = {
    "contributie_dubbel": "mijn contributie voor het lidmaatschap is dubbel afgeschreven",
    "contributie_lager": "ik betaal te veel contributie voor het lidmaatschap met mijn lagere inkomen",
    "pensioen_aow": "wanneer gaat mijn pensioen van het pensioenfonds in naast de aow",
    "pensioen_fonds": "mijn pensioen bij het pensioenfonds klopt niet met het overzicht",
    "proeftijd": "mijn proeftijd is verlengd door de werkgever zonder reden",
    "vakantiegeld": "mijn vakantiegeld is niet uitbetaald in mei zoals afgesproken",
    "reiskosten": "mijn reiskosten voor de kilometers worden niet vergoed",
}


def _window(repeats: int = 6) -> tuple[list[str], np.ndarray]:
    texts, assignments = [], []
    for facet, text in enumerate(FACETS.values()):
        for n in range(repeats):
            texts.append(f"{text} vraag {n}")
            assignments.append(facet)
    return texts, np.array(assignments)


def test_facets_of_one_subject_join_and_distinct_subjects_stay_apart():
    texts, assignments = _window()
    tree = build_tree(texts, assignments, len(FACETS))
    facet_theme = tree.facet_theme.tolist()
    assert facet_theme[0] == facet_theme[1]  # contributie
    assert facet_theme[2] == facet_theme[3]  # pensioen
    assert len(set(facet_theme)) == 5
    themes = tree.themes_of(np.array([0, 1, -1, 6]))
    assert themes[0] == themes[1] and themes[2] == -1 and themes[3] != themes[0]


def test_the_cut_is_relative_to_the_windows_own_similarities():
    # The same structure at another similarity scale gives the same themes.
    similarity = np.full((6, 6), 0.05) + np.diag(np.full(6, 0.95))
    similarity[0, 1] = similarity[1, 0] = 0.4
    noise = np.random.default_rng(0).uniform(-0.01, 0.01, (6, 6))
    similarity = similarity + (noise + noise.T) / 2
    low = group_facets(similarity, [10] * 6)
    high = group_facets(0.5 + similarity / 2, [10] * 6)
    assert low.facet_theme.tolist() == high.facet_theme.tolist()
    assert low.facet_theme[0] == low.facet_theme[1] and low.n_themes == 5
    assert join_threshold(similarity) < 0.4


def test_themes_are_numbered_by_size():
    similarity = np.eye(3) + 0.01
    tree = group_facets(similarity, [5, 50, 20])
    assert tree.facet_theme.tolist() == [2, 0, 1]


def test_a_newborn_variation_joins_its_theme_and_a_new_subject_stays_new():
    texts, assignments = _window()
    facet_texts = [[t for t, a in zip(texts, assignments, strict=True) if a == k] for k in range(7)]
    facet_theme = [0, 0, 1, 1, 2, 3, 4]
    variation = ["ik wil mijn contributie voor het lidmaatschap terug na opzeggen"] * 5
    new_subject = ["de camera in de cabine volgt elke rit met een score"] * 5
    assert attach_birth(variation, facet_texts, facet_theme) == 0
    assert attach_birth(new_subject, facet_texts, facet_theme) is None
    assert attach_birth(variation, [], []) is None


def test_an_empty_tree_assigns_nothing():
    tree = ThemeTree(np.zeros(0, dtype=np.int64), float("inf"))
    assert tree.n_themes == 0
    assert tree.themes_of(np.array([-1, -1])).tolist() == [-1, -1]


def test_a_window_without_spread_does_not_join_facets_that_share_one_word():
    # Three facets, one weak link: the median absolute deviation is 0, so without the floor
    # on the spread the cut would sit at the median (0) and join the weakly linked pair.
    similarity = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.1], [0.0, 0.1, 1.0]])
    assert join_threshold(similarity) == pytest.approx(6 * MIN_ROBUST_SD)
    assert group_facets(similarity, [10, 10, 10]).n_themes == 3


def test_facets_of_two_curated_subjects_never_join_however_alike():
    # Facets 0–2 stand far above the window together, as thuiswerkvergoeding and reiskosten
    # do (both "vergoeding", same setting); 3 and 4 are another pair.
    z = np.zeros((5, 5))
    z[:3, :3] = 10.0
    z[3:, 3:] = 10.0

    def themes(subjects: list[str | None] | None) -> list[int]:
        return group_standing(z, [10] * 5, 3.0, subjects).facet_theme.tolist()

    joined = themes(None)
    assert joined[0] == joined[1] == joined[2] and joined[3] == joined[4]
    assert themes([None] * 5) == joined
    kept = themes(["T0007", "T0011", "T0007", None, None])
    assert kept[0] == kept[2] != kept[1] and kept[3] == kept[4]
    chained = themes(["T0007", None, "T0011", None, None])
    assert chained[0] != chained[2] and chained[1] in (chained[0], chained[2])


def test_a_newborn_never_joins_a_theme_of_another_curated_subject():
    texts, assignments = _window()
    facet_texts = [[t for t, a in zip(texts, assignments, strict=True) if a == k] for k in range(7)]
    facet_theme = [0, 0, 1, 1, 2, 3, 4]
    variation = ["ik wil mijn contributie voor het lidmaatschap terug na opzeggen"] * 5
    known = [None, "T0001", None, None, None, None, None]

    assert attach_birth(variation, facet_texts, facet_theme, subjects=known + ["T0001"]) == 0
    assert attach_birth(variation, facet_texts, facet_theme, subjects=known + [None]) == 0
    assert attach_birth(variation, facet_texts, facet_theme, subjects=known + ["T0009"]) is None


def test_a_newborn_of_a_curated_subject_joins_its_facets_from_further_off():
    texts, assignments = _window()
    facet_texts = [[t for t, a in zip(texts, assignments, strict=True) if a == k] for k in range(7)]
    facet_theme = [0, 0, 1, 1, 2, 3, 4]
    known = [None, "T0001", None, None, None, None, None]
    # Stands about 3.3 above the window with facet 1, under the cut of 6 by its words alone.
    quitting = ["ik wil mijn lidmaatschap opzeggen"] * 5
    assert attach_birth(quitting, facet_texts, facet_theme, subjects=known + [None]) is None
    assert attach_birth(quitting, facet_texts, facet_theme, subjects=known + ["T0001"]) == 0
    # Drawn closer, not forced: about 2.1 above the window stays a new subject.
    pricing = ["hoeveel kost het lidmaatschap per maand"] * 5
    assert attach_birth(pricing, facet_texts, facet_theme, subjects=known + ["T0001"]) is None


def _summaries(
    emerged: list[float], previous: list[str | None] | None = None, alike: float = 0.3
) -> list[FacetSummary]:
    """Eight facets with no word in common; facets 0 and 1 a little alike by centroid (by
    default a blended standing below the cut), every other pair not at all."""
    words = ["appel", "banaan", "citroen", "dadel", "eikel", "framboos", "guave", "hazelnoot"]
    centroids = np.eye(8)
    centroids[1] = alike * centroids[0] + np.sqrt(1 - alike**2) * centroids[1]
    before = previous or [None] * 8
    return [
        FacetSummary(
            centroids[k], [word], 20, word, f"{word}taart {word}jam " * 10, None, at, theme
        )
        for k, (word, at, theme) in enumerate(zip(words, emerged, before, strict=True))
    ]


def test_facets_that_emerged_together_join_where_old_ones_stay_apart():
    group = facet_tree().group
    old = group(_summaries([0.0] * 8))
    assert len(set(old)) == 8

    new_subject = group(_summaries([0.5, 0.55] + [0.0] * 6))
    assert new_subject[0] == new_subject[1] and len(set(new_subject)) == 7

    # New, but weeks apart: two subjects that each arrived on their own.
    apart_in_time = group(_summaries([0.3, 0.9] + [0.0] * 6))
    assert len(set(apart_in_time)) == 8


def test_a_new_subjects_piece_joins_from_further_off_than_an_old_theme_holds_one():
    def pair_standing(alike: float) -> tuple[float, float]:
        facets = _summaries([0.0] * 8, alike=alike)
        weights = facet_term_weights([f.text for f in facets])
        z, cut = blended_standing(weights @ weights.T, np.stack([f.centroid for f in facets]))
        return float(z[0, 1]), cut

    # A likeness between the two bonuses below the cut, as the demo's scanner piece stood.
    alike = next(
        (
            a
            for a in np.linspace(0.05, 0.9, 86)
            if KEPT_TOGETHER_BONUS < pair_standing(a)[1] - pair_standing(a)[0] < CO_EMERGED_BONUS
        ),
        None,
    )
    assert alike is not None, "co-emergence must draw facets closer than hysteresis does"
    group = facet_tree().group
    new_subject = group(_summaries([0.5, 0.55] + [0.0] * 6, alike=alike))
    assert new_subject[0] == new_subject[1]
    before = ["T0040", "T0040"] + [None] * 6
    old_theme = group(_summaries([0.0] * 8, before, alike=alike))
    assert old_theme[0] != old_theme[1]


def test_co_emergence_needs_both_facets_new_and_close_in_time():
    together = co_emerged([0.0, 0.1, 0.5, 0.6, 0.95])
    assert together[2, 3] and together[3, 2]
    assert not together[0, 1]  # there from the start
    assert not together[1, 2]  # one of them old
    assert not together[3, 4]  # both new, a third of the window apart
    assert not together.diagonal().any()


def test_facets_that_were_one_theme_stay_together_once_they_are_no_longer_new():
    group = facet_tree().group
    old = [0.0] * 8
    kept = group(_summaries(old, ["T0040", "T0040", "T0001", "T0002", None, None, None, None]))
    assert kept[0] == kept[1] and len(set(kept)) == 7

    # Two themes before: the same weak likeness does not join them now.
    apart = group(_summaries(old, ["T0040", "T0041", "T0001", "T0002", None, None, None, None]))
    assert len(set(apart)) == 8
    assert not kept_together(["T0040", None, None]).any()


def test_a_newborn_that_repeats_one_facet_joins_its_theme_of_many_facets():
    # Theme 0 is one subject told in eight ways that share no words; the newborn repeats the
    # camera facet. On average over theme 0's facets it stands low, beside its camera facet
    # high.
    ways = [
        "de camera in de cabine filmt elke rit",
        "mijn scanner piept als ik stilsta",
        "een algoritme maakt het rooster",
        "ik moet een app installeren op mijn telefoon",
        "mijn headset telt elke pauze",
        "de ondernemingsraad is nooit gevraagd",
        "een computer geeft mij een score",
        "slimme software leest onze mails",
    ]
    others = [
        "mijn pensioen bij het pensioenfonds klopt niet",
        "mijn vakantiegeld is niet uitbetaald in mei",
        "mijn reiskosten voor de kilometers worden niet vergoed",
        "mijn proeftijd is verlengd door de werkgever",
    ]
    facet_texts = [[f"{text} vraag {n}" for n in range(6)] for text in ways + others]
    facet_theme = [0] * 8 + [1, 2, 3, 4]
    camera_again = ["de camera in de cabine filmt elke rit en dat wil ik niet"] * 5

    assert attach_birth(camera_again, facet_texts, facet_theme) == 0


def test_facets_of_one_curated_subject_join_though_they_share_no_words():
    group = facet_tree().group
    old = [0.0] * 8

    def with_subjects(subjects: list[str | None], alike: float = 0.3) -> list[int]:
        facets = [
            replace(facet, subject=subject)
            for facet, subject in zip(_summaries(old, alike=alike), subjects, strict=True)
        ]
        return group(facets)

    none = [None] * 8
    assert len(set(with_subjects(none))) == 8
    one = with_subjects(["T0024", "T0024"] + none[2:])
    assert one[0] == one[1] and len(set(one)) == 7
    # Drawn closer, not forced: two facets with nothing in common stay apart.
    assert len(set(with_subjects(none[:2] + ["T0024", "T0024"] + none[4:]))) == 8
    assert len(set(with_subjects(["T0024", "T0001"] + none[2:]))) == 8
    assert same_subject(["T0024", None, "T0024", None]).sum() == 2


def test_facets_alike_by_words_and_centroids_alone_join_only_far_above_the_window():
    def pair_standing(alike: float) -> float:
        facets = _summaries([0.0] * 8, alike=alike)
        weights = facet_term_weights([f.text for f in facets])
        z, _ = blended_standing(weights @ weights.T, np.stack([f.centroid for f in facets]))
        return float(z[0, 1])

    # Between the cut for facets with evidence of one subject and the cut for facets without.
    evidenced_cut = BLEND_SPREAD - EVIDENCE_BONUS
    alike = next(
        (a for a in np.linspace(0.05, 0.9, 86) if evidenced_cut < pair_standing(a) < BLEND_SPREAD),
        None,
    )
    assert alike is not None
    group = facet_tree().group
    no_evidence = group(_summaries([0.0] * 8, alike=alike))
    assert len(set(no_evidence)) == 8
    # With evidence of one subject (one theme before) the same pair stands above its cut.
    before = ["T0040", "T0040"] + [None] * 6
    one_theme_before = group(_summaries([0.0] * 8, before, alike=alike))
    assert one_theme_before[0] == one_theme_before[1] and len(set(one_theme_before)) == 7


def test_a_newborn_joins_by_its_words_only_where_its_centroid_agrees():
    texts, assignments = _window()
    facet_texts = [[t for t, a in zip(texts, assignments, strict=True) if a == k] for k in range(7)]
    facet_theme = [0, 0, 1, 1, 2, 3, 4]
    # About 9 robust SDs above the window by its words with facet 0 (the cut is 6).
    paid_twice = ["contributie dubbel betaald"] * 5
    assert attach_birth(paid_twice, facet_texts, facet_theme) == 0
    # The facets apart by centroid, each in a direction of its own; the newborn's centroid
    # lies with facet 0's, or in a direction of its own: a blended standing of about 4.5.
    existing = np.eye(8)[:7]
    near = np.vstack([existing, existing[0]])
    assert attach_birth(paid_twice, facet_texts, facet_theme, centroids=near) == 0
    far = np.vstack([existing, np.eye(8)[7]])
    assert attach_birth(paid_twice, facet_texts, facet_theme, centroids=far) is None
