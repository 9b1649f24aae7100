"""What a theme is about, in words: c-TF-IDF key phrases, a short label, representative quotes.

Key phrases come from BERTopic's class-based TF-IDF over one- and two-word phrases, with
Dutch stopwords (plus English ones for English sets) from `stopwordsiso` and Dutch
conversation filler. The label is the phrase that best marks a theme's contacts
(`theme_labels`): its subject ("pensioen"), not the phrase a question template repeats
("dezelfde werkgever"). A two-word phrase is two words that stand next to
each other in one clause of one contact: "app installeren", never "bond app" from "kan de bond
iets doen? ... een app" or a pair spanning two contacts. A theme born between refits is weighed against
the contacts the existing themes already hold (`background`), as a refit weighs each theme
against the others.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer

from text.filler import CONVERSATION_FILLER

N_KEYPHRASES = 10
N_QUOTES = 3
# A set of key phrases says what a theme is about only with at least this many distinct
# content words; one stray word ("wacht" from "dan wacht ik dat af") names nothing.
MIN_CONTENT_WORDS = 2


def stopwords_for(language: str) -> list[str]:
    """Dutch stopwords and filler, plus the stopwords of `language` when that is another one."""
    import stopwordsiso

    words = set(stopwordsiso.stopwords("nl")) | set(CONVERSATION_FILLER)
    if language != "nl":
        words |= set(stopwordsiso.stopwords(language))
    return sorted(words)


def meaningful_keyphrases(keyphrases: Sequence[str], language: str = "nl") -> bool:
    """Whether key phrases name a subject: at least `MIN_CONTENT_WORDS` distinct words that are
    neither stopwords nor conversation filler. Empty or filler-only sets do not."""
    stop = set(stopwords_for(language))
    content = {word for phrase in keyphrases for word in phrase.lower().split()} - stop
    return len(content) >= MIN_CONTENT_WORDS


def class_tfidf_keyphrases(
    texts: Sequence[str],
    assignments: np.ndarray,
    n_themes: int,
    language: str = "nl",
    top_n: int = N_KEYPHRASES,
    background: Sequence[str] = (),
) -> list[list[str]]:
    """Top c-TF-IDF phrases (unigrams and bigrams) per theme; unassigned docs (-1) are ignored.

    `background` texts form one extra class that only weighs the phrases: a phrase common
    there ("bond", "werkgever") counts for less, as it would in a refit over all themes.
    With one theme and no background, c-TF-IDF is mere word frequency.
    """
    from bertopic.vectorizers import ClassTfidfTransformer

    documents_per_theme = [
        "\n".join(texts[i] for i in np.flatnonzero(assignments == theme))
        for theme in range(n_themes)
    ]
    if background:
        documents_per_theme.append("\n".join(background))
    vectorizer = CountVectorizer(analyzer=phrase_analyzer(stopwords_for(language)))
    try:
        counts = vectorizer.fit_transform(documents_per_theme)
    except ValueError:  # every word was a stopword: no vocabulary at all
        return [[] for _ in range(n_themes)]
    weights = ClassTfidfTransformer(reduce_frequent_words=True).fit_transform(counts).toarray()
    vocabulary = vectorizer.get_feature_names_out()
    keyphrases = []
    for row in weights[:n_themes]:
        order = np.argsort(-row, kind="stable")[:top_n]
        keyphrases.append([str(vocabulary[i]) for i in order if row[i] > 0])
    return keyphrases


_CLAUSE_BREAK = re.compile(r"[.,;:!?()\[\]\n\"]+")
_WORD = re.compile(r"\w+")
_PHRASE_WORD = re.compile(r"[^\W\d_]{2,}")


def phrase_analyzer(stopwords: Sequence[str]) -> Callable[[str], list[str]]:
    """Words of two letters or more that are not stopwords, and the pairs of such words that
    stand next to each other within one clause (a line break ends a contact's clause too)."""
    stop = frozenset(stopwords)

    def analyse(document: str) -> list[str]:
        phrases: list[str] = []
        for clause in _CLAUSE_BREAK.split(document.lower()):
            previous = None
            for word in _WORD.findall(clause):
                if not _PHRASE_WORD.fullmatch(word) or word in stop:
                    previous = None
                    continue
                phrases.append(word)
                if previous is not None:
                    phrases.append(f"{previous} {word}")
                previous = word
        return phrases

    return analyse


# Dutch closed-class words that stopwordsiso lacks. They are frequent in one theme only
# because a question template repeats them ("Is de bond hierbij betrokken?", "met meerdere
# collega's", "van tevoren"), so c-TF-IDF finds them distinctive, yet they name no subject.
# Pronominal adverbs: hier/daar/er/waar + a preposition ("hierbij", "daaraan", "ertussen").
_PRONOMINAL_ADVERB = re.compile(
    r"(hier|daar|er|waar)(aan|achter|bij|binnen|boven|buiten|door|heen|in|langs|mee|na|naar|"
    r"naast|om|onder|op|over|tegen|toe|tussen|uit|van|vandaan|voor|zonder)"
)
# Reciprocal pronoun, determiners and quantifiers, adverbs of time or manner, and the units
# an amount is written in: members write "600 euro studiekosten", the number falls away, and
# "Euro studiekosten" named the study-costs theme in every demo run of 7 December.
NON_LABEL_WORDS = frozenset(
    [
        "euro",
        "procent",
        "cent",
        "elkaar",
        "dezelfde",
        "meerdere",
        "diverse",
        "enkele",
        "bepaalde",
        "allerlei",
        "tevoren",
        "vooraf",
        "achteraf",
        "zomaar",
        "hoeveel",
        "hoelang",
    ]
)
# A compound's start is its subject and its head a category: "pensioen" in
# "pensioenoverzicht", but "vergoeding" in "transitievergoeding" or "gesprek" in
# "functioneringsgesprek" would name a whole family of themes. So a contact uses a word
# also through a compound that starts with it, never through one that ends with it. Starts
# shorter than this are too often mere word beginnings ("werk" in "werkgever").
MIN_COMPOUND_START = 5
UNNAMED = "onbenoemd thema"
# The share of a bare word's users in a theme that must write one compound ending in it for
# the compound to name the theme instead ("compounds preferred", issue 17). On sim:baseline
# the settlement agreement's "beëindigingsovereenkomst" reaches 0.38 of "overeenkomst"'s
# users and the tax service's "belastingaangifte" 0.22 of "aangifte"'s; incidental compounds
# stay below 0.1 (docs/themes.md, "Names").
COMPOUND_HEAD_SHARE = 0.2
# How many of a theme's best phrases by coverage x precision a `rerank` weighs once more.
RERANK_CANDIDATES = 10
# Only e-mails carry a subject line, and members name their subject there ("Corona op het
# werk", "Seksuele intimidatie"): among all of a theme's contacts such a word reaches at most
# the e-mails' share (a third in the simulator), while the words of one message template
# reach every channel. So a phrase's coverage is also taken among the theme's contacts that
# have a subject line, and the higher of the two counts, once a theme has this many.
MIN_HEADLINES = 5


def is_label_word(word: str, stopwords: frozenset[str]) -> bool:
    """Whether a word may stand in a label: not a stopword, filler or closed-class word."""
    return not (word in stopwords or word in NON_LABEL_WORDS or _PRONOMINAL_ADVERB.fullmatch(word))


@dataclass(frozen=True)
class PhraseUse:
    """Which contacts use which phrase: directly, or through a compound that starts with it.

    Built once over a set of contacts, it names any group of them (`best_phrase`), so themes
    and facets can each be weighed against all contacts of a window without counting the
    window's words again for every group."""

    phrases: list[str]
    used: sparse.csr_matrix  # contacts x phrases, 1 where the contact uses the phrase
    total: np.ndarray  # per phrase: how many of the contacts use it
    label_phrases: np.ndarray  # per phrase: whether every word of it may stand in a label
    headline: sparse.csr_matrix | None = None  # contacts x phrases, used in the subject line
    has_headline: np.ndarray | None = None  # per contact: whether it has a subject line


def phrase_use(
    texts: Sequence[str], language: str = "nl", headlines: Sequence[str | None] | None = None
) -> PhraseUse | None:
    """The phrase use of `texts` (and of their subject lines, `headlines`, where given; each
    text then holds its subject line too, as `topics.subject_names.naming_texts` writes
    them); None when every word is a stopword."""
    stopwords = frozenset(stopwords_for(language))
    analyse = phrase_analyzer(sorted(stopwords))
    vectorizer = CountVectorizer(analyzer=lambda document: sorted(set(analyse(document))))
    try:
        used = vectorizer.fit_transform(texts)
    except ValueError:  # every word was a stopword: nothing can name a theme
        return None
    phrases = [str(phrase) for phrase in vectorizer.get_feature_names_out()]
    parts = _compound_parts(phrases)
    used = (used @ parts).astype(bool).astype(np.float64).tocsr()
    headline = has_headline = None
    if headlines is not None:
        headline = vectorizer.transform([h or "" for h in headlines]) @ parts
        headline = headline.astype(bool).astype(np.float64).tocsr()
        has_headline = np.array([bool(h) for h in headlines])
    return PhraseUse(
        phrases,
        used,
        np.asarray(used.sum(axis=0)).ravel(),
        np.array(
            [all(is_label_word(word, stopwords) for word in phrase.split()) for phrase in phrases]
        ),
        headline,
        has_headline,
    )


def best_phrase(
    use: PhraseUse,
    members: np.ndarray,
    allowed: np.ndarray,
    rerank: Callable[[list[str]], np.ndarray] | None = None,
) -> str:
    """The allowed phrase with the highest coverage x precision among `members` (row
    indices into `use`), in the form its contacts write it; `UNNAMED` when none is allowed.
    Coverage is the share of the members using the phrase, or, where `use` knows subject
    lines, its share of their subject lines when that is higher (`MIN_HEADLINES`).
    `rerank(candidates)` may weigh the `RERANK_CANDIDATES` best once more (a factor each)."""
    inside = np.asarray(use.used[members].sum(axis=0)).ravel()
    coverage = inside / max(len(members), 1)
    if use.headline is not None:
        with_headline = int(use.has_headline[members].sum())
        if with_headline >= MIN_HEADLINES:
            in_headlines = np.asarray(use.headline[members].sum(axis=0)).ravel()
            coverage = np.maximum(coverage, in_headlines / with_headline)
    score = np.where(allowed, coverage * inside / np.maximum(use.total, 1), 0)
    if not score.any():
        return UNNAMED
    best = int(np.argmax(score))
    if rerank is not None:
        top = [i for i in np.argsort(-score, kind="stable")[:RERANK_CANDIDATES] if score[i] > 0]
        factors = rerank([use.phrases[i] for i in top])
        best = top[int(np.argmax(score[top] * np.asarray(factors)))]
    return _as_members_say_it(best, use.phrases, inside, allowed)


def theme_labels(
    texts: Sequence[str],
    assignments: np.ndarray,
    n_themes: int,
    language: str = "nl",
    background: Sequence[str] = (),
    allowed: Callable[[str], bool] | None = None,
    rerank: Callable[[int, list[str]], np.ndarray] | None = None,
    headlines: Sequence[str | None] | None = None,
) -> list[str]:
    """A short label per theme: the phrase that best marks the theme's contacts.

    A phrase scores its coverage (share of the theme's contacts that use it) times its
    precision (share of all contacts using it that belong to the theme, `background`
    contacts and unassigned ones included). A subject word in many of the theme's contacts
    ("pensioen") then beats a distinctive phrase of one question template ("meerekenen"),
    and a word every theme uses ("werkgever") loses on precision. A contact uses a word
    also through a compound that starts with it, as Dutch writes subjects in compounds
    ("pensioenoverzicht", "pensioenfonds"; `MIN_COMPOUND_START`). Phrases holding a non-label word
    (`is_label_word`) never become a label, nor phrases `allowed` rejects (e.g. non-nouns,
    `topics.subject_names`); with none left the theme is "onbenoemd thema". `rerank(theme,
    candidates)` may weigh the `RERANK_CANDIDATES` best phrases once more (a factor each).
    `headlines` (each text's subject line, or None) let a phrase cover a theme by its
    subject lines (`MIN_HEADLINES`).
    """
    use = phrase_use(
        [*texts, *background],
        language,
        None if headlines is None else [*headlines, *[None] * len(background)],
    )
    if use is None:
        return [UNNAMED] * n_themes
    owners = np.concatenate([np.asarray(assignments), np.full(len(background), -1)])
    allowed_phrases = use.label_phrases & np.array(
        [allowed is None or allowed(phrase) for phrase in use.phrases], dtype=bool
    )
    return [
        best_phrase(
            use,
            np.flatnonzero(owners == theme),
            allowed_phrases,
            None if rerank is None else partial(rerank, theme),
        )
        for theme in range(n_themes)
    ]


def _compound_parts(phrases: list[str]) -> sparse.csr_matrix:
    """(phrase x phrase) 0/1 matrix: row j credits phrase j itself and every word that word
    j starts with (a compound start of `MIN_COMPOUND_START` letters or more)."""
    index = {phrase: i for i, phrase in enumerate(phrases) if " " not in phrase}
    rows, columns = list(range(len(phrases))), list(range(len(phrases)))
    for word, j in index.items():
        for k in range(MIN_COMPOUND_START, len(word)):
            if word[:k] in index:
                rows.append(j)
                columns.append(index[word[:k]])
    ones = np.ones(len(rows), dtype=np.float64)
    return sparse.csr_matrix((ones, (rows, columns)), shape=(len(phrases), len(phrases)))


def _as_members_say_it(
    best: int, phrases: list[str], inside: np.ndarray, allowed: np.ndarray
) -> str:
    """The best word, or the longer form of it its contacts write: a two-word phrase with it
    ("vaste aanstelling") or a compound it starts ("proeftijd" for "proef") when more than
    half of the word's users write that, so the label stays what most members say; a
    compound it ends ("vaststellingsovereenkomst" for "overeenkomst", "belastingaangifte" for
    "aangifte") already when `COMPOUND_HEAD_SHARE` of them do: the bare head names a family
    of subjects, the compound the one its members mean."""
    word = phrases[best]
    if " " in word:
        return word
    longer = [
        i
        for i, phrase in enumerate(phrases)
        if allowed[i]
        and i != best
        and (word in phrase.split() if " " in phrase else phrase.startswith(word))
    ]
    heads = [
        i
        for i, phrase in enumerate(phrases)
        if allowed[i] and i != best and " " not in phrase and phrase.endswith(word)
    ]
    if longer:
        top = max(longer, key=lambda i: inside[i])
        if inside[top] > inside[best] / 2:
            return phrases[top]
    if heads:
        top = max(heads, key=lambda i: inside[i])
        if inside[top] >= COMPOUND_HEAD_SHARE * inside[best]:
            return phrases[top]
    return word


def representative_quotes(
    embeddings: np.ndarray,
    assignments: np.ndarray,
    centroids: np.ndarray,
    texts: Sequence[str] | None = None,
    n_quotes: int = N_QUOTES,
) -> list[list[int]]:
    """Indices of the documents nearest each theme's centroid, skipping verbatim repeats."""
    quotes = []
    for theme, centroid in enumerate(centroids):
        members = np.flatnonzero(assignments == theme)
        order = members[np.argsort(-(embeddings[members] @ centroid), kind="stable")]
        chosen: list[int] = []
        seen: set[str] = set()
        for index in order:
            key = texts[index].strip().lower() if texts is not None else str(index)
            if key in seen:
                continue
            seen.add(key)
            chosen.append(int(index))
            if len(chosen) == n_quotes:
                break
        quotes.append(chosen)
    return quotes
