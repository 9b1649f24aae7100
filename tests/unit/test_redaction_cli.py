"""`ledenradar redact` on standard input, plain and --json."""

import json

from typer.testing import CliRunner

from pipeline.cli import app

runner = CliRunner()


def test_redact_reads_stdin_and_writes_redacted_text():
    result = runner.invoke(app, ["redact"], input="Bel me op 06-12345678, groet Ellen")
    assert result.exit_code == 0
    assert result.stdout == "Bel me op [TELEFOON], groet [NAAM]"


def test_redact_json_gives_spans_and_types():
    text = "Mijn BSN is 252760189."
    result = runner.invoke(app, ["redact", "--json"], input=text)
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert payload["text"] == "Mijn BSN is [BSN]."
    assert payload["spans"] == [{"start": 12, "end": 21, "type": "BSN", "token": "[BSN]"}]


def test_evaluate_redaction_json_reports_per_type(tmp_path):
    events = tmp_path / "events.jsonl"
    truth = tmp_path / "truth.jsonl"
    text = "Naam: Kim de Groot\nTel: 06-12345678"
    events.write_text(json.dumps({"event_id": "e1", "text": text}) + "\n")
    planted = [
        {"type": "NAAM", "value": "Kim de Groot", "field": "text", "start": 6, "end": 18},
        {"type": "TELEFOON", "value": "06-12345678", "field": "text", "start": 24, "end": 35},
    ]
    truth.write_text(json.dumps({"event_id": "e1", "pii": planted}) + "\n")
    result = runner.invoke(
        app, ["evaluate", "redaction", "--json", "--sim", str(events), "--truth", str(truth)]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["simulator"]["per_type"]["NAAM"]["recall"] == 1.0
    assert report["simulator"]["per_type"]["TELEFOON"]["precision"] == 1.0
    assert report["annotated:dev"]["messages"] > 150
