"""Names that name the subject: a noun phrase in the members' own words, for themes and facets.

`topics.representation.theme_labels` picks the phrase with the highest coverage × precision.
On its own that lets a question template's verb or adverb win ("Haalt", "Los", "Kijken"), so
here only *nominal* phrases may name a theme: a word is nominal when members use it as a
noun, seen from the words before it in their own contacts (no tagger, no model download):

- after a determiner or possessive ("de", "het", "een", "mijn", "geen", …), directly or with
  one inflected adjective between ("de vaste aanstelling", "een automatische incasso");
- in English, whose adjectives do not inflect and whose compounds are two words, also with
  any one content word between ("my credit score", "the car battery", "my bank balance"),
  provided the word also follows a determiner directly in at least `ATTESTED_SHARE` of its
  uses: a verb after a noun ("my card arrived", "my transfer failed") hardly ever does;
- as the first word of a subject line, which members write as a headline
  ("Thuiswerkvergoeding", "Corona op het werk", "Lidmaatschap opzeggen"), or the second
  when the first is an inflected adjective: a headline drops its determiner, not its
  adjective ("Seksuele intimidatie", "Vrije dagen").

A word is nominal when at least `NOMINAL_SHARE` of its uses look like that; a verb
("meenemen", "ontslaan"), a participle ("aangepast", "begonnen") or an adverb ("zomaar")
hardly ever follows a determiner. A Dutch compound takes the word class of its head, so a
word that ends in a nominal word is nominal too ("belastingaangifte" after "aangifte"; both
parts at least `MIN_COMPOUND_START` letters). A two-word phrase is nominal when its last
word is.

Subject lines count as the member's words: they are what the member wrote above the
message, and they name the subject most often ("Vraag over mijn contributie").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from functools import partial

import numpy as np

from topics.representation import (
    MIN_COMPOUND_START,
    UNNAMED,
    best_phrase,
    phrase_use,
    stopwords_for,
    theme_labels,
)

# The share of a word's uses that must look nominal for it to name a theme. Verbs and
# adverbs of the simulator's templates score 0.00–0.20, subject nouns 0.4–1.0 (docs/themes.md).
NOMINAL_SHARE = 0.3
# English: the share of a word's uses that must directly follow a determiner for the word
# two after one to count as well. On BANKING77 and CLINC150 at 0.02 "failed" passed, at 0.05
# it and most verbs after a noun do not, while "balance", "battery", "deposit" and "score" do.
ATTESTED_SHARE = 0.05
# Languages whose noun phrases put uninflected modifiers before the noun (see above).
SEPARATE_COMPOUNDS = frozenset(["en"])
# Dutch determiners that are also a subject pronoun ("het gaat om", "dit speelt al jaren").
# A word ending in -t, the finite verb's ending, that members put after no other determiner
# is that verb, not a noun: "gaat" followed "het" in 63 % of its uses in the baseline
# scenario, never "de", "een" or "mijn", and a theme was named "Kantonrechter gaat". Nouns
# that members put after "het" alone ("het UWV", "het minimumloon") keep those uses.
PRONOUN_DETERMINERS = frozenset(["het", "dit", "die", "deze"])
FINITE_VERB_ENDING = "t"
# Shorter words ending in -e are seldom inflected adjectives ("vrije" is; "ene", "ode" not).
MIN_ADJECTIVE = 4
VOWELS = frozenset("aeiou")
DETERMINERS = {
    "nl": frozenset(
        [
            "de",
            "het",
            "een",
            "mijn",
            "m'n",
            "mn",
            "zijn",
            "z'n",
            "haar",
            "ons",
            "onze",
            "uw",
            "je",
            "jouw",
            "jullie",
            "hun",
            "deze",
            "die",
            "dit",
            "geen",
            "elke",
            "iedere",
            "welke",
            "ieder",
            "alle",
        ]
    ),
    "en": frozenset(
        [
            "the",
            "a",
            "an",
            "my",
            "your",
            "his",
            "her",
            "its",
            "our",
            "their",
            "this",
            "these",
            "those",
            "no",
            "any",
            "some",
            "every",
        ]
    ),
}
_CLAUSE_BREAK = re.compile(r"[.,;:!?()\[\]\n\"]+")
# What a mail client puts before a subject line it answers or forwards ("Re: Vrije dagen
# opnemen", "Antw: Fwd: ..."): the member's headline starts after it.
_REPLY_MARKERS = re.compile(r"^(?:\s*(?:re|fw|fwd|antw|doorst)\s*:)+", re.IGNORECASE)
_TOKEN = re.compile(r"[\w']+")
_WORD = re.compile(r"[^\W\d_]+")


def naming_texts(texts: Sequence[str], subjects: Sequence[str | None] | None) -> list[str]:
    """Each contact's subject line (when it has one) above its own words."""
    if subjects is None:
        return list(texts)
    return [
        f"{subject}\n{text}" if subject else text
        for text, subject in zip(texts, subjects, strict=True)
    ]


