"""Which theme id each cluster of a refit carries.

Matching (`topics.identity`) keeps ids of themes that continue; what it had to name anew
may take a curated theme from the taxonomy; ids an official merged are followed to the
surviving theme, and clusters that end up with the same id become one theme.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace

import numpy as np

from topics.discovery import DiscoveryResult
from topics.names import DISCOVERED
from topics.taxonomy import Taxonomy, Theme


def guided_id(
    keyphrases: list[str], taxonomy: Taxonomy, taken: set[str], label: str = ""
) -> str | None:
    """A theme of the taxonomy whose seed phrases the cluster's key phrases share, if any;
    else a curated theme whose name is among the key phrases or is the label, or one of
    whose seed phrases is the label.

    Two shared seed words make a match: one word ('cao') is too common to name a theme,
    unless it is the curated theme's very name ("proeftijd"). The label is a way in because
    Dutch writes subjects in compounds: a pension theme says "pensioenoverzicht" and
    "pensioenfonds", never the seed word "pensioen" itself, while its label
    (`topics.representation.theme_labels`) is "pensioen". Only a curated theme is found
    these ways: a discovered one's name and seeds are its own old label and key phrases.
    """
    free = [theme for theme in taxonomy.active() if theme.id not in taken]
    return _seed_match(keyphrases, free, label)


def curated_subject(keyphrases: list[str], taxonomy: Taxonomy, label: str = "") -> str | None:
    """The curated theme (one the union defined, not one the machine found) whose subject a
    facet's key phrases or label speak of, by the same rules as `guided_id`; None if none.
    The tree keeps facets of two curated subjects apart and draws one's together (`topics.tree`)."""
    curated = [theme for theme in taxonomy.active() if theme.description != DISCOVERED]
    return _seed_match(keyphrases, curated, label)


def facet_subjects(
    keyphrases: Sequence[list[str]],
    labels: Sequence[str],
    own_names: Sequence[str],
    taxonomy: Taxonomy,
) -> list[str | None]:
    """Each facet's curated subject (`curated_subject`) by its key phrases and discovery
    label or, failing them, by the name its members' words give it as a theme of its own,
    or by a compound among its key phrases (`compound_subject`).

    Key phrases weigh what sets a facet apart from its neighbours, so a work-pressure facet
    beside overtime reads "druk", "tafel leggen", "verhoogd" and names no seed; named on its
    own, it is "Werkdruk", and the tree then keeps it apart from overtime. Both names come
    before a curated name among the key phrases (`_seed_match`), and so the facet whose own
    name is "Thuiswerkdag" speaks of Thuiswerkvergoeding although members also write
    "reiskosten" in it."""
    curated = [theme for theme in taxonomy.active() if theme.description != DISCOVERED]
    return [
        _seed_match(phrases, curated, label, own) or compound_subject(phrases, taxonomy)
        for phrases, label, own in zip(keyphrases, labels, own_names, strict=True)
    ]


def compound_subject(keyphrases: list[str], taxonomy: Taxonomy) -> str | None:
    """The curated theme the first one-word key phrase that is a compound names by its
    modifier (`shares_modifier`): a home-working facet whose key phrases are "claimen",
    "spullen", "thuiswerkdag" speaks of Thuiswerkvergoeding. For the tree's links only (two
    curated subjects kept apart, one subject's facets drawn together): a theme's id never
    follows a key phrase this way (a tax-service theme that says "lidmaatschapsnummer" is
    not the membership theme)."""
    curated = [theme for theme in taxonomy.active() if theme.description != DISCOVERED]
    for phrase in keyphrases:
        if " " in phrase.strip():
            continue
        for theme in curated:
            if shares_modifier(phrase, theme.seed_phrases):
                return theme.id
    return None


def _seed_match(keyphrases: list[str], themes: list[Theme], *labels: str) -> str | None:
    """The theme by the strongest evidence first: two seed words shared with the key
    phrases; else a label (of those given, in order) that is a curated theme's name or seed
    phrase, or a noun phrase headed by a one-word seed phrase ("automatische incasso": a
    Dutch noun phrase names what its last word names), or a compound whose modifier begins
    its seeds (`shares_modifier`); else a curated theme's name among the key phrases. A label
    sums up the whole facet, a key phrase one thing its members say: home-working contacts
    write "reiskosten" too ("mijn reiskosten vervallen op een thuiswerkdag"), and a name at
    the ninth key phrase gave Reiskosten a facet whose label is "Thuiswerkdag"."""
    words = {w for phrase in keyphrases for w in phrase.lower().split()}
    best, best_hits = None, 1
    for theme in themes:
        seeds = {w for phrase in theme.seed_phrases for w in phrase.lower().split()}
        hits = len(words & seeds)
        if hits > best_hits:
            best, best_hits = theme.id, hits
    if best is not None:
        return best
    curated = [theme for theme in themes if theme.description != DISCOVERED]
    for label in [name.lower() for name in labels if name]:
        for theme in curated:
            seeds = {phrase.lower() for phrase in theme.seed_phrases}
            if (
                label == theme.name.lower()
                or label in seeds
                or seeds.intersection(label.split()[-1:])
            ):
                return theme.id
        for theme in curated:
            if shares_modifier(label, theme.seed_phrases):
                return theme.id
    said = {phrase.lower() for phrase in keyphrases}
    for theme in curated:
        if theme.name.lower() in said:
            return theme.id
    return None


