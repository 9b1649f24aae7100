"""The theme taxonomy as code: a YAML file of themes plus an append-only audit log.

A theme has a stable id (`T0007`), a Dutch name and description, seed phrases for
guided discovery, and a status. Renames keep the id; merges retire the source into
the target (`merged_into`) and move its facets along; pinned themes keep their id across
refits (see `topics.identity`). A facet (`F0031`, a variation beneath a theme,
`topics.facets`) has a name and a theme; a facet a curator moved or promoted is `placed`:
refits keep it under that theme whatever the grouping says. Every change goes through `TaxonomyFile.apply`, which validates,
writes the YAML atomically and appends who/when/what/why to `<name>.audit.jsonl`.
"""

from __future__ import annotations

import getpass
import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import yaml

SEED_PATH = Path(__file__).with_name("taxonomy_seed.yaml")
THEME_ID = re.compile(r"^T\d{4,}$")
FACET_ID = re.compile(r"^F\d{4,}$")

Status = Literal["active", "merged", "retired"]
STATUSES: tuple[str, ...] = ("active", "merged", "retired")


class TaxonomyError(ValueError):
    """A change or file that would leave the taxonomy inconsistent."""


@dataclass
class Theme:
    id: str
    name: str
    description: str = ""
    seed_phrases: list[str] = field(default_factory=list)
    status: Status = "active"
    pinned: bool = False
    merged_into: str | None = None
    former_names: list[str] = field(default_factory=list)

    @property
    def is_active(self) -> bool:
        return self.status == "active"


@dataclass
class Facet:
    id: str
    theme_id: str
    name: str
    placed: bool = False  # a curator chose its theme: refits never regroup it
    former_names: list[str] = field(default_factory=list)