def nominal_words(
    texts: Sequence[str],
    subjects: Sequence[str | None] | None = None,
    language: str = "nl",
    min_share: float = NOMINAL_SHARE,
) -> frozenset[str]:
    """The words members use as nouns (see the module docstring)."""
    determiners = DETERMINERS.get(language, DETERMINERS["nl"]) | DETERMINERS["nl"]
    separate = language in SEPARATE_COMPOUNDS
    stop = frozenset(stopwords_for(language)) if separate else frozenset()
    uses: Counter[str] = Counter()
    nominal: Counter[str] = Counter()
    direct: Counter[str] = Counter()  # right after a determiner
    after_pronoun: Counter[str] = Counter()  # right after one that may be a pronoun
    modified: Counter[str] = Counter()  # English: after a determiner and one content word
    for text in texts:
        for clause in _CLAUSE_BREAK.split(text.lower()):
            words = _TOKEN.findall(clause)
            for i, word in enumerate(words):
                uses[word] += 1
                before = words[i - 1] if i else ""
                two_before = words[i - 2] if i > 1 else ""
                if before in determiners:
                    direct[word] += 1
                    after_pronoun[word] += before in PRONOUN_DETERMINERS
                elif two_before in determiners and before.endswith("e"):
                    nominal[word] += 1
                elif separate and two_before in determiners and before not in stop:
                    modified[word] += 1
    for subject in subjects or ():
        opening = _TOKEN.findall(_REPLY_MARKERS.sub("", subject or "").lower())[:2]
        for word in opening[:1]:
            uses[word] += 1
            nominal[word] += 1
        if len(opening) == 2 and _inflected_adjective(opening[0], uses):
            uses[opening[1]] += 1
            nominal[opening[1]] += 1
    for word, n in direct.items():
        if language != "nl" or not _finite_verb(word, n, after_pronoun[word]):
            nominal[word] += n
    for word, n in modified.items():
        if direct[word] >= ATTESTED_SHARE * uses[word]:
            nominal[word] += n
    nouns = {word for word, n in uses.items() if nominal[word] >= min_share * n}
    nouns -= inflected_adjectives(nouns, uses)
    in_subjects = {w for subject in subjects or () for w in _TOKEN.findall((subject or "").lower())}
    words = set(uses) | in_subjects
    return frozenset(nouns | {word for word in words if not nouns.isdisjoint(compound_heads(word))})


def _finite_verb(word: str, after_determiner: int, after_pronoun: int) -> bool:
    """Whether a Dutch word seen after determiners is a finite verb after a subject pronoun
    (`PRONOUN_DETERMINERS`): it ends in -t and never follows a determiner that is only one."""
    return word.endswith(FINITE_VERB_ENDING) and after_pronoun == after_determiner


def nominal_name(name: str, nouns: frozenset[str]) -> bool:
    """Whether a name ends in one of `nouns` (`nominal_words`), as every name
    `subject_labels` gives does: "Nieuwe software" does, "Meewerken" does not."""
    words = _TOKEN.findall(name.lower())
    return bool(words) and words[-1] in nouns


