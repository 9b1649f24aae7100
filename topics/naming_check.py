"""Whether a theme's name names the subject its contacts are really about.

One rule for the label bench (`bench/label_quality.py`), `ledenradar evaluate themes` and
`ledenradar evaluate stream`: a name names a true subject when one of its words matches a
word of that subject's vocabulary. For the simulator the vocabulary is the words of the
theme's name and subject lines (`pipeline/simulator/themes_nl.yaml`), for a public intent
set all words of the intent's name (`card_arrival` → card, arrival) and its adjacent words
written as one (`top_up` → topup). For the simulator,
words in the vocabulary of `GENERIC_SUBJECT_COUNT` or more subjects ("werkgever", "vraag")
define none of them and are left out, except the words of a subject's own name: "ontslag" is
in the subject lines of several themes, yet it names the theme called "Ontslag".

Two words match when they are equal, when one starts the other (a Dutch compound:
"pensioen" / "pensioenoverzicht") or when they differ only in their last letters (a stem:
"verify" / "verification", "charge" / "charging"); words shorter than `MIN_STEM` match only
whole ("cao", "wia") or in their plural ("tax" / "taxes", "fee" / "fees").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

# Words this short match only whole: "cao" names a theme, "wia" too, but four letters is
# the shortest stem or compound start worth crediting.
MIN_STEM = 4
# ... or with a plural ending: "fee" / "fees", and "es" after a sibilant: "tax" / "taxes"
# ("stems allowed"), never "pin" / "pines".
SIBILANTS = ("s", "x", "z", "ch", "sh")
# How many trailing letters of the shorter word may differ for two words to share a stem.
STEM_ENDING = 2
# A vocabulary word shared by this many subjects defines none of them.
GENERIC_SUBJECT_COUNT = 3
_WORD = re.compile(r"[^\W\d_]+")


def words_of(text: str) -> list[str]:
    """Lower-case letter runs: `card_arrival` → card, arrival; digits and `_` split words."""
    return _WORD.findall(text.lower())


def subject_vocabularies(
    texts_per_subject: Mapping[str, Iterable[str]],
    stopwords: Iterable[str],
    generic_count: int | None = GENERIC_SUBJECT_COUNT,
    names: Mapping[str, str] | None = None,
) -> dict[str, set[str]]:
    """Per subject: the content words of its texts (name, subject lines), without the words
    of `generic_count` or more subjects (None: keep them) other than those of the subject's
    own name in `names`."""
    stop = set(stopwords)
    vocabulary = {
        subject: {word for text in texts for word in words_of(text) if word not in stop}
        for subject, texts in texts_per_subject.items()
    }
    vocabulary = {
        subject: {w for w in words if len(w) > 1} for subject, words in vocabulary.items()
    }
    counts = Counter(word for words in vocabulary.values() for word in words)
    if generic_count is None:
        return vocabulary
    generic = {word for word, n in counts.items() if n >= generic_count}
    own = {subject: set(words_of((names or {}).get(subject, ""))) for subject in vocabulary}
    return {subject: words - (generic - own[subject]) for subject, words in vocabulary.items()}


def simulator_vocabularies(variations: bool = False) -> dict[str, set[str]]:
    """Per simulator theme id: the content words of its name and subject lines; with
    `variations` also those of its situations and details, the words a facet (one variation
    of the subject: "camera in de cabine", "score per rit") may be named by."""
    from pipeline.simulator.themes import load_themes
    from topics.representation import stopwords_for

    themes = load_themes().values()
    texts = {
        theme.id: [theme.label, *theme.subjects]
        + ([*theme.situations, *theme.details] if variations else [])
        for theme in themes
    }
    names = {theme.id: theme.label for theme in themes}
    return subject_vocabularies(texts, stopwords_for("nl"), names=names)


def intent_vocabularies(intents: Iterable[str], language: str = "en") -> dict[str, set[str]]:
    """Per intent label of a public set: all content words of the label itself ("a word of
    the intent's name", issue 17); words sibling intents share ("card", "pending") stay, as
    an intent's name is short and those words are part of what it asks."""
    from topics.representation import stopwords_for

    texts = {intent: [intent] for intent in set(intents)}
    vocabularies = subject_vocabularies(texts, stopwords_for(language), generic_count=None)
    for intent, words in vocabularies.items():
        words |= set(joined_pairs(intent))
    return vocabularies


def joined_pairs(name: str) -> list[str]:
    """Adjacent words of a name written as one, as English writes a phrasal compound either
    way: `top_up_reverted` → topup, upreverted (only a real one will ever match)."""
    words = words_of(name)
    return [a + b for a, b in zip(words, words[1:], strict=False)]


def words_match(word: str, truth: str) -> bool:
    """Equal, a compound start of the other, or the same stem (see the module docstring)."""
    shorter, longer = sorted((word, truth), key=len)
    if shorter == longer:
        return True
    if len(shorter) < MIN_STEM:
        return longer == shorter + "s" or (shorter.endswith(SIBILANTS) and longer == shorter + "es")
    common = 0
    for a, b in zip(shorter, longer, strict=False):
        if a != b:
            break
        common += 1
    return common == len(shorter) or common >= max(MIN_STEM, len(shorter) - STEM_ENDING)


def names_subject(name: str, vocabulary: Iterable[str]) -> bool:
    """Whether a word of `name` matches a word of the subject's vocabulary."""
    truth = list(vocabulary)
    return any(words_match(word, t) for word in words_of(name) for t in truth)


def majority_labels(
    gold: Sequence[str], assignments: np.ndarray, n_themes: int
) -> list[tuple[str, float]]:
    """Per theme: its most frequent gold label and the share of its documents that have it
    (purity); ("", 0.0) for a theme without documents."""
    gold_array = np.asarray(gold, dtype=object)
    majorities = []
    for theme in range(n_themes):
        members = gold_array[np.asarray(assignments) == theme]
        if len(members) == 0:
            majorities.append(("", 0.0))
            continue
        label, count = Counter(members.tolist()).most_common(1)[0]
        majorities.append((str(label), count / len(members)))
    return majorities


def named_shares(
    names: Sequence[str],
    sizes: Sequence[int],
    majorities: Sequence[str],
    vocabularies: Mapping[str, set[str]],
) -> tuple[float, float]:
    """(share of themes, share of their documents) whose name names their majority subject.

    Themes whose majority subject has no vocabulary (off-topic contacts) are left out of
    both shares: no name could pass for them."""
    scored = [
        (names_subject(name, vocabularies[majority]), size)
        for name, size, majority in zip(names, sizes, majorities, strict=True)
        if vocabularies.get(majority)
    ]
    if not scored:
        return 0.0, 0.0
    hits = [hit for hit, _ in scored]
    weight = sum(size for _, size in scored)
    return (
        sum(hits) / len(scored),
        sum(size for hit, size in scored if hit) / max(weight, 1),
    )
