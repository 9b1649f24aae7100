import numpy as np
import pytest
from sklearn.cluster import AgglomerativeClustering

from topics.identity import (
    LineageEvent,
    cluster_share,
    id_stability,
    match_themes,
    member_overlap,
    word_similarity,
)


def unit(v):
    v = np.asarray(v, dtype=float)
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def blend(a, b, weight_b):
    """A unit vector at cosine ≈ (1 - weight_b) from `a` towards orthogonal-ish `b`."""
    return unit((1 - weight_b) * a + weight_b * b)


@pytest.fixture
def basis():
    return unit(np.random.default_rng(0).normal(size=(8, 64)))


def test_continued_born_died(basis):
    result = match_themes(
        basis[:3],
        [["a"], ["b"], ["c"]],
        ["T0001", "T0002", "T0005"],
        np.stack([basis[2], basis[0], basis[6]]),
        [["c"], ["a"], ["z"]],
    )
    assert result.ids == ["T0005", "T0001", "T0006"]
    kinds = sorted((e.kind, e.from_ids, e.to_ids) for e in result.events)
    assert kinds == [
        ("born", (), ("T0006",)),
        ("continued", ("T0001",), ("T0001",)),
        ("continued", ("T0005",), ("T0005",)),
        ("died", ("T0002",), ()),
    ]


def test_a_cluster_holding_most_of_a_themes_contacts_continues_it_though_centroids_drifted(basis):
    # A theme born from a few days of contacts; the refit sees many more, and its centroid
    # moved too far for the centroid and key-phrase similarity alone.
    previous, refitted = basis[0], blend(basis[0], basis[1], 0.7)
    before = ["T0070"] * 10 + ["T0001"] * 10
    assignments = np.array([1] * 8 + [-1] * 2 + [0] * 10)
    overlap = member_overlap(before, assignments, ["T0001", "T0070"], 2)
    args = (np.stack([basis[2], previous]), [["a"], ["x"]], ["T0001", "T0070"])
    new = (np.stack([basis[2], refitted]), [["a"], ["y"]])

    assert overlap[1].tolist() == [0.0, 0.8]
    assert match_themes(*args, *new).ids == ["T0001", "T0071"]
    assert match_themes(*args, *new, overlap=overlap).ids == ["T0001", "T0070"]


def test_two_themes_joined_whole_the_larger_continues_and_the_smaller_merges_into_it(basis):
    # A small theme (corona, 5 contacts) and a large one (holidays, 45) both land whole in
    # one cluster: each holds all its contacts there, so only the cluster's make-up tells
    # which theme it continues.
    before = ["T0008"] * 5 + ["T0022"] * 45
    assignments = np.zeros(50, dtype=int)
    ids = ["T0008", "T0022"]
    overlap = member_overlap(before, assignments, ids, 1)
    share = cluster_share(before, assignments, ids, 1)
    args = (np.stack([basis[0], basis[1]]), [["corona"], ["vakantie"]], ids)
    joined = (unit(basis[0] + basis[1])[None], [["vakantie", "corona"]])

    assert overlap[:, 0].tolist() == [1.0, 1.0]
    assert share[:, 0].tolist() == [0.1, 0.9]
    assert match_themes(*args, *joined, overlap=overlap).ids == ["T0008"]  # first of equals
    result = match_themes(*args, *joined, overlap=overlap, share=share)
    assert result.ids == ["T0022"]
    (merge,) = [e for e in result.events if e.kind == "merged"]
    assert merge.from_ids == ("T0022", "T0008")


def test_split_one_old_into_two_new(basis):
    old = basis[0]
    halves = np.stack([blend(old, basis[1], 0.35), blend(old, basis[2], 0.35)])
    result = match_themes(
        old[None], [["ontslag", "uwv"]], ["T0003"], halves, [["ontslag"], ["ontslag", "uwv"]]
    )
    assert "T0003" in result.ids and len(set(result.ids)) == 2
    (split,) = [e for e in result.events if e.kind == "split"]
    assert split.from_ids == ("T0003",)
    assert set(split.to_ids) == set(result.ids)


def test_merge_two_old_into_one_new(basis):
    a, b = blend(basis[0], basis[1], 0.2), blend(basis[1], basis[0], 0.2)
    merged = unit(a + b)[None]
    result = match_themes(
        np.stack([a, b]),
        [["vso"], ["vso", "jurist"]],
        ["T0010", "T0011"],
        merged,
        [["vso", "jurist"]],
    )
    (survivor,) = result.ids
    (merge,) = [e for e in result.events if e.kind == "merged"]
    assert set(merge.from_ids) == {"T0010", "T0011"} and merge.to_ids == (survivor,)
    assert not [e for e in result.events if e.kind == "died"]


def test_pinned_theme_keeps_id_where_unpinned_would_not(basis):
    drifted = blend(basis[0], basis[3], 0.4)[None]  # similarity ≈ 0.58
    plain = match_themes(basis[:1], [["x"]], ["T0004"], drifted, [["y"]], relation_threshold=0.99)
    pinned = match_themes(
        basis[:1], [["x"]], ["T0004"], drifted, [["y"]], pinned=["T0004"], relation_threshold=0.99
    )
    assert plain.ids != ["T0004"]
    assert pinned.ids == ["T0004"]


