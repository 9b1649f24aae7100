"""Dutch name, place and street lists, read once from the `deduce` package's lookup data.

Deduce (de-identification of Dutch clinical text, LGPL) ships curated Dutch lists:
~15k first names, ~10k surnames, ~2.4k surnames that follow a tussenvoegsel, the
tussenvoegsels themselves, ~6.7k places and ~150k street names. We use only those
lists; the detection rules are ours (see docs/redaction.md for why).
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import stopwordsiso

from pipeline.contract.vocab import DUTCH_MONTHS

# Dutch function words that double as first names ("Wil", "Ben", "Mag"): at the start
# of a sentence they are almost always the word, not the person.
_EXTRA_NON_NAMES = {
    "hoi",
    "hallo",
    "dag",
    "beste",
    "groet",
    "groeten",
    "graag",
    "dank",
    "bedankt",
    "kerst",
    "pasen",
    "zomer",
    "winter",
    "lente",
    "herfst",
    "morgen",
    "vandaag",
    "gisteren",
    "sorry",
    "ja",
    "nee",
    "oké",
    "ok",
    "prima",
    "helaas",
    "ook",
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
    *DUTCH_MONTHS,
    "lid",
    "leden",
    "post",
    "vraag",
    "vraagje",
    "liefs",
    "namens",
    "verzonden",
    "onderwerp",
    "cao",
    "wet",
}


@dataclass(frozen=True)
class Gazetteer:
    first_names: frozenset[str]
    surnames: frozenset[str]
    interfixes: frozenset[str]
    titles: frozenset[str]
    places: frozenset[str]
    streets: frozenset[str]
    common_words: frozenset[str]

    def is_first_name(self, word: str) -> bool:
        return word in self.first_names

    def is_surname(self, word: str) -> bool:
        return word in self.surnames

    def is_common_word(self, word: str) -> bool:
        return word.lower() in self.common_words


@lru_cache(maxsize=1)
def _deduce_dir() -> Path:
    """The installed `deduce` package's folder, found without importing it: importing
    deduce calls `logging.basicConfig(stream=sys.stdout, level=logging.DEBUG)`, which
    turned every library's debug log on in each process with a Redactor."""
    spec = importlib.util.find_spec("deduce")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("the deduce package (name lists for redaction) is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def _read_list(*parts: str) -> set[str]:
    folder = _deduce_dir().joinpath("data", "lookup", "src", *parts)
    items = set(folder.joinpath("items.txt").read_text(encoding="utf-8").splitlines())
    exceptions = folder.joinpath("exceptions.txt")
    if exceptions.is_file():
        items -= set(exceptions.read_text(encoding="utf-8").splitlines())
    return {item.strip() for item in items if item.strip()}


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """Load the lists once per process (about a second); every Redactor shares them."""
    surnames = _read_list("names", "lst_surname")
    # "van der Linden" is listed as "Linden" under surnames-after-interfix.
    surnames |= {item.split()[-1] for item in _read_list("names", "lst_interfix_surname")}
    places: set[str] = set()
    for kind in ("lst_residence", "lst_municipality", "lst_province", "lst_region"):
        places |= _read_list("locations", "lst_placename", kind)
    common = {w.lower() for w in _read_list("whitelist", "lst_common_word")}
    common |= {w.lower() for w in _read_list("whitelist", "lst_stop_word")}
    common |= set(stopwordsiso.stopwords("nl")) | _EXTRA_NON_NAMES
    return Gazetteer(
        first_names=frozenset(_read_list("names", "lst_first_name")),
        surnames=frozenset(surnames),
        interfixes=frozenset(i.lower() for i in _read_list("names", "lst_interfix")),
        titles=frozenset(t.lower() for t in _read_list("names", "lst_prefix")),
        places=frozenset(places),
        streets=frozenset(_read_list("locations", "lst_street")),
        common_words=frozenset(common),
    )