# A Dutch compound's modifier this long or longer names its subject: "thuiswerk" in
# "thuiswerkdag", "pensioen" in "pensioenoverzicht"; shorter ones ("werk", "loon") do not.
MIN_MODIFIER = 7


def shares_modifier(label: str, seed_phrases: Sequence[str]) -> bool:
    """Whether a one-word label is a compound whose modifier begins two or more of the seed
    words: "Thuiswerkdag" and [thuiswerkvergoeding, thuiswerken, thuiswerkplek]. Two, so
    that one seed word that happens to share a beginning names nothing."""
    word = label.lower()
    if " " in word:
        return False
    seeds = [w for phrase in seed_phrases for w in phrase.lower().split()]
    for end in range(len(word) - 3, MIN_MODIFIER - 1, -1):
        if sum(seed.startswith(word[:end]) for seed in seeds) >= 2:
            return True
    return False


def settle_ids(
    matched: Sequence[str | None],
    previous_ids: Sequence[str],
    keyphrases: Sequence[list[str]],
    taxonomy: Taxonomy,
    labels: Sequence[str] | None = None,
) -> list[str | None]:
    """Ids for a refit's clusters: a continued theme keeps its id; a cluster that matching
    had to give a new id takes a curated theme whose seed phrases it shares, if one is
    free. None where neither applies (the caller allocates a new id).

    Every id is used once. A split keeps its parent's id on the matched cluster, so that id
    is taken from the start and never handed to another cluster as a curated match.
    """
    kept = set(previous_ids)
    ids: list[str | None] = [i if i in kept else None for i in matched]
    taken = {i for i in ids if i is not None}
    for k, theme_id in enumerate(ids):
        if theme_id is None:
            label = labels[k] if labels is not None else ""
            ids[k] = guided_id(keyphrases[k], taxonomy, taken, label) or matched[k]
            if ids[k] is not None:
                taken.add(ids[k])
    return ids


def fold_same_ids(
    result: DiscoveryResult, ids: Sequence[str], vectors: np.ndarray
) -> tuple[DiscoveryResult, list[str]]:
    """One theme per id: clusters whose ids resolve to the same theme (an official merged
    them since the last refit) are joined, their centroid recomputed from their contacts.
    The first cluster's key phrases and quotes speak for the joined theme."""
    first: dict[str, int] = {}
    for theme_id in ids:
        first.setdefault(theme_id, len(first))
    if len(first) == len(ids):
        return result, list(ids)
    target = np.array([first[theme_id] for theme_id in ids])
    keep = [ids.index(theme_id) for theme_id in first]
    assignments = np.where(result.assignments >= 0, target[result.assignments.clip(min=0)], -1)
    centroids = np.array(result.centroids[keep], dtype=np.float32)
    for n in range(len(keep)):
        members = vectors[assignments == n]
        if len(members):
            mean = members.mean(axis=0)
            centroids[n] = mean / max(float(np.linalg.norm(mean)), 1e-12)
    floors = result.floors
    if len(floors):
        floors = np.array([floors[target == n].min() for n in range(len(keep))], floors.dtype)
    folded = replace(
        result,
        assignments=assignments,
        centroids=centroids,
        keyphrases=[result.keyphrases[k] for k in keep],
        labels=[result.labels[k] for k in keep],
        quotes=[result.quotes[k] for k in keep],
        sizes=[int((assignments == n).sum()) for n in range(len(keep))],
        floors=floors,
    )
    return folded, list(first)


def follow_curated_subjects(
    ids: Sequence[str],
    keyphrases: Sequence[list[str]],
    labels: Sequence[str],
    taxonomy: Taxonomy,
    fixed: Collection[int] = (),
    known: Mapping[int, str] | None = None,
) -> tuple[list[str], dict[str, str]]:
    """Curated ids on the clusters that speak of their subject; and the machine-found
    themes a curated theme takes over ({discovered id: curated id}).

    The union seeds its own themes ("Reiskosten", "Proeftijd"). Matching by centroids keeps
    ids where the contacts were, so a curated id can end up on a cluster of another subject
    once the tree splits or regroups ("Proeftijd" on the temporary-contract facets, the
    probation facet under a new "Proeftijd (T0053)"), and a discovered theme that continues
    from before its curated twin was matched reads "Reiskosten (T0029)" beside an empty
    "Reiskosten". So a cluster whose key phrases name a curated subject
    (`curated_subject`) carries that id when it is free or held by a cluster that does not
    speak of it (the two swap). Pinned themes, names a curator gave and clusters in `fixed`
    (a curator placed their facets) keep their ids; ids are handed out once each. `known`:
    clusters whose subject is settled otherwise (a facet gathered by its seed phrases).
    """
    ids = list(ids)
    subjects = [
        curated_subject(p, taxonomy, label) for p, label in zip(keyphrases, labels, strict=True)
    ]
    for k, subject in (known or {}).items():
        subjects[k] = subject

    def movable(k: int) -> bool:
        theme = taxonomy.themes.get(ids[k])
        return k not in fixed and (theme is None or not (theme.pinned or theme.former_names))

    adoptions: dict[str, str] = {}
    for k, subject in enumerate(subjects):
        if subject is None or ids[k] == subject or not movable(k):
            continue
        holder = ids.index(subject) if subject in ids else None
        if holder is not None and (subjects[holder] == subject or not movable(holder)):
            continue
        old, ids[k] = ids[k], subject
        if holder is not None:
            ids[holder] = old
        elif old in taxonomy.themes and taxonomy.themes[old].description == DISCOVERED:
            adoptions[old] = subject
    return ids, adoptions
