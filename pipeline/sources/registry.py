"""Sources register under the entry-point group `ledenradar.sources`.

A package (this one, or any installed plug-in) declares in its pyproject.toml:

    [project.entry-points."ledenradar.sources"]
    email = "pipeline.sources.email:EmailSource"

and `ledenradar sources list` shows it after `pip install`.
"""

from __future__ import annotations

from importlib.metadata import EntryPoint, entry_points

from pipeline.sources.base import Source

GROUP = "ledenradar.sources"


class UnknownSource(LookupError):
    pass


def registered() -> dict[str, EntryPoint]:
    return {entry.name: entry for entry in entry_points(group=GROUP)}


def load(name: str) -> type[Source]:
    """The source class registered as `name`; raises `UnknownSource`."""
    entry = registered().get(name)
    if entry is None:
        known = ", ".join(sorted(registered())) or "none"
        raise UnknownSource(f"no source named {name!r} (registered: {known})")
    source_class = entry.load()
    if not (isinstance(source_class, type) and issubclass(source_class, Source)):
        raise TypeError(f"entry point {name!r} does not name a Source subclass")
    return source_class


def summary(source_class: type[Source]) -> str:
    """The first line of the class docstring."""
    return (source_class.__doc__ or "").strip().splitlines()[0] if source_class.__doc__ else ""