@dataclass
class Taxonomy:
    themes: dict[str, Theme] = field(default_factory=dict)
    facets: dict[str, Facet] = field(default_factory=dict)

    def facet(self, facet_id: str) -> Facet:
        if facet_id not in self.facets:
            raise TaxonomyError(f"onbekend facet-id: {facet_id}")
        return self.facets[facet_id]

    def facet_allocator(self) -> Callable[[], str]:
        """Fresh facet ids, never reusing one."""
        numbers = [int(facet_id[1:]) for facet_id in self.facets]
        counter = iter(range(max(numbers, default=0) + 1, 10**9))
        return lambda: f"F{next(counter):04d}"

    def rename_facet(self, facet_id: str, new_name: str) -> Facet:
        facet = self.facet(facet_id)
        new_name = _clean_name(new_name)
        if new_name == facet.name:
            raise TaxonomyError(f"{facet_id} heet al '{new_name}'")
        facet.former_names.append(facet.name)
        facet.name = new_name
        return facet

    def move_facet(self, facet_id: str, theme_id: str) -> Facet:
        facet = self.facet(facet_id)
        self._require_active(theme_id, "een facet verplaatsen naar")
        if self.resolve(facet.theme_id) == theme_id:
            raise TaxonomyError(f"{facet_id} hoort al bij {theme_id}")
        facet.theme_id, facet.placed = theme_id, True
        return facet

    def promote_facet(self, facet_id: str, name: str | None = None) -> Theme:
        """Make a facet a theme of its own (it stays that theme's facet)."""
        facet = self.facet(facet_id)
        theme = self.add(name or facet.name, description=f"Gepromoveerd uit facet {facet_id}.")
        facet.theme_id, facet.placed = theme.id, True
        return theme

    def get(self, theme_id: str) -> Theme:
        if theme_id not in self.themes:
            raise TaxonomyError(f"onbekend thema-id: {theme_id}")
        return self.themes[theme_id]

    def active(self) -> list[Theme]:
        return [t for t in self.themes.values() if t.is_active]

    def next_id(self) -> str:
        numbers = [int(theme_id[1:]) for theme_id in self.themes]
        return f"T{max(numbers, default=0) + 1:04d}"

    def id_allocator(self) -> Callable[[], str]:
        """Fresh ids for themes born in a refit, never reusing a retired or merged id."""
        counter = iter(range(int(self.next_id()[1:]), 10**9))
        return lambda: f"T{next(counter):04d}"

    def resolve(self, theme_id: str) -> str:
        """Follow merges to the theme that now carries this id's contacts."""
        seen = [theme_id]
        while (target := self.get(seen[-1]).merged_into) is not None:
            if target in seen:
                raise TaxonomyError(f"kringverwijzing in samenvoegingen: {' -> '.join(seen)}")
            seen.append(target)
        return seen[-1]

    def add(self, name: str, description: str = "", seed_phrases: Iterable[str] = ()) -> Theme:
        name = _clean_name(name)
        self._refuse_duplicate_name(name)
        theme = Theme(
            id=self.next_id(), name=name, description=description, seed_phrases=list(seed_phrases)
        )
        self.themes[theme.id] = theme
        return theme

    def rename(self, theme_id: str, new_name: str) -> Theme:
        theme = self._require_active(theme_id, "hernoemen")
        new_name = _clean_name(new_name)
        if new_name == theme.name:
            raise TaxonomyError(f"{theme_id} heet al '{new_name}'")
        self._refuse_duplicate_name(new_name, except_id=theme_id)
        theme.former_names.append(theme.name)
        theme.name = new_name
        return theme

    def merge(self, source_ids: Iterable[str], target_id: str) -> Theme:
        sources = list(dict.fromkeys(source_ids))
        if not sources:
            raise TaxonomyError("geef minstens één thema om samen te voegen")
        if target_id in sources:
            raise TaxonomyError(f"kan {target_id} niet met zichzelf samenvoegen")
        target = self._require_active(target_id, "samenvoegen in")
        for source_id in sources:
            source = self._require_active(source_id, "samenvoegen")
            if source.pinned:
                raise TaxonomyError(f"{source_id} is vastgezet; maak het eerst los (pin --unpin)")
        for source_id in sources:
            source = self.themes[source_id]
            source.status = "merged"
            source.merged_into = target_id
            for facet in self.facets.values():
                if facet.theme_id == source_id:
                    facet.theme_id = target_id
            target.seed_phrases.extend(
                p for p in source.seed_phrases if p not in target.seed_phrases
            )
        return target

    def set_pinned(self, theme_id: str, pinned: bool) -> Theme:
        theme = self._require_active(theme_id, "vastzetten" if pinned else "losmaken")
        if theme.pinned == pinned:
            raise TaxonomyError(f"{theme_id} is al {'vastgezet' if pinned else 'los'}")
        theme.pinned = pinned
        return theme

    def retire(self, theme_id: str) -> Theme:
        theme = self._require_active(theme_id, "opheffen")
        if theme.pinned:
            raise TaxonomyError(f"{theme_id} is vastgezet; maak het eerst los (pin --unpin)")
        theme.status = "retired"
        return theme

    def validate(self) -> None:
        names: dict[str, str] = {}
        for key, theme in self.themes.items():
            if key != theme.id or not THEME_ID.match(theme.id):
                raise TaxonomyError(f"ongeldig thema-id: {key!r}")
            if theme.status not in STATUSES:
                raise TaxonomyError(f"{theme.id}: onbekende status {theme.status!r}")
            if (theme.status == "merged") != (theme.merged_into is not None):
                raise TaxonomyError(f"{theme.id}: 'merged_into' hoort precies bij status merged")
            if theme.merged_into is not None:
                self.get(theme.merged_into)
                self.resolve(theme.id)
            if theme.pinned and not theme.is_active:
                raise TaxonomyError(f"{theme.id}: alleen actieve thema's kunnen vastgezet zijn")
            if theme.is_active:
                folded = theme.name.casefold()
                if folded in names:
                    raise TaxonomyError(
                        f"naam '{theme.name}' staat dubbel: {names[folded]}, {theme.id}"
                    )
                names[folded] = theme.id
        for key, facet in self.facets.items():
            if key != facet.id or not FACET_ID.match(facet.id):
                raise TaxonomyError(f"ongeldig facet-id: {key!r}")
            self.get(facet.theme_id)

    def _require_active(self, theme_id: str, verb: str) -> Theme:
        theme = self.get(theme_id)
        if not theme.is_active:
            state = (
                "opgeheven" if theme.status == "retired" else f"samengevoegd in {theme.merged_into}"
            )
            raise TaxonomyError(f"kan {theme_id} niet {verb}: het thema is {state}")
        return theme

    def _refuse_duplicate_name(self, name: str, except_id: str | None = None) -> None:
        for theme in self.active():
            if theme.id != except_id and theme.name.casefold() == name.casefold():
                raise TaxonomyError(f"naam '{name}' is al in gebruik door {theme.id}")


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise TaxonomyError("een themanaam mag niet leeg zijn")
    return cleaned


