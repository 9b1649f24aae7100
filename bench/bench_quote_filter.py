"""What the quote filter keeps out: health details (issue 19) and employer names (issue 20).

Usage: PYTHONPATH=. .venv/bin/python bench/bench_quote_filter.py [--simulator]

- health: share of the hand-written health sentences kept out of quotes (target ≥ 0.98)
  and share of the other sentences lost (target ≤ 0.10), on the main set and on the held-out
  sets (tests/data/health/README.md says how each was made);
- employers: share of the simulator's employer names that no longer appear after
  masking, filled into every simulator sentence that names the employer (after redaction,
  as quotes are made), and of the hand-written sentences in tests/data/employers/;
- with --simulator: per theme, the share of simulated contacts (baseline, 30 days) that
  the health rule keeps out of quotes.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

from pipeline.redaction import Redactor
from pipeline.redaction.employers import mask_employers
from pipeline.redaction.health import mentions_health

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
HEALTH_SETS = (
    ("main", "health.txt", "not_health.txt"),
    ("held-out 1", "heldout_health.txt", "heldout_not_health.txt"),
    ("held-out 2", "heldout2_health.txt", "heldout2_not_health.txt"),
    ("held-out 3", "heldout3_health.txt", "heldout3_not_health.txt"),
    ("former final (trained on since the eighth session)", "final_health.txt",
     "final_not_health.txt"),
    ("held-out of the eighth session", "holdout2_health.txt", "holdout2_other.txt"),
)  # fmt: skip
_MARK = re.compile(r"\{\{(.*?)\}\}")
_LINKS = {"van", "de", "der", "den", "het", "'t", "&", "en"}


def read_sentences(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def health_report() -> None:
    for name, health_file, other_file in HEALTH_SETS:
        health = read_sentences(DATA / "health" / health_file)
        other = read_sentences(DATA / "health" / other_file)
        kept_out = sum(map(mentions_health, health))
        lost = sum(map(mentions_health, other))
        print(
            f"health {name}: {kept_out}/{len(health)} health sentences kept out "
            f"({kept_out / len(health):.3f}), {lost}/{len(other)} others lost "
            f"({lost / len(other):.3f})"
        )


def leaked(name: str, masked: str) -> bool:
    """Does a distinctive word of the employer's name survive?"""
    words = [w for w in re.findall(r"[\w'-]+", name) if w.lower() not in _LINKS]
    words = [w for w in words if w[0].isupper() and len(w) >= 3]
    return any(re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", masked) for w in words)


def simulator_employers(redactor: Redactor) -> None:
    from pipeline.simulator.workplace import SECTOR_WORK

    root = Path(__file__).resolve().parents[1] / "pipeline" / "simulator"
    source = (root / "themes_nl.yaml").read_text(encoding="utf-8")
    source += (root / "registers.py").read_text(encoding="utf-8")
    templates = sorted(set(re.findall(r'"([^"\n]*\{werkgever\}[^"\n]*)"', source)))
    misses: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    for employers, _, _ in SECTOR_WORK.values():
        for employer in employers:
            name = "de gemeente Tilburg" if employer == "gemeente" else employer
            kind = "public" if name in _PUBLIC_SIM else "company"
            for template in templates:
                text = re.sub(r"\[([^\]|]*)\|[^\]]*\]", r"\1", template).replace(
                    "{werkgever}", name
                )
                text = re.sub(r"\{\w+\}", "12", text)
                totals[kind] += 1
                if leaked(name, mask_employers(redactor.redact(text).text)):
                    misses[kind] += 1
                    misses[name] += 1
    for kind in ("company", "public"):
        found = totals[kind] - misses[kind]
        print(
            f"employers, simulator ({kind}, {len(templates)} sentences each): "
            f"{found}/{totals[kind]} masked ({found / totals[kind]:.3f})"
        )
    named = [(n, c) for n, c in misses.items() if n not in ("company", "public")]
    if named:
        print("  left: " + ", ".join(f"{n} ({c})" for n, c in sorted(named)))


_PUBLIC_SIM = {"de gemeente Tilburg", "de provincie", "Rijkswaterstaat", "het waterschap",
               "de Belastingdienst", "het UWV"}  # fmt: skip


def handwritten_employers() -> None:
    lines = read_sentences(DATA / "employers" / "sentences.txt")
    names = found = changed = without = 0
    for line in lines:
        marked = _MARK.findall(line)
        text = _MARK.sub(r"\1", line)
        masked = mask_employers(text)
        names += len(marked)
        found += sum(not leaked(name, masked) for name in marked)
        if not marked:
            without += 1
            changed += masked != text
    print(
        f"employers, hand-written: {found}/{names} masked; "
        f"{changed}/{without} sentences without an employer changed"
    )


def simulator_health() -> None:
    from pipeline.simulator.labelled import labelled_texts

    texts, labels = labelled_texts("baseline", days=30, seed=3, limit=3000)
    out: Counter[str] = Counter()
    total: Counter[str] = Counter(labels)
    for text, label in zip(texts, labels, strict=True):
        out[label] += mentions_health(text)
    for label in sorted(total):
        print(f"  {label:28s} {total[label]:4d} contacts, {out[label] / total[label]:.2f} kept out")


def simulator_quotes() -> None:
    """Quotes made from simulated contacts: how many still hold a word of a company name,
    other than in a cao's name ("cao GGZ") or a place ("Den Helder")."""
    from pipeline.quotes import anonymised_quote
    from pipeline.simulator.workplace import SECTOR_WORK

    texts, _ = labelled_texts_for_quotes()
    companies = [e for emps, _, _ in SECTOR_WORK.values() for e in emps]
    companies = [e for e in companies if e != "gemeente" and e not in _PUBLIC_SIM]
    quotes = [q for q in map(anonymised_quote, texts) if q]
    left = Counter()
    for quote in quotes:
        cleaned = re.sub(r"\bcao (?:eh )?[A-Z][\w&' -]*|\bDen Helder\b", "", quote)
        left.update(name for name in companies if leaked(name, cleaned))
    masked = sum("[werkgever]" in q for q in quotes)
    print(
        f"quotes from {len(texts)} simulated contacts: {len(quotes)} quotes, {masked} with "
        f"[werkgever], {sum(left.values())} with a company name left {dict(left)}"
    )


def labelled_texts_for_quotes() -> tuple[list[str], list[str]]:
    from pipeline.simulator.labelled import labelled_texts

    return labelled_texts("baseline", days=30, seed=5, limit=4000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--simulator", action="store_true", help="per-theme loss on simulated contacts"
    )
    args = parser.parse_args()
    health_report()
    redactor = Redactor()
    simulator_employers(redactor)
    handwritten_employers()
    if args.simulator:
        print("health rule on simulated contacts (baseline, 30 days, seed 3, 3,000 single-theme):")
        simulator_health()
        simulator_quotes()


if __name__ == "__main__":
    main()
