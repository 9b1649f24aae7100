"""`ledenradar redact` and `ledenradar evaluate redaction`."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar

import typer

from pipeline.progress import Bar, progress_bar
from pipeline.redaction.annotations import read_jsonl
from pipeline.redaction.evaluate import Report, evaluate
from pipeline.redaction.redactor import Redactor, RedactorConfig
from pipeline.redaction.spans import Span

ANNOTATED_SET = (
    Path(__file__).resolve().parents[2] / "tests" / "data" / "redaction" / "annotated.jsonl"
)
# The targets: recall / precision per type.
TARGETS: dict[str, tuple[float, float]] = {
    "BSN": (0.99, 0.95),
    "IBAN": (0.99, 0.95),
    "TELEFOON": (0.99, 0.95),
    "EMAIL": (0.99, 0.95),
    "POSTCODE": (0.99, 0.95),
    "ADRES": (0.99, 0.95),
    "KENTEKEN": (0.99, 0.95),
    "LIDNUMMER": (0.99, 0.95),
    "NAAM": (0.95, 0.85),
}


def _config(member_pattern: list[str] | None) -> RedactorConfig:
    if not member_pattern:
        return RedactorConfig()
    return RedactorConfig(member_patterns=tuple(member_pattern))


def redact(
    json_output: bool = typer.Option(False, "--json", help="Print spans and types as JSON."),
    member_pattern: list[str] = typer.Option(
        None,
        "--member-pattern",
        help="Regex for member numbers (repeatable); replaces the default.",
    ),
) -> None:
    """Read text on standard input, write it with personal data replaced by [TYPE] tokens."""
    text = sys.stdin.read()
    result = Redactor(_config(member_pattern)).redact(text)
    if json_output:
        spans = [
            {"start": s.start, "end": s.end, "type": s.type, "token": s.token()}
            for s in result.spans
        ]
        typer.echo(json.dumps({"text": result.text, "spans": spans}, ensure_ascii=False))
    else:
        sys.stdout.write(result.text)


def evaluate_redaction(
    split: str = typer.Option("dev", help="Annotated-set part: dev, test (held out) or all."),
    sim: Path = typer.Option(None, "--sim", help="Simulator events JSONL (with --truth)."),
    truth: Path = typer.Option(None, "--truth", help="Simulator ground-truth JSONL."),
    method: str = typer.Option(
        "rules", help="rules (ours), patterns-only (no names) or deduce (Deduce's own pipeline)."
    ),
    annotated: Path = typer.Option(ANNOTATED_SET, help="Annotated set JSONL."),
    json_output: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    show_errors: bool = typer.Option(False, help="List every miss and false alarm."),
) -> None:
    """Per-type precision/recall on the hand-annotated set and, if given, simulator truth."""
    detect = _detector(method)
    reports: dict[str, Report] = {}
    if split not in ("dev", "test", "all"):
        raise typer.BadParameter("split must be dev, test or all")
    messages = [m for m in read_jsonl(annotated) if split == "all" or m.split == split]
    with progress_bar(f"redaction: annotated {split} (messages)", len(messages)) as bar:
        reports[f"annotated:{split}"] = evaluate(
            ((m.message_id, m.text, m.spans) for m in _counted(messages, bar)), detect
        )
    if (sim is None) != (truth is None):
        raise typer.BadParameter("--sim and --truth go together")
    if sim is not None and truth is not None:
        with progress_bar("redaction: simulator (messages)", None) as bar:
            reports["simulator"] = evaluate(_counted(simulator_examples(sim, truth), bar), detect)
    if json_output:
        typer.echo(json.dumps({name: r.as_dict() for name, r in reports.items()}, indent=2))
    else:
        for name, report in reports.items():
            _print_report(name, report, show_errors)


T = TypeVar("T")


def _counted(items: Iterable[T], bar: Bar) -> Iterator[T]:
    for item in items:
        yield item
        bar.advance()


def simulator_examples(events: Path, truth: Path) -> Iterator[tuple[str, str, list[Span]]]:
    """(event_id, text, planted spans) for each event; the truth may list spans per field."""
    planted: dict[str, list[Span]] = {}
    with truth.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            planted[record["event_id"]] = [
                Span(p["start"], p["end"], p["type"])
                for p in record.get("pii", [])
                if p.get("field", "text") == "text"
            ]
    with events.open(encoding="utf-8") as lines:
        for line in lines:
            event = json.loads(line)
            yield event["event_id"], event["text"], planted.get(event["event_id"], [])


def _detector(method: str) -> Callable[[str], Iterable[Span]]:
    if method == "rules":
        return Redactor().detect
    if method == "patterns-only":
        return Redactor(RedactorConfig(detect_names=False)).detect
    if method == "deduce":
        from pipeline.redaction.deduce_baseline import DeduceBaseline

        return DeduceBaseline().detect
    raise typer.BadParameter(f"unknown method {method!r}")


def _print_report(name: str, report: Report, show_errors: bool) -> None:
    typer.echo(
        f"{name}: {report.messages} messages, leaked characters "
        f"{report.as_dict()['leaked_char_fraction']:.4f}"
    )
    typer.echo(f"  {'type':<14}{'gold':>6}{'pred':>6}{'recall':>9}{'precision':>11}  target")
    for kind, score in report.per_type.items():
        if not (score.gold or score.predicted):
            continue
        target = TARGETS.get(kind)
        verdict = ""
        if target:
            met = score.recall >= target[0] and score.precision >= target[1]
            verdict = f"R≥{target[0]} P≥{target[1]} {'ok' if met else 'MISSED'}"
        typer.echo(
            f"  {kind:<14}{score.gold:>6}{score.predicted:>6}{score.recall:>9.3f}"
            f"{score.precision:>11.3f}  {verdict}"
        )
    if show_errors:
        for message_id, kind, value in report.misses:
            typer.echo(f"  miss   {message_id} {kind}: {value!r}")
        for message_id, kind, value in report.false_alarms:
            typer.echo(f"  extra  {message_id} {kind}: {value!r}")