def taxonomy_from_dict(data: dict[str, Any]) -> Taxonomy:
    raw_themes = data.get("themes") or []
    if not isinstance(raw_themes, list):
        raise TaxonomyError("'themes' moet een lijst zijn")
    taxonomy = Taxonomy()
    known = {f for f in Theme.__dataclass_fields__}
    for raw in raw_themes:
        if not isinstance(raw, dict) or "id" not in raw or "name" not in raw:
            raise TaxonomyError(f"elk thema heeft minstens 'id' en 'name': {raw!r}")
        unknown = set(raw) - known
        if unknown:
            raise TaxonomyError(f"{raw['id']}: onbekende velden {', '.join(sorted(unknown))}")
        theme = Theme(**raw)
        if theme.id in taxonomy.themes:
            raise TaxonomyError(f"thema-id {theme.id} staat dubbel")
        taxonomy.themes[theme.id] = theme
    for raw in data.get("facets") or []:
        if not isinstance(raw, dict) or not {"id", "theme_id", "name"} <= set(raw):
            raise TaxonomyError(f"elk facet heeft 'id', 'theme_id' en 'name': {raw!r}")
        unknown = set(raw) - set(Facet.__dataclass_fields__)
        if unknown:
            raise TaxonomyError(f"{raw['id']}: onbekende velden {', '.join(sorted(unknown))}")
        if raw["id"] in taxonomy.facets:
            raise TaxonomyError(f"facet-id {raw['id']} staat dubbel")
        taxonomy.facets[raw["id"]] = Facet(**raw)
    taxonomy.validate()
    return taxonomy


def taxonomy_to_dict(taxonomy: Taxonomy) -> dict[str, Any]:
    data: dict[str, Any] = {
        "version": 1,
        "themes": [asdict(t) for t in taxonomy.themes.values()],
    }
    if taxonomy.facets:
        data["facets"] = [asdict(f) for f in taxonomy.facets.values()]
    return data


def load_taxonomy(path: Path) -> Taxonomy:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise TaxonomyError(f"{path}: geen geldige YAML: {error}") from error
    return taxonomy_from_dict(data)


@dataclass(frozen=True)
class AuditEntry:
    at: str
    by: str
    action: str
    theme_ids: list[str]
    detail: str
    reason: str


def current_user() -> str:
    return os.environ.get("USER") or getpass.getuser()


class TaxonomyFile:
    """A taxonomy YAML on disk with its audit log beside it; starts from the seed."""

    def __init__(self, path: Path, seed: Path = SEED_PATH) -> None:
        self.path = path
        self.seed = seed

    @property
    def audit_path(self) -> Path:
        return self.path.with_name(self.path.stem + ".audit.jsonl")

    def load(self) -> Taxonomy:
        return load_taxonomy(self.path if self.path.exists() else self.seed)

    def apply(
        self,
        action: str,
        change: Callable[[Taxonomy], tuple[list[str], str]],
        *,
        reason: str,
        by: str | None = None,
    ) -> AuditEntry:
        """Run `change` (returns touched ids and a description), save, and audit it."""
        if not reason.strip():
            raise TaxonomyError("geef een reden op (--reason)")
        taxonomy = self.load()
        theme_ids, detail = change(taxonomy)
        taxonomy.validate()
        entry = AuditEntry(
            at=datetime.now(UTC).isoformat(timespec="seconds"),
            by=by or current_user(),
            action=action,
            theme_ids=theme_ids,
            detail=detail,
            reason=reason.strip(),
        )
        self._write(taxonomy)
        with self.audit_path.open("a", encoding="utf-8") as log:
            log.write(json.dumps(asdict(entry), ensure_ascii=False) + "\n")
        return entry

    def audit(self, theme_id: str | None = None) -> list[AuditEntry]:
        if not self.audit_path.exists():
            return []
        entries = [
            AuditEntry(**json.loads(line))
            for line in self.audit_path.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        return [e for e in entries if theme_id is None or theme_id in e.theme_ids]

    def _write(self, taxonomy: Taxonomy) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = yaml.safe_dump(
            taxonomy_to_dict(taxonomy), allow_unicode=True, sort_keys=False, width=100
        )
        # Write-then-rename so a crash never leaves half a taxonomy behind.
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(self.path)
