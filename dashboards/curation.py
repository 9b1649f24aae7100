"""Curators' renames and merges, read at request time so every page shows them at once.

The snapshot's names only change at the next refit; the taxonomy file changes the moment
a curator acts. Every theme a curator touched is in the audit log, so its name and merge
come from the taxonomy; the others keep the snapshot's name (that keeps a fresh
installation, whose taxonomy is still the seed, from renaming themes nobody curated).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, TypeVar

import duckdb

from dashboards import explore
from topics.taxonomy import Taxonomy, TaxonomyFile, Theme

Named = TypeVar("Named")


@dataclass(frozen=True)
class Merged:
    into_id: str
    into_name: str


@dataclass(frozen=True)
class Curation:
    names: dict[str, str]
    merges: dict[str, Merged]

    @classmethod
    def load(cls, file: TaxonomyFile) -> Curation:
        touched = {theme_id for entry in file.audit() for theme_id in entry.theme_ids}
        if not touched:
            return cls({}, {})
        taxonomy = file.load()
        names = {t: taxonomy.themes[t].name for t in touched if t in taxonomy.themes}
        merges = {}
        for theme_id in touched & taxonomy.themes.keys():
            if taxonomy.themes[theme_id].merged_into is not None:
                target = taxonomy.themes[taxonomy.resolve(theme_id)]
                merges[theme_id] = Merged(target.id, target.name)
        return cls(names, merges)

    def name(self, theme_id: str, published: str) -> str:
        return self.names.get(theme_id, published)

    def merged(self, theme_id: str) -> Merged | None:
        return self.merges.get(theme_id)

    def renamed(self, item: Named, id_field: str = "theme_id", name_field: str = "name") -> Named:
        """A copy of a frozen dataclass row with its theme's curated name."""
        theme_id = getattr(item, id_field)
        current = self.name(theme_id, getattr(item, name_field))
        return replace(item, **{name_field: current})  # type: ignore[type-var]


# The curate forms as taxonomy changes: each returns the ids it touched and the audit line.
def rename_change(t: Taxonomy, form: dict[str, Any]) -> tuple[list[str], str]:
    theme = t.get(str(form["theme_id"]))
    old = theme.name
    t.rename(theme.id, str(form.get("name", "")))
    return [theme.id], f"{theme.id} hernoemd: '{old}' → '{theme.name}'"


def merge_change(t: Taxonomy, form: dict[str, Any]) -> tuple[list[str], str]:
    source, target = str(form["source_id"]), str(form["target_id"])
    t.merge([source], target)
    return [source, target], f"{source} samengevoegd in {target}"


def pin_change(t: Taxonomy, form: dict[str, Any]) -> tuple[list[str], str]:
    theme_id, pinned = str(form["theme_id"]), form.get("pinned") == "1"
    t.set_pinned(theme_id, pinned)
    return [theme_id], f"{theme_id} {'vastgezet' if pinned else 'losgemaakt'}"


def merge_suggestion(taxonomy: Taxonomy, theme_id: str, wanted: str) -> tuple[str, str] | None:
    """When a rename is refused because an active theme has that name: (its id, its name)."""
    folded = " ".join(wanted.split()).casefold()
    for theme in taxonomy.active():
        if theme.id != theme_id and theme.name.casefold() == folded:
            return theme.id, theme.name
    return None


@dataclass(frozen=True)
class CurateRow:
    theme: Theme
    contacts: int | None  # in the snapshot's latest week, as the overview shows it
    keyphrases: list[str]


def curate_rows(con: duckdb.DuckDBPyConnection, taxonomy: Taxonomy, query: str) -> list[CurateRow]:
    """The active themes a curator searched for, busiest first, with counts and key phrases.

    The search matches id, name, former names and key phrases, case-insensitively.
    """
    week = explore.latest_week(con)
    trends = {t.theme_id: t for t in explore.theme_trends(con, week)} if week else {}
    phrases = dict(con.execute("SELECT theme_id, keyphrases FROM marts.themes").fetchall())
    wanted = query.casefold()
    rows = []
    for theme in taxonomy.active():
        keyphrases = list(phrases.get(theme.id) or theme.seed_phrases)
        haystack = " ".join([theme.id, theme.name, *theme.former_names, *keyphrases])
        if wanted and wanted not in haystack.casefold():
            continue
        trend = trends.get(theme.id)
        contacts = trend.latest if trend else 0
        rows.append(CurateRow(theme, contacts, keyphrases))
    rows.sort(key=lambda r: (r.contacts is None, -(r.contacts or 0), r.theme.id))
    return rows