def test_pinned_theme_wins_a_contest_and_is_dormant_not_dead(basis):
    shared = unit(basis[0] + basis[1])[None]
    result = match_themes(
        basis[:2], [["p"], ["p"]], ["T0001", "T0002"], shared, [["p"]], pinned=["T0002"]
    )
    assert result.ids == ["T0002"]
    lonely = match_themes(basis[:1], [["p"]], ["T0009"], basis[5:6], [["q"]], pinned=["T0009"])
    assert LineageEvent("dormant", ("T0009",), ()) in lonely.events


def test_keyphrases_break_a_centroid_tie(basis):
    mid = unit(basis[0] + basis[1])
    result = match_themes(
        mid[None],
        [["thuiswerkvergoeding", "internet", "thuiswerken"]],
        ["T0007"],
        np.stack([blend(mid, basis[2], 0.3), blend(mid, basis[3], 0.3)]),
        [["reiskosten", "kilometervergoeding"], ["thuiswerkvergoeding", "thuiswerken", "internet"]],
    )
    assert result.ids[1] == "T0007"


def synthetic_week(rng, centers, vocab, n_per_theme, noise):
    k, dim = centers.shape
    labels = np.repeat(np.arange(k), n_per_theme)
    x = unit(centers[labels] + noise * rng.normal(size=(len(labels), dim)) / np.sqrt(dim))
    words = [list(rng.choice(vocab[t], size=3, p=ZIPF)) for t in labels]
    return x, labels, words


ZIPF = (1 / np.arange(1, 11)) / (1 / np.arange(1, 11)).sum()


def fit(x, words, k):
    """A stand-in refit whose cluster numbers come out in its own order, not the previous one's."""
    labels = AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(x)
    centroids = unit(np.stack([x[labels == c].mean(axis=0) for c in range(k)]))
    keyphrases = []
    for c in range(k):
        counts = {}
        for i in np.flatnonzero(labels == c):
            for w in words[i]:
                counts[w] = counts.get(w, 0) + 1
        keyphrases.append(sorted(counts, key=counts.get, reverse=True)[:8])
    return centroids, keyphrases


def nearest(x, centroids, ids):
    return [ids[i] for i in np.argmax(x @ centroids.T, axis=1)]


# Overlapping themes: a single ward fit recovers them with ARI ≈ 0.8, not perfectly.
NOISE = 1.5


def test_two_weekly_refits_keep_95_percent_of_contacts_on_their_theme():
    rng = np.random.default_rng(7)
    k, dim = 20, 48
    centers = unit(rng.normal(size=(k, dim)))
    vocab = [[f"w{t}_{i}" for i in range(10)] for t in range(k)]
    sizes = rng.integers(40, 200, size=k)
    contacts, _, _ = synthetic_week(rng, centers, vocab, sizes, noise=NOISE)

    x1, _, words1 = synthetic_week(rng, centers, vocab, sizes, noise=NOISE)
    centroids1, phrases1 = fit(x1, words1, k)
    ids1 = [f"T{i + 1:04d}" for i in range(k)]
    x2, _, words2 = synthetic_week(rng, centers, vocab, sizes, noise=NOISE)
    order = rng.permutation(len(x2))
    centroids2, phrases2 = fit(x2[order], [words2[i] for i in order], k)
    result = match_themes(centroids1, phrases1, ids1, centroids2, phrases2)

    before = nearest(contacts, centroids1, ids1)
    after = nearest(contacts, centroids2, result.ids)
    naive = nearest(contacts, centroids2, ids1)  # what ids-by-cluster-number would give
    stability = id_stability(before, after)
    assert stability >= 0.95, stability
    assert id_stability(before, naive) < 0.5
    assert result.kinds() == {"continued": k}


def test_id_stability_ignores_unthemed_contacts():
    assert id_stability(["T1", None, "T2", "T3"], ["T1", "T2", None, "T4"]) == 0.5


def test_word_profiles_pair_the_same_subject_across_two_clusterings():
    previous = [
        "mijn pensioen bij het pensioenfonds\npensioenopbouw klopt niet",
        "thuiswerkvergoeding voor de thuiswerkplek\nthuiswerken en reiskosten",
    ]
    new = [
        "vraag over thuiswerken\nthuiswerkvergoeding aangevraagd",
        "pensioenfonds stuurt geen overzicht\npensioen te laag",
        "ontslag en transitievergoeding",
    ]
    sim = word_similarity(previous, new)
    assert sim.shape == (2, 3)
    assert list(sim.argmax(axis=1)) == [1, 0]
    assert sim[:, 2].max() < min(sim[0, 1], sim[1, 0])


def test_words_take_the_centroids_place_when_they_cannot_be_compared(basis):
    # Centroids that would pair the themes crosswise; the words pair them straight.
    words = np.array([[0.95, 0.1], [0.2, 0.9]])
    result = match_themes(
        basis[:2], [["a"], ["b"]], ["T0001", "T0002"], basis[[1, 0]], [["x"], ["y"]], words=words
    )
    assert result.ids == ["T0001", "T0002"]
    # Centroids of another size and no words: only the key phrases compare, and no crash.
    result = match_themes(
        basis[:2, :10], [["a", "b"], ["c"]], ["T0001", "T0002"], basis[:2], [["c"], ["a", "b"]]
    )
    assert result.ids == ["T0002", "T0001"]
