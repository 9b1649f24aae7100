"""What a theme is about, in words: c-TF-IDF key phrases, a short label, representative quotes.

Key phrases come from BERTopic's class-based TF-IDF over one- and two-word phrases, with
Dutch stopwords (plus English ones for English sets) from `stopwordsiso`. The label prefers a
two-word phrase, because "thuiswerk vergoeding" says more to a union official than "thuiswerk".
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer

N_KEYPHRASES = 10
N_QUOTES = 3
# A bigram becomes the label only when it is among the theme's strongest phrases.
BIGRAM_LABEL_TOP_RANK = 5


def stopwords_for(language: str) -> list[str]:
    """Dutch stopwords, plus the stopwords of `language` when that is another language."""
    import stopwordsiso

    words = set(stopwordsiso.stopwords("nl"))
    if language != "nl":
        words |= set(stopwordsiso.stopwords(language))
    return sorted(words)


def class_tfidf_keyphrases(
    texts: Sequence[str],
    assignments: np.ndarray,
    n_themes: int,
    language: str = "nl",
    top_n: int = N_KEYPHRASES,
) -> list[list[str]]:
    """Top c-TF-IDF phrases (unigrams and bigrams) per theme; unassigned docs (-1) are ignored."""
    from bertopic.vectorizers import ClassTfidfTransformer

    documents_per_theme = [
        " ".join(texts[i] for i in np.flatnonzero(assignments == theme))
        for theme in range(n_themes)
    ]
    vectorizer = CountVectorizer(
        ngram_range=(1, 2),
        stop_words=stopwords_for(language),
        token_pattern=r"(?u)\b[^\W\d_]{2,}\b",
    )
    try:
        counts = vectorizer.fit_transform(documents_per_theme)
    except ValueError:  # every word was a stopword: no vocabulary at all
        return [[] for _ in range(n_themes)]
    weights = ClassTfidfTransformer(reduce_frequent_words=True).fit_transform(counts).toarray()
    vocabulary = vectorizer.get_feature_names_out()
    keyphrases = []
    for row in weights:
        order = np.argsort(-row, kind="stable")[:top_n]
        keyphrases.append([str(vocabulary[i]) for i in order if row[i] > 0])
    return keyphrases


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