def inflected_adjectives(words: set[str], uses: Counter[str]) -> set[str]:
    """The Dutch adjectives among `words`: an inflected adjective follows a determiner as a
    noun does ("de nieuwe regeling", "een vaste aanstelling"), but its bare form is written
    too ("is nieuw", "een vast contract"); a noun ending in -e has no such form ("premie",
    "ziekte", "boete")."""
    return {word for word in words if _inflected_adjective(word, uses)}


def _inflected_adjective(word: str, uses: Counter[str]) -> bool:
    """Whether members also write `word` without its inflection ("vrije" / "vrij")."""
    return (
        len(word) >= MIN_ADJECTIVE
        and word.endswith("e")
        and any(uses[form] for form in uninflected_forms(word))
    )


def uninflected_forms(word: str) -> set[str]:
    """What an adjective ending in -e could be without it: "nieuwe" → nieuw, "dikke" → dik,
    "grote" → groot, "seksuele" → seksueel, "lieve" → lief, "boze" → boos."""
    stem = word[:-1]
    forms = {stem}
    if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in VOWELS:
        forms.add(stem[:-1])
    if len(stem) > 2 and stem[-1] not in VOWELS and stem[-2] in VOWELS:
        forms.add(stem[:-1] + stem[-2] + stem[-1])
    for inflected, bare in (("v", "f"), ("z", "s")):
        forms |= {form[:-1] + bare for form in set(forms) if form.endswith(inflected)}
    return forms


def compound_heads(word: str) -> list[str]:
    """Every ending of `word` that could be a compound's head: both parts `MIN_COMPOUND_START`
    letters or more ("aangifte" in "belastingaangifte", also "ngaangifte"; only known nouns
    count)."""
    return [word[start:] for start in range(MIN_COMPOUND_START, len(word) - MIN_COMPOUND_START + 1)]


def subject_labels(
    texts: Sequence[str],
    assignments: np.ndarray,
    n_themes: int,
    language: str = "nl",
    subjects: Sequence[str | None] | None = None,
    background: Sequence[str] = (),
    centroids: np.ndarray | None = None,
    embed: Callable[[list[str]], np.ndarray] | None = None,
) -> list[str]:
    """Per theme: the nominal phrase with the highest coverage × precision, in the words of
    its contacts' subject lines and messages; "onbenoemd thema" when none is nominal.

    With `embed` (phrases → vectors in the space of `centroids`, centred as the contacts
    were) the best candidates are weighed once more by how close their own embedding lies
    to the theme's centroid, as BERTopic's KeyBERTInspired does: "minimumloon" over "brief",
    "uitzendbureau" over "bureau"."""
    documents = naming_texts(texts, subjects)
    nouns = nominal_words(texts, subjects, language)
    rerank = None
    if embed is not None and centroids is not None:
        rerank = closeness_to(centroids, embed)
    labels = theme_labels(
        documents,
        assignments,
        n_themes,
        language,
        background,
        allowed=lambda phrase: phrase.split()[-1] in nouns,
        rerank=rerank,
        headlines=subjects,
    )
    return as_members_write(labels, documents)


def repeats(phrase: str, name: str) -> bool:
    """Whether a phrase says a word of `name` again, whole or as a compound's part: under
    "Vakantiegeld" a facet "vakantie" adds nothing, under "Cao-loonsverhoging" neither does
    "loonsverhoging"."""
    return any(
        word == own
        or (min(len(word), len(own)) >= MIN_COMPOUND_START and (word in own or own in word))
        for word in _WORD.findall(phrase.lower())
        for own in _WORD.findall(name.lower())
    )


def theme_centroids(vectors: np.ndarray, assignments: np.ndarray, n_themes: int) -> np.ndarray:
    """L2-normalised mean vector of each theme's documents."""
    sums = np.zeros((n_themes, vectors.shape[1]))
    assigned = np.asarray(assignments) >= 0
    np.add.at(sums, np.asarray(assignments)[assigned], vectors[assigned])
    return sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12)


