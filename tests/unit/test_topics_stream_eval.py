"""A stream run's themes scored against the simulator's truth, read back from a warehouse."""

import json
from datetime import date, timedelta

import duckdb
import pytest
from fixtures.contacts import landed_on
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.warehouse.database import open_warehouse
from pipeline.warehouse.theme_store import contact_assignments
from pipeline.warehouse.writer import WarehouseWriter
from topics.stream_eval import OFF_TOPIC, evaluate_stream, facet_named_shares, score_stream

FIRST = date(2026, 9, 1)
VOCABULARIES = {"pensioen": {"pensioen"}, "ontslag": {"ontslag"}}


def test_a_subject_cut_in_two_themes_loses_completeness_not_homogeneity():
    truth = {f"p{i}": "pensioen" for i in range(6)} | {f"o{i}": "ontslag" for i in range(4)}
    split = [(f"p{i}", "T1" if i < 3 else "T2") for i in range(6)] + [
        (f"o{i}", "T3") for i in range(4)
    ]
    names = {"T1": "Pensioen", "T2": "Aow", "T3": "Ontslag"}

    score = score_stream(split, truth, names, VOCABULARIES)

    assert score.homogeneity == pytest.approx(1.0)
    assert score.completeness < 0.8
    assert score.n_themes == 3 and score.n_subjects == 2 and score.themes_per_subject == 1.5
    pension = score.subjects[0]
    assert (pension.subject, pension.main_share, pension.themes) == ("pensioen", 0.5, 2)
    assert score.named_themes == pytest.approx(2 / 3)
    assert score.named_contacts == pytest.approx(7 / 10)


def test_unassigned_contacts_count_as_one_theme_and_off_topic_as_one_subject():
    truth = {"a": "pensioen", "b": "pensioen", "c": None, "d": "ontslag"}
    score = score_stream([("a", "T1"), ("b", None), ("c", None), ("d", "T2")], truth, {}, {})
    assert score.coverage == 0.5
    assert score.n_themes == 2  # the unassigned are no found theme
    assert OFF_TOPIC in {spread.subject for spread in score.subjects}
    assert score.homogeneity < 1.0  # the unassigned cluster mixes two subjects


def test_contacts_the_truth_does_not_know_are_skipped_and_none_known_is_an_error():
    score = score_stream([("a", "T1"), ("x", "T2")], {"a": "pensioen"}, {}, VOCABULARIES)
    assert score.n_contacts == 1
    with pytest.raises(ValueError, match="truth file"):
        score_stream([("x", "T2")], {"a": "pensioen"}, {}, VOCABULARIES)


def test_a_facet_is_named_when_its_name_names_the_subject_most_of_its_contacts_have():
    truth = {f"c{i}": "ontslag" for i in range(6)} | {f"p{i}": "pensioen" for i in range(3)}
    facets = [(f"c{i}", "F1" if i < 4 else "F2") for i in range(6)]
    facets += [(f"p{i}", "F3") for i in range(3)] + [("x", "F3"), ("p9", None)]
    names = {"F1": "Ontslagbrief", "F2": "Brief", "F3": "Pensioenoverzicht"}

    named, contacts = facet_named_shares(facets, truth, names, VOCABULARIES)

    assert named == pytest.approx(2 / 3)  # "Brief" names no subject
    assert contacts == pytest.approx(7 / 9)  # contacts the truth does not know are left out


@pytest.fixture()
def stream_run(tmp_path):
    """40 contacts over 20 days: ontslag in T1 and T2 alike; a truth file beside them."""
    warehouse = tmp_path / "w.duckdb"
    con = open_warehouse(warehouse)
    rows = [
        landed_on(i, FIRST + timedelta(days=i // 2), "T1" if i % 2 else "T2") for i in range(40)
    ]
    WarehouseWriter(con).land(rows, [], {})
    con.execute(
        "INSERT INTO core.themes VALUES ('T1', 'Ontslag', [], 'active', now(), NULL, now()),"
        " ('T2', 'Handtekening', [], 'active', now(), NULL, now())"
    )
    con.close()
    truth = tmp_path / "run.truth.jsonl"
    truth.write_text(
        "\n".join(json.dumps({"event_id": f"c{i}", "themes": ["ontslag"]}) for i in range(40)),
        encoding="utf-8",
    )
    return warehouse, truth


def test_the_stream_is_read_from_the_warehouse_since_a_day(stream_run):
    warehouse, truth = stream_run
    con = duckdb.connect(str(warehouse), read_only=True)
    everything = evaluate_stream(*contact_assignments(con), truth)
    late = evaluate_stream(*contact_assignments(con, FIRST + timedelta(days=10)), truth)
    con.close()
    assert everything.n_contacts == 40 and late.n_contacts == 20
    assert everything.subjects[0].main_share == 0.5
    assert everything.subjects[0].main_theme_name in {"Ontslag", "Handtekening"}
    assert everything.named_themes == 0.5  # "Handtekening" shares no word with Ontslag's
    assert everything.named_facets is None  # this run has no facets


def test_the_command_prints_json(stream_run):
    warehouse, truth = stream_run
    result = CliRunner().invoke(
        app,
        ["evaluate", "stream", "--truth", str(truth), "--warehouse", str(warehouse), "--json"],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["n_subjects"] == 1 and report["themes_per_subject"] == 2.0
    assert report["homogeneity"] == pytest.approx(1.0) and report["completeness"] == 0.0
    missing = CliRunner().invoke(
        app, ["evaluate", "stream", "--truth", str(truth.with_name("nope.jsonl"))]
    )
    assert missing.exit_code == 2  # a usage error, not a traceback


def test_the_command_scores_the_stored_facet_names(stream_run):
    warehouse, truth = stream_run
    con = duckdb.connect(str(warehouse))
    con.execute(
        "INSERT INTO core.theme_facets VALUES"
        " ('F1', 'T1', 'Ontslagbrief', [], 'active', now(), now()),"
        " ('F2', 'T2', 'Handtekening', [], 'active', now(), now())"
    )
    con.execute(
        "INSERT OR REPLACE INTO core.contact_facets SELECT event_id, CASE WHEN theme_id = 'T1'"
        " THEN 'F1' ELSE 'F2' END FROM core.contact_themes"
    )
    con.close()
    result = CliRunner().invoke(
        app,
        ["evaluate", "stream", "--truth", str(truth), "--warehouse", str(warehouse), "--json"],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["named_facets"] == 0.5 and report["named_facet_contacts"] == 0.5
