"""Labelled text sets for scoring theme discovery: banking77, CLINC150, simulator scenarios, files.

A dataset spec is `banking77`, `clinc150`, `sim:SCENARIO` or a path to a CSV/JSONL file with
columns `text,label`. The public sets live in the repository's `data_public/`, with their licences.
Labels are only ever used for scoring; `extra_texts` are unlabelled texts (e.g. a train split)
that discovery may use to see more of the geometry.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from random import Random
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.contract.schema import ContactEvent


PUBLIC_DATA = Path(__file__).resolve().parent.parent / "data_public"


@dataclass(frozen=True)
class LabelledSet:
    """Texts to cluster with their gold labels, plus optional unlabelled extra texts."""

    name: str
    texts: list[str]
    labels: list[str]
    extra_texts: list[str] = field(default_factory=list)
    language: str = "en"
    # What the encoder sees, when the pipeline embeds something other than `texts` (for
    # simulated contacts: the subject plus the member's own words); None = `texts` itself.
    embedding_inputs: list[str] | None = None
    # Each text's subject line (None where the channel has none), for names; None = no
    # subject lines at all.
    subjects: list[str | None] | None = None

    def all_subjects(self) -> list[str | None] | None:
        """Subject lines for `texts` followed by `extra_texts` (which have none)."""
        if self.subjects is None:
            return None
        return self.subjects + [None] * len(self.extra_texts)

    def to_embed(self) -> list[str]:
        """Encoder inputs for `texts` followed by `extra_texts`, in that order."""
        return (self.embedding_inputs or self.texts) + self.extra_texts


def _read_csv(path: Path, text_column: str, label_column: str) -> tuple[list[str], list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [row[text_column] for row in rows], [row[label_column] for row in rows]


def load_banking77(data_dir: Path = PUBLIC_DATA) -> LabelledSet:
    """BANKING77 test split (3,080 rows, 77 intents); the train split is unlabelled extra text."""
    folder = data_dir / "banking77"
    texts, labels = _read_csv(folder / "test.csv", "text", "category")
    train_texts, _ = _read_csv(folder / "train.csv", "text", "category")
    return LabelledSet("banking77", texts, labels, extra_texts=train_texts)


def load_clinc150(data_dir: Path = PUBLIC_DATA) -> LabelledSet:
    """CLINC150 in-scope test split (4,500 rows, 150 intents); train+val are unlabelled extra text."""
    data = json.loads((data_dir / "clinc150" / "data_full.json").read_text(encoding="utf-8"))
    texts = [text for text, _ in data["test"]]
    labels = [label for _, label in data["test"]]
    extra = [text for text, _ in data["train"] + data["val"]]
    return LabelledSet("clinc150", texts, labels, extra_texts=extra)


def load_file(path: Path, language: str = "nl") -> LabelledSet:
    """A CSV or JSONL file with `text` and `label` fields."""
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        records = [
            json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line
        ]
        texts = [str(record["text"]) for record in records]
        labels = [str(record["label"]) for record in records]
    else:
        texts, labels = _read_csv(path, "text", "label")
    return LabelledSet(path.stem, texts, labels, language=language)


def load_simulated(scenario: str, limit: int | None = 5000, days: int = 30) -> LabelledSet:
    """Single-theme contacts of `days` days of a simulator scenario, seen as the pipeline sees them.

    The same seeded sample as `pipeline.simulator.labelled.labelled_texts`, but each contact
    goes through the pipeline's own text steps: planted personal data replaced by `[TYPE]`
    tokens in text and subject (a perfect redaction), the encoder input from
    `pipeline.content.embedding_text` (subject + member's own words), and the member's own
    words as the text for key phrases, as in the refit window
    (`pipeline.warehouse.theme_store.load_window`).
    """
    from pipeline.content import embedding_text, member_words
    from pipeline.simulator.generator import simulate
    from pipeline.simulator.labelled import DEFAULT_START
    from pipeline.simulator.scenario import load_scenario

    seed = 1
    contacts = [
        (_masked_event(event, truth), truth["themes"][0])
        for event, truth in simulate(load_scenario(scenario), DEFAULT_START, days, seed)
        if len(truth["themes"]) == 1
    ]
    if limit is not None and len(contacts) > limit:
        contacts = Random(seed).sample(contacts, limit)
    return LabelledSet(
        f"sim:{scenario}",
        [member_words(event.text) for event, _ in contacts],
        [label for _, label in contacts],
        language="nl",
        embedding_inputs=[embedding_text(event) for event, _ in contacts],
        subjects=[event.subject for event, _ in contacts],
    )


def _masked_event(event: dict[str, Any], truth: dict[str, Any]) -> ContactEvent:
    """The event with every planted value in text and subject replaced by its `[TYPE]` token."""
    from pipeline.contract.schema import ContactEvent

    fields = {"text": event["text"], "subject": event.get("subject") or ""}
    for span in sorted(truth["pii"], key=lambda s: -s["start"]):
        if span["field"] in fields:
            value = fields[span["field"]]
            fields[span["field"]] = (
                f"{value[: span['start']]}[{span['type']}]{value[span['end'] :]}"
            )
    return ContactEvent(
        event_id=event["event_id"],
        occurred_at=datetime.fromisoformat(event["occurred_at"]),
        received_at=datetime.fromisoformat(event["received_at"]),
        source=event["source"],
        channel=event["channel"],
        text=fields["text"],
        subject=fields["subject"] or None,
    )


def load_dataset(spec: str, use_extra: bool = True) -> LabelledSet:
    """Resolve a dataset spec (`banking77`, `clinc150`, `sim:NAME`, or a file path)."""
    if spec == "banking77":
        dataset = load_banking77()
    elif spec == "clinc150":
        dataset = load_clinc150()
    elif spec.startswith("sim:"):
        dataset = load_simulated(spec.removeprefix("sim:"))
    else:
        path = Path(spec)
        if not path.exists():
            raise ValueError(f"unknown dataset {spec!r}: not banking77, clinc150, sim:… or a file")
        dataset = load_file(path)
    if not use_extra and dataset.extra_texts:
        dataset = replace(dataset, extra_texts=[])
    return dataset
