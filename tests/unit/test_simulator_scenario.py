"""Scenario files: the shipped ones load, bad ones fail with a useful message, the CLI
writes events, truth and scenario facts, byte-identical for a seed."""

import json
from datetime import date
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from pipeline.simulator import ScenarioError, load_scenario
from pipeline.simulator.cli import simulate as simulate_command
from pipeline.simulator.scenario import SCENARIO_DIR, parse_scenario

REQUIRED = {
    "baseline": set(),
    "new-theme": {"new_theme"},
    "surge-limburg": {"surge"},
    "national-spike": {"spike"},
}


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_shipped_scenarios_load_with_their_effect(name):
    scenario = load_scenario(name)
    assert {e.kind for e in scenario.effects} == REQUIRED[name]
    assert scenario.per_working_day == 2000
    assert scenario.description


def test_baseline_is_seasonal():
    baseline = load_scenario("baseline")
    assert baseline.seasonal_factor("vakantiegeld", 5) > 2 * baseline.seasonal_factor(
        "vakantiegeld", 3
    )
    assert baseline.seasonal_factor("cao_loonsverhoging", 1) > baseline.seasonal_factor(
        "cao_loonsverhoging", 9
    )


def test_truth_records_onset_theme_and_segment():
    facts = load_scenario("surge-limburg").truth(date(2026, 3, 2), 60, seed=1)
    (effect,) = facts["effects"]
    assert effect["onset"] == "2026-03-23"
    assert (effect["theme"], effect["province"], effect["sector"]) == (
        "reorganisatie",
        "NL-LI",
        "industrie",
    )


def test_absolute_onset_date_is_resolved_against_the_start():
    scenario = parse_scenario(
        {
            "effects": [
                {
                    "kind": "spike",
                    "theme": "corona_op_het_werk",
                    "onset": "2026-04-01",
                    "peak_per_day": 10,
                }
            ]
        }
    )
    assert scenario.resolve(date(2026, 3, 2)).effects[0].onset_day == 30
    assert scenario.truth(date(2026, 3, 2), 60, 1)["effects"][0]["onset"] == "2026-04-01"


@pytest.mark.parametrize(
    ("effect", "message"),
    [
        (
            {"kind": "new_theme", "theme": "ontslag", "onset_day": 3, "peak_per_day": 5},
            "already exists",
        ),
        (
            {"kind": "surge", "theme": "ai_monitoring", "onset_day": 3, "peak_per_day": 5},
            "new_theme",
        ),
        (
            {
                "kind": "surge",
                "theme": "ontslag",
                "onset_day": 3,
                "peak_per_day": 5,
                "province": "Limburg",
            },
            "province code",
        ),
        ({"kind": "surge", "theme": "ontslag", "peak_per_day": 5}, "onset"),
        ({"kind": "wave", "theme": "ontslag", "onset_day": 3, "peak_per_day": 5}, "kind"),
        (
            {"kind": "spike", "theme": "ontslag", "onset_day": 3, "peak_per_day": 5, "colour": 1},
            "unknown keys",
        ),
    ],
)
def test_invalid_effects_are_rejected_with_a_reason(effect, message):
    with pytest.raises(ScenarioError, match=message):
        parse_scenario({"effects": [effect]})


def test_scenario_dir_is_the_repository_folder():
    assert (SCENARIO_DIR / "baseline.yaml").is_file()


def _run_cli(tmp_path: Path, name: str) -> Path:
    app = typer.Typer()
    app.command()(simulate_command)
    out = tmp_path / name
    args = ["--scenario", "surge-limburg", "--per-working-day", "150", "--start", "2026-03-16"]
    args += ["--days", "24", "--seed", "3", "--out", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return out


def test_a_scenario_file_extends_one_beside_it(tmp_path):
    (tmp_path / "base.yaml").write_text(
        "volume: {per_working_day: 120}\nseasonal: [{theme: pensioen, months: [3], factor: 2}]\n",
        encoding="utf-8",
    )
    (tmp_path / "mine.yaml").write_text(
        "name: mine\nextends: base\neffects:\n"
        "  - {kind: surge, theme: werkdruk, onset_day: 2, peak_per_day: 9, sector: zorg_welzijn}\n",
        encoding="utf-8",
    )
    scenario = load_scenario(str(tmp_path / "mine.yaml"))
    assert scenario.per_working_day == 120
    assert scenario.seasonal_factor("pensioen", 3) == 2
    assert [(e.theme, e.sector, e.province) for e in scenario.effects] == [
        ("werkdruk", "zorg_welzijn", None)
    ]


def test_cli_writes_events_truth_and_scenario_facts_byte_identically(tmp_path):
    first = _run_cli(tmp_path, "a.jsonl")
    second = _run_cli(tmp_path, "b.jsonl")
    assert first.read_bytes() == second.read_bytes()
    events = [json.loads(line) for line in first.read_text("utf-8").splitlines()]
    truth = [
        json.loads(line) for line in (tmp_path / "a.truth.jsonl").read_text("utf-8").splitlines()
    ]
    assert [e["event_id"] for e in events] == [t["event_id"] for t in truth]
    assert any(t["role"] == "surge" for t in truth)
    facts = json.loads((tmp_path / "a.scenario.json").read_text("utf-8"))
    assert facts["effects"][0]["onset"] == "2026-04-06"
    assert facts["per_working_day"] == 150
    assert facts["themes"]["reorganisatie"] == "Reorganisatie"


def test_cli_needs_exactly_one_destination(tmp_path):
    app = typer.Typer()
    app.command()(simulate_command)
    result = CliRunner().invoke(app, ["--days", "1"])
    assert result.exit_code != 0
    assert "--out" in result.output