def closeness_to(
    centroids: np.ndarray, embed: Callable[[list[str]], np.ndarray]
) -> Callable[[int, list[str]], np.ndarray]:
    """A rerank: each candidate phrase's cosine to the theme's centroid (at least a hair
    above zero, so a phrase on the far side only loses, never flips the order)."""

    def factors(theme: int, phrases: list[str]) -> np.ndarray:
        vectors = np.asarray(embed(phrases), dtype=np.float64)
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        return np.maximum(vectors @ centroids[theme], 1e-3)

    return factors


def facet_labels(
    texts: Sequence[str],
    facet_assignments: np.ndarray,
    facet_theme: np.ndarray,
    theme_names: Sequence[str],
    language: str = "nl",
    subjects: Sequence[str | None] | None = None,
    centroids: np.ndarray | None = None,
    embed: Callable[[list[str]], np.ndarray] | None = None,
) -> list[str]:
    """Per facet: what sets it apart, as a nominal phrase that repeats no word of its
    theme's name; a theme's only facet carries the theme's name.

    A phrase is weighed like a theme's name, against every contact of the window, not only
    against the facet's siblings: within its theme "brief" marks the dismissal letter, but
    members write "brief" about every subject, so "opzegtermijn" or "rechtszaak" names that
    facet better. With `embed` and the facets' `centroids` the best candidates are weighed
    once more by closeness, as for themes."""
    facet_assignments = np.asarray(facet_assignments)
    labels = [UNNAMED] * len(facet_theme)
    use = phrase_use(naming_texts(texts, subjects), language)
    nouns = nominal_words(texts, subjects, language)
    rerank = closeness_to(centroids, embed) if embed is not None and centroids is not None else None
    for theme, name in enumerate(theme_names):
        facets = np.flatnonzero(facet_theme == theme)
        if len(facets) == 1:
            labels[facets[0]] = name
        if len(facets) < 2 or use is None:
            continue
        allowed = use.label_phrases & np.array(
            [phrase.split()[-1] in nouns and not repeats(phrase, name) for phrase in use.phrases]
        )
        members = {int(f): np.flatnonzero(facet_assignments == f) for f in facets}
        for facet in sorted(members, key=lambda f: -len(members[f])):
            label = best_phrase(
                use, members[facet], allowed, None if rerank is None else partial(rerank, facet)
            )
            labels[facet] = label
            # A sibling named alike would read as one facet listed twice ("Bureau 58,
            # Bureau 23"): the smaller ones look further.
            allowed = allowed & np.array([not repeats(p, label) for p in use.phrases])
    return as_members_write(labels, naming_texts(texts, subjects))


# Abbreviations members write in capitals ("AI", "WW", "AOW", "UWV"): at most this many
# letters, so that a shouted word ("DRINGEND") never counts.
MAX_ABBREVIATION = 5
_CAPITALS = re.compile(rf"\b[^\W\d_a-z]{{2,{MAX_ABBREVIATION}}}\b")


def as_members_write(labels: Sequence[str], texts: Sequence[str]) -> list[str]:
    """Labels (lower case) with each abbreviation in capitals where members write it so in
    more than half its uses: "ai" → "AI", "ww" → "WW", not "cao" where most write "cao"."""
    words = {w for label in labels for w in _WORD.findall(label) if len(w) <= MAX_ABBREVIATION}
    if not words:
        return list(labels)
    joined = "\n".join(texts)
    capitals = Counter(w.lower() for w in _CAPITALS.findall(joined))
    candidates = {w for w in words if capitals[w]}
    if not candidates:
        return list(labels)
    uses = Counter(w for w in (m.lower() for m in _WORD.findall(joined)) if w in candidates)
    upper = {w for w in candidates if 2 * capitals[w] > uses[w]}
    return [
        re.sub(r"[^\W\d_]+", lambda m: m[0].upper() if m[0] in upper else m[0], label)
        for label in labels
    ]
