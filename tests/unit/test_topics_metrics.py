"""Clustering metrics against hand-computed cases."""

import math

import pytest

from topics.metrics import coverage, hungarian_accuracy, score_clustering


def test_relabelled_perfect_clustering_scores_one():
    scores = score_clustering(["a", "a", "b", "b", "c"], [2, 2, 0, 0, 1])
    assert scores.nmi == pytest.approx(1.0)
    assert scores.ari == pytest.approx(1.0)
    assert scores.acc == pytest.approx(1.0)
    assert scores.coverage == 1.0
    assert (scores.n_themes, scores.n_labels, scores.n_docs) == (3, 3, 5)


def test_partial_agreement_matches_hand_computation():
    gold = [0, 0, 0, 1, 1, 1]
    predicted = [0, 0, 1, 1, 1, 1]
    scores = score_clustering(gold, predicted)
    # Contingency (pred × gold) = [[2, 0], [1, 3]].
    # ARI: sum C(n_ij,2)=4, rows C: 1+6=7, cols C: 3+3=6, C(6,2)=15, expected 7*6/15.
    expected_index = 7 * 6 / 15
    assert scores.ari == pytest.approx((4 - expected_index) / ((7 + 6) / 2 - expected_index))
    mutual_information = (
        (2 / 6) * math.log((2 / 6) / ((2 / 6) * (3 / 6)))
        + (1 / 6) * math.log((1 / 6) / ((4 / 6) * (3 / 6)))
        + (3 / 6) * math.log((3 / 6) / ((4 / 6) * (3 / 6)))
    )
    entropy_gold = math.log(2)
    entropy_predicted = -(1 / 3) * math.log(1 / 3) - (2 / 3) * math.log(2 / 3)
    assert scores.nmi == pytest.approx(
        mutual_information / ((entropy_gold + entropy_predicted) / 2)
    )
    assert scores.acc == pytest.approx(5 / 6)


def test_hungarian_accuracy_maps_each_cluster_to_one_label_only():
    # Two predicted clusters cannot both claim label "x".
    assert hungarian_accuracy(["x", "x", "x", "x"], [0, 0, 1, 1]) == pytest.approx(0.5)
    # More labels than clusters: the unmatched label's documents count as wrong.
    assert hungarian_accuracy(["x", "x", "y", "z"], [0, 0, 0, 0]) == pytest.approx(0.5)


def test_unassigned_documents_count_against_the_score():
    gold = ["a", "a", "b", "b"]
    assert coverage([0, -1, 1, -1]) == 0.5
    with_gaps = score_clustering(gold, [0, -1, 1, -1])
    assert with_gaps.n_themes == 2
    assert with_gaps.nmi < 1.0
    assert with_gaps.acc == pytest.approx(0.5)


def test_length_mismatch_is_an_error():
    with pytest.raises(ValueError, match="3 gold labels but 2"):
        score_clustering(["a", "b", "c"], [0, 1])
