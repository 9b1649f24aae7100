"""What a theme is about, in words: c-TF-IDF key phrases, a short label, representative quotes.

Key phrases come from BERTopic's class-based TF-IDF over one- and two-word phrases, with
Dutch stopwords (plus English ones for English sets) from `stopwordsiso` and Dutch
conversation filler. The label prefers a two-word phrase, because "thuiswerk vergoeding" says
more to a union official than "thuiswerk". A two-word phrase is two words that stand next to
each other in one clause of one contact: "app installeren", never "bond app" from "kan de bond
iets doen? ... een app" or a pair spanning two contacts. A theme born between refits is weighed against
the contacts the existing themes already hold (`background`), as a refit weighs each theme
against the others.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer

from pipeline.content import CONVERSATION_FILLER

N_KEYPHRASES = 10
N_QUOTES = 3
# A bigram becomes the label only when it is among the theme's strongest phrases.
BIGRAM_LABEL_TOP_RANK = 5
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


def label_from_keyphrases(keyphrases: Sequence[str]) -> str:
    """A short readable label: the best bigram among the top phrases, else the top two words."""
    if not keyphrases:
        return "onbenoemd thema"
    for phrase in keyphrases[:BIGRAM_LABEL_TOP_RANK]:
        if " " in phrase:
            return phrase
    words = [phrase for phrase in keyphrases if " " not in phrase][:2]
    return " / ".join(words) if words else keyphrases[0]


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
