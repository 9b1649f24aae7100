"""How discovered themes get their names in the taxonomy, and keep them.

A theme Ledenradar finds is named by its label (`topics.representation.theme_labels`). A
newborn is named from its first few contacts, and that name can miss what the theme turns
out to be ("Meewerken" for a theme about monitoring software). So a machine-made name
follows the theme at each refit, until a curator renames or pins it: from then on the name
is theirs. It changes only once it no longer appears among the theme's key phrases, so a
name that still describes the theme does not flip between two near-equal labels weekly.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Mapping

from topics.subject_names import repeats
from topics.taxonomy import Facet, Taxonomy, TaxonomyFile, Theme

REFIT_BY = "ledenradar-refit"
DISCOVERED = "Gevonden door Ledenradar."
_ID_SUFFIX = re.compile(r" \(T\d+\)$")


def register_discovered(
    taxonomy_file: TaxonomyFile, ids: list[str], keyphrases: list[list[str]], labels: list[str]
) -> Taxonomy:
    """Add themes the taxonomy does not know yet, named by their label and seeded with their
    key phrases, with an audit entry.

    Every theme id then lives in the taxonomy, so curators can rename, merge or pin it.
    """
    taxonomy = taxonomy_file.load()
    unknown = [
        (i, k, label)
        for i, k, label in zip(ids, keyphrases, labels, strict=True)
        if i not in taxonomy.themes
    ]
    if not unknown:
        return taxonomy

    def add(t: Taxonomy) -> tuple[list[str], str]:
        for theme_id, phrases, label in unknown:
            t.themes[theme_id] = Theme(
                id=theme_id,
                name=_unique_name(t, label, theme_id),
                description=DISCOVERED,
                seed_phrases=phrases[:5],
            )
        return [i for i, _, _ in unknown], f"{len(unknown)} nieuw(e) thema('s) gevonden"

    taxonomy_file.apply("discover", add, reason="nieuw thema gevonden in de contacten", by=REFIT_BY)
    return taxonomy_file.load()


def adopt_curated(taxonomy_file: TaxonomyFile, adoptions: dict[str, str]) -> Taxonomy:
    """Merge each machine-found theme into the curated theme of its subject
    (`topics.ids.curated_adoptions`), with one audit entry. Unlike a curator's merge the
    curated theme's seed phrases stay the union's own: the machine's key phrases would widen
    what counts as that subject."""
    return _merge_keeping_seeds(
        taxonomy_file, adoptions, "gevonden thema is een onderwerp van de vakbond zelf"
    )


def absorb_found(
    taxonomy_file: TaxonomyFile, merged: Mapping[str, str], ids: Collection[str]
) -> Taxonomy:
    """Mark each machine-found theme that a refit merged into another (`merged`: source →
    survivor, from the refit's lineage) as merged into it, unless the refit still carries
    its id (`ids`) or a curator pinned it. Its contacts now live in the survivor, so its id
    must never come back for another subject: a later newborn that shared its key phrases
    took it back, and with it the alerts its first contacts had raised under it. The
    survivor's seed phrases stay its own, as in `adopt_curated`."""
    taxonomy = taxonomy_file.load()
    absorbed = {}
    for source, survivor in merged.items():
        theme = taxonomy.themes.get(source)
        if source in ids or theme is None or survivor not in taxonomy.themes:
            continue
        target = taxonomy.resolve(survivor)
        if (
            theme.is_active
            and not theme.pinned
            and theme.description == DISCOVERED
            and target != source
            and taxonomy.themes[target].is_active
        ):
            absorbed[source] = target
    return _merge_keeping_seeds(taxonomy_file, absorbed, "opgegaan in een ander thema")


def _merge_keeping_seeds(
    taxonomy_file: TaxonomyFile, merges: Mapping[str, str], reason: str
) -> Taxonomy:
    """Merge each source into its target, with one audit entry; targets keep their seeds."""
    if not merges:
        return taxonomy_file.load()

    def merge(t: Taxonomy) -> tuple[list[str], str]:
        for source, target in merges.items():
            seeds = list(t.themes[target].seed_phrases)
            t.merge([source], target)
            t.themes[target].seed_phrases = seeds
        detail = "; ".join(f"{s} → {t.themes[c].name} ({c})" for s, c in merges.items())
        return [*merges, *merges.values()], detail

    taxonomy_file.apply("merge", merge, reason=reason, by=REFIT_BY)
    return taxonomy_file.load()


def follow_labels(
    taxonomy_file: TaxonomyFile,
    ids: list[str],
    keyphrases: list[list[str]],
    labels: list[str],
    nominal: Callable[[str], bool] | None = None,
) -> Taxonomy:
    """Rename machine-named themes whose name is no longer among their key phrases to their
    current label, with one audit entry listing old and new names; a name that carries its
    id only because another theme had that name loses the id once that theme has ended, or
    takes the name back from a machine-named theme the refit no longer finds (that theme
    gets its id added instead): an official reads the themes of today.
    With `nominal` (does a name name a thing, `topics.subject_names.nominal_name`), a name
    that does not gives way to a label that does, key phrase or not: a newborn named
    "Meewerken" by its first contacts' question becomes "Algoritme" at the next refit.
    Themes a curator renamed or pinned, and curated taxonomy themes, keep their names."""
    taxonomy = taxonomy_file.load()
    changes = []
    for theme_id, phrases, label in zip(ids, keyphrases, labels, strict=True):
        if theme_id not in taxonomy.themes or not _machine_named(taxonomy.themes[theme_id]):
            continue
        name = taxonomy.themes[theme_id].name
        names_nothing = nominal is not None and not nominal(plain_name(name)) and nominal(label)
        if _stale(name, phrases, label) or names_nothing:
            changes.append((theme_id, label))
        elif _ID_SUFFIX.search(name) and _name_free_for(taxonomy, plain_name(name), theme_id, ids):
            changes.append((theme_id, plain_name(name)))  # the other theme of that name is gone
    if not changes:
        return taxonomy

    def rename(t: Taxonomy) -> tuple[list[str], str]:
        details, touched = [], []
        for theme_id, label in changes:
            holder = _holder(t, label, theme_id)
            if holder is not None and _displaceable(holder, ids):
                old, holder.name = holder.name, f"{holder.name} ({holder.id})"
                details.append(f"{holder.id}: {old} → {holder.name}")
                touched.append(holder.id)
            theme = t.themes[theme_id]
            old, theme.name = theme.name, _unique_name(t, label, theme_id)
            details.append(f"{theme_id}: {old} → {theme.name}")
            touched.append(theme_id)
        return touched, "; ".join(details)

    taxonomy_file.apply(
        "relabel", rename, reason="naam past niet meer bij de sleutelwoorden", by=REFIT_BY
    )
    return taxonomy_file.load()


def _machine_named(theme: Theme) -> bool:
    return (
        theme.is_active
        and theme.description == DISCOVERED
        and not theme.former_names
        and not theme.pinned
    )


def headline(label: str) -> str:
    """A label as a name: its first letter a capital, the rest as written ("AI-monitoring"
    stays, where `str.capitalize` would make it "Ai-monitoring")."""
    return label[:1].upper() + label[1:]


def plain_name(name: str) -> str:
    """A theme's name without the id added for a name clash: "Lidmaatschap (T0036)" →
    "Lidmaatschap"."""
    return _ID_SUFFIX.sub("", name)


def _stale(name: str, keyphrases: list[str], label: str) -> bool:
    current = plain_name(name).lower()
    return current != label.lower() and current not in {p.lower() for p in keyphrases}


def _holder(taxonomy: Taxonomy, label: str, theme_id: str) -> Theme | None:
    """The other active theme whose name is `label` as a name, if any."""
    name = headline(label).lower()
    return next((t for t in taxonomy.active() if t.id != theme_id and t.name.lower() == name), None)


def _displaceable(theme: Theme, found: Collection[str]) -> bool:
    """Whether a theme gives its name to one the refit found: machine-named, and not found
    itself. In a demo run the late-pay theme read "Faillissement (T0039)" after a refit had
    folded the other "Faillissement" into it, which the taxonomy kept as active."""
    return theme.id not in found and _machine_named(theme)


def _name_free_for(taxonomy: Taxonomy, label: str, theme_id: str, found: Collection[str]) -> bool:
    """Whether `label` is free for `theme_id`: no other active theme has it, or only one the
    refit did not find and that gives it away (`_displaceable`)."""
    holder = _holder(taxonomy, label, theme_id)
    return holder is None or _displaceable(holder, found)


def _unique_name(taxonomy: Taxonomy, label: str, theme_id: str) -> str:
    """The label, capitalised, with the theme id added where another active theme has that
    name. A retired or merged theme's name is free again: an official reads the themes of
    today, and "Reiskosten (T0030)" because an older "Reiskosten" once ended says nothing."""
    name = headline(label)
    return f"{name} ({theme_id})" if _holder(taxonomy, label, theme_id) else name


def settle_facets(
    taxonomy_file: TaxonomyFile,
    facet_ids: list[str],
    theme_ids: list[str],
    labels: list[str],
    keyphrases: list[list[str]],
) -> Taxonomy:
    """Record a refit's or birth's facets in the taxonomy, with one audit entry when
    anything changed: new facets (named by their label), machine-placed facets now under
    another theme, machine-named facets whose name no longer fits. A facet a curator
    placed keeps its theme, and one a curator renamed keeps its name."""
    taxonomy = taxonomy_file.load()
    rows = list(zip(facet_ids, theme_ids, labels, keyphrases, strict=True))
    siblings = Counter(theme_ids)
    twins = Counter(
        (theme_id, taxonomy.facets[f].name.lower())
        for f, theme_id in zip(facet_ids, theme_ids, strict=True)
        if f in taxonomy.facets
    )

    def stale(facet: Facet, theme_id: str, label: str, phrases: list[str]) -> bool:
        """A machine name that no longer fits, or that does not tell the facet apart where
        its theme has others: it says the theme's name again, or a sibling's."""
        if facet.former_names:
            return False
        if _stale(facet.name, phrases, label):
            return True
        theme = taxonomy.themes.get(theme_id)
        return (
            siblings[theme_id] > 1
            and facet.name.lower() != label.lower()
            and (
                twins[(theme_id, facet.name.lower())] > 1
                or (theme is not None and repeats(facet.name, plain_name(theme.name)))
            )
        )

    def changed(facet_id: str, theme_id: str, label: str, phrases: list[str]) -> bool:
        facet = taxonomy.facets.get(facet_id)
        return facet is None or (
            (not facet.placed and facet.theme_id != theme_id)
            or stale(facet, theme_id, label, phrases)
        )

    todo = [row for row in rows if changed(*row)]
    if not todo:
        return taxonomy

    def record(t: Taxonomy) -> tuple[list[str], str]:
        details = []
        for facet_id, theme_id, label, phrases in todo:
            facet = t.facets.get(facet_id)
            if facet is None:
                t.facets[facet_id] = Facet(facet_id, theme_id, headline(label))
                details.append(f"{facet_id} nieuw onder {theme_id}")
                continue
            if not facet.placed and facet.theme_id != theme_id:
                details.append(f"{facet_id}: {facet.theme_id} → {theme_id}")
                facet.theme_id = theme_id
            if stale(facet, theme_id, label, phrases):
                details.append(f"{facet_id}: {facet.name} → {headline(label)}")
                facet.name = headline(label)
        return [facet_id for facet_id, *_ in todo], "; ".join(details)

    taxonomy_file.apply("facets", record, reason="facetten van de laatste indeling", by=REFIT_BY)
    return taxonomy_file.load()
