"""Theme names by BERTopic's own representation models, over themes Ledenradar already found.

BERTopic can describe clusters it did not make ("manual topic modeling": `BaseCluster` with
the clusters passed as `y`, no reduction). Here it gets the project's themes, its
vectorizer (words and adjacent-word pairs within one clause, stopwords and filler left out:
`topics.representation.phrase_analyzer`), its c-TF-IDF (`ClassTfidfTransformer` with
`reduce_frequent_words`), the contacts' centred vectors, and the phrase encoder as its
embedding model, and one of its representation models:

- `ctfidf`: none, the top c-TF-IDF phrase (BERTopic's default representation);
- `keybert`: `KeyBERTInspired`, the 100 best c-TF-IDF phrases re-ranked by the cosine of
  their embedding to the mean embedding of the theme's most representative contacts;
- `mmr`: `MaximalMarginalRelevance` over the 30 best c-TF-IDF phrases (10 kept, diversity
  0.3); BERTopic keeps the kept phrases in their c-TF-IDF order;
- `keybert+mmr`: the two chained, as BERTopic chains a list of representation models.

A theme's name is the first phrase of its representation; "onbenoemd thema" when it has
none. `bench/bench_names.py` compares these with `topics.subject_names` (docs/themes.md).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from topics.representation import UNNAMED, phrase_analyzer, stopwords_for

REPRESENTATIONS = ("ctfidf", "keybert", "mmr", "keybert+mmr")
# c-TF-IDF phrases BERTopic keeps per theme before a representation model re-ranks them;
# MMR needs more candidates than it keeps, or it only returns them in the same order.
CANDIDATES = 30
MMR_KEEP = 10
MMR_DIVERSITY = 0.3


def representation_models(name: str) -> list[object]:
    """BERTopic's representation models for `name` (one of `REPRESENTATIONS`), in order."""
    from bertopic.representation import KeyBERTInspired, MaximalMarginalRelevance

    if name not in REPRESENTATIONS:
        raise ValueError(f"unknown representation {name!r}: one of {', '.join(REPRESENTATIONS)}")
    models: list[object] = []
    if "keybert" in name:
        models.append(KeyBERTInspired(top_n_words=CANDIDATES, random_state=42))
    if "mmr" in name:
        models.append(MaximalMarginalRelevance(diversity=MMR_DIVERSITY, top_n_words=MMR_KEEP))
    return models


def bertopic_labels(
    texts: Sequence[str],
    assignments: np.ndarray,
    n_themes: int,
    vectors: np.ndarray,
    embed: Callable[[list[str]], np.ndarray],
    representation: str = "keybert",
    language: str = "nl",
) -> list[str]:
    """Per theme (0..n_themes-1): the first phrase of its BERTopic representation.

    `vectors` are the contacts' embeddings and `embed` turns phrases into vectors of the
    same space (centred as the contacts were); unassigned contacts (-1) are BERTopic's
    outlier topic and weigh the phrases but are never named."""
    from bertopic import BERTopic
    from bertopic.backend import BaseEmbedder
    from bertopic.cluster import BaseCluster
    from bertopic.dimensionality import BaseDimensionalityReduction
    from bertopic.vectorizers import ClassTfidfTransformer
    from sklearn.feature_extraction.text import CountVectorizer

    class PhraseEmbedder(BaseEmbedder):
        def embed(self, documents: list[str], verbose: bool = False) -> np.ndarray:
            return np.asarray(embed(list(documents)), dtype=np.float32)

    assignments = np.asarray(assignments)
    models = representation_models(representation)
    topic_model = BERTopic(
        embedding_model=PhraseEmbedder(),
        umap_model=BaseDimensionalityReduction(),
        hdbscan_model=BaseCluster(),
        vectorizer_model=CountVectorizer(analyzer=phrase_analyzer(stopwords_for(language))),
        ctfidf_model=ClassTfidfTransformer(reduce_frequent_words=True),
        representation_model=models or None,
        top_n_words=CANDIDATES,
    )
    topic_model.fit(list(texts), embeddings=np.asarray(vectors, dtype=np.float32), y=assignments)
    # BERTopic renumbers topics by size: find each theme's topic through its contacts.
    topics = np.asarray(topic_model.topics_)
    labels = []
    for theme in range(n_themes):
        members = topics[assignments == theme]
        if len(members) == 0:
            labels.append(UNNAMED)
            continue
        words = topic_model.get_topic(int(np.bincount(members[members >= 0]).argmax()))
        first = next((word for word, _ in words or [] if word), None)
        labels.append(first or UNNAMED)
    return labels
