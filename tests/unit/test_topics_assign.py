import numpy as np
import pytest

from topics.assign import (
    UNKNOWN_LABEL,
    ThemeAssigner,
    UnassignedBuffer,
    normalise,
    propose_new_themes,
)
from topics.representation import (
    CONVERSATION_FILLER,
    class_tfidf_keyphrases,
    meaningful_keyphrases,
    theme_labels,
)

DIM = 32


@pytest.fixture
def rng():
    return np.random.default_rng(3)


@pytest.fixture
def directions(rng):
    return normalise(rng.normal(size=(6, DIM)))


def around(rng, direction, n, spread=0.25):
    return normalise(direction + spread * rng.normal(size=(n, DIM)) / np.sqrt(DIM))


def test_nearest_theme_or_nog_onbekend(directions):
    assigner = ThemeAssigner(directions[:2], ["T0001", "T0002"], threshold=0.6)
    far = normalise(directions[0] * 0.3 + directions[4])
    result = assigner.assign(np.stack([directions[1] * 5, far]))
    assert result[0].theme_id == "T0002" and result[0].similarity == pytest.approx(1.0, abs=1e-5)
    assert result[1].theme_id is None and result[1].label == UNKNOWN_LABEL
    assert result[1].similarity < 0.6


def test_threshold_from_fit_covers_the_requested_share(rng, directions):
    x = np.vstack([around(rng, directions[0], 200, 0.8), around(rng, directions[1], 200, 0.8)])
    labels = np.repeat([0, 1], 200)
    labels[:20] = -1  # outliers of the fit do not count
    assigner = ThemeAssigner.from_fit(x, labels, directions[:2], ["T0001", "T0002"], coverage=0.9)
    themed = [a.theme_id for a, label in zip(assigner.assign(x), labels, strict=True) if label >= 0]
    share = np.mean([t is not None for t in themed])
    assert 0.88 <= share <= 0.92


def test_buffer_is_bounded_and_forgets_oldest(directions):
    buffer = UnassignedBuffer(capacity=3)
    for i in range(5):
        buffer.add(f"e{i}", directions[i % 6], f"tekst {i}")
    assert buffer.refs() == ["e2", "e3", "e4"]
    buffer.remove(["e3"])
    assert buffer.refs() == ["e2", "e4"] and buffer.embeddings().shape == (2, DIM)
    buffer.add("e5", directions[0], "x")
    buffer.add("e6", directions[0], "y")
    assert len(buffer) == 3


def test_proposes_dense_groups_with_dutch_keyphrases_and_ignores_scatter(rng, directions):
    thuiswerk = around(rng, directions[2], 30)
    vso = around(rng, directions[3], 25)
    tiny = around(rng, directions[4], 6)
    scatter = normalise(rng.normal(size=(40, DIM)))
    x = np.vstack([thuiswerk, vso, tiny, scatter])
    texts = (
        [f"Ik heb een vraag over de thuiswerkvergoeding en mijn internet {i}" for i in range(30)]
        + [f"Kan de jurist mijn vaststellingsovereenkomst nakijken? {i}" for i in range(25)]
        + ["iets over de energietoeslag"] * 6
        + ["Het adres is gewijzigd"] * 40
    )
    candidates = propose_new_themes(x, texts, min_size=10, min_similarity=0.8)
    assert [c.size for c in candidates] == [30, 25]
    assert set(candidates[0].members) == set(range(30))
    assert float(candidates[0].centroid @ directions[2]) > 0.95
    assert "thuiswerkvergoeding" in candidates[0].keyphrases
    assert "vaststellingsovereenkomst" in candidates[1].keyphrases
    stop = {"de", "het", "een", "en", "ik", "mijn", "over"}
    assert not stop & {w for c in candidates for p in c.keyphrases for w in p.split()}


def test_brand_new_theme_is_born_between_refits(rng, directions):
    assigner = ThemeAssigner(directions[:2], ["T0001", "T0002"], threshold=0.8)
    buffer = UnassignedBuffer(capacity=500)
    arrivals = np.vstack([around(rng, directions[0], 50), around(rng, directions[5], 40)])
    for i, (emb, result) in enumerate(zip(arrivals, assigner.assign(arrivals), strict=True)):
        if result.theme_id is None:
            buffer.add(f"e{i}", emb, "nieuwe regeling energietoeslag aangevraagd")
    assert len(buffer) == 40

    (candidate,) = propose_new_themes(
        buffer.embeddings(), buffer.texts(), min_size=15, min_similarity=assigner.threshold
    )
    assigner.add_theme("T0003", candidate.centroid)
    buffer.remove([buffer.refs()[i] for i in candidate.members])

    later = assigner.assign(around(rng, directions[5], 10))
    assert {a.theme_id for a in later} == {"T0003"}
    assert len(buffer) == 0


GREETINGS = [
    "Nou, dank je wel, fijne dag",
    "Bedankt, doei",
    "Top, bedankt. Doei.",
    "Oké, dank u wel.",
    "Ja prima, fijne dag nog.",
    "hoi, ok top thx",
    "Goedemorgen! Alvast bedankt, groetjes",
    "super, bedankt",
]


def test_greeting_only_group_is_not_proposed_and_its_contacts_stay_unthemed(rng, directions):
    greetings = around(rng, directions[4], 30)
    camera = around(rng, directions[5], 25)
    x = np.vstack([greetings, camera])
    texts = [GREETINGS[i % len(GREETINGS)] for i in range(30)] + [
        f"Mijn werkgever volgt mij met een slimme camera tijdens het orderpicken {i}"
        for i in range(25)
    ]
    candidates = propose_new_themes(x, texts, min_size=10, min_similarity=0.8)
    assert len(candidates) == 1
    assert set(candidates[0].members) == set(range(30, 55))
    assert "camera" in candidates[0].keyphrases


def test_filler_never_becomes_a_key_phrase():
    texts = [
        f"Mijn werkgever betaalt de ploegentoeslag niet uit. {GREETINGS[i % len(GREETINGS)]}"
        for i in range(20)
    ]
    (phrases,) = class_tfidf_keyphrases(texts, np.zeros(20, dtype=int), 1)
    assert "ploegentoeslag" in phrases
    words = {w for p in phrases for w in p.split()}
    assert not words & set(CONVERSATION_FILLER)
    (label,) = theme_labels(texts, np.zeros(20, dtype=int), 1)
    assert not set(label.split()) & set(CONVERSATION_FILLER)


def test_meaningful_keyphrases_needs_two_content_words():
    assert not meaningful_keyphrases([])
    assert not meaningful_keyphrases(["nou", "dank", "fijne dag", "bedankt doei", "top"])
    assert not meaningful_keyphrases(["Oké", "dank u", "wacht"])  # one stray content word
    assert meaningful_keyphrases(["ploegentoeslag", "werkgever betaalt"])
    assert meaningful_keyphrases(["bedankt", "tracking app"])


def test_background_makes_words_every_contact_uses_count_for_less():
    situations = ["een app installeren", "een polsband met gps dragen", "een volgsysteem aanzetten"]
    texts = [f"Kan de bond iets doen? Ik moet {situations[i % 3]}." for i in range(30)]
    background = [
        f"Kan de bond mij helpen met mijn {topic}?"
        for topic in ["pensioen", "ontslag", "vakantiegeld", "overwerk", "cao"] * 40
    ]
    alone = class_tfidf_keyphrases(texts, np.zeros(30, dtype=int), 1)[0]
    weighed = class_tfidf_keyphrases(texts, np.zeros(30, dtype=int), 1, background=background)[0]
    assert alone[0] == "bond"  # in every contact of the newborn: the top phrase on its own
    assert "bond" not in weighed[:5]
    (label,) = theme_labels(texts, np.zeros(30, dtype=int), 1, background=background)
    assert "bond" not in label
    assert {"app installeren", "volgsysteem aanzetten"} <= set(weighed)


def test_bigrams_are_adjacent_words_of_one_contact():
    texts = ["Kan de bond iets doen? Ik moet een app installeren", "Bond: de app volgt mij"] * 10
    (phrases,) = class_tfidf_keyphrases(texts, np.zeros(20, dtype=int), 1, top_n=50)
    assert "app installeren" in phrases and "app volgt" in phrases
    assert "bond app" not in phrases  # "bond iets doen ... een app": not a phrase anyone wrote
    assert "installeren bond" not in phrases  # across two contacts


def test_a_newborn_is_named_by_what_members_call_about_not_their_question(rng, directions):
    # Every contact ends in the same question: the verb "meewerken" covers them all, the
    # algorithm two in three, but only a noun names a subject.
    situations = [
        "Er is een algoritme dat mijn rooster maakt.",
        "Een camera volgt mij de hele dag.",
        "Het algoritme geeft mij een score.",
    ]
    texts = [f"{situations[i % 3]} Moet ik daaraan meewerken? {i}" for i in range(30)]
    background = [f"Mijn vakantiegeld is niet betaald {i}" for i in range(30)]

    (candidate,) = propose_new_themes(
        around(rng, directions[1], 30), texts, min_size=10, background=background
    )

    assert candidate.label == "algoritme"


def test_floors_per_centroid_replace_the_threshold(directions):
    loose, strict = 0.2, 0.95
    assigner = ThemeAssigner(
        directions[:2], ["T0001", "T0002"], threshold=0.6, floors=[loose, strict]
    )
    near_first = normalise(directions[0] + 1.2 * directions[4])  # cosine about 0.6 or less
    near_second = normalise(directions[1] + 0.5 * directions[4])  # cosine about 0.9
    first, second = assigner.assign(np.stack([near_first, near_second]))
    assert loose <= first.similarity < 0.6 and first.theme_id == "T0001"
    assert second.similarity < strict and second.theme_id is None
    with pytest.raises(ValueError, match="floors"):
        ThemeAssigner(directions[:2], ["T0001", "T0002"], threshold=0.6, floors=[0.1])
