import json

import pytest
import yaml
from typer.testing import CliRunner

from topics.taxonomy import (
    SEED_PATH,
    TaxonomyError,
    TaxonomyFile,
    load_taxonomy,
    taxonomy_from_dict,
)
from topics.taxonomy_cli import app


@pytest.fixture
def file(tmp_path):
    return TaxonomyFile(tmp_path / "taxonomy.yaml")


def test_seed_is_valid_dutch_taxonomy_with_stable_ids():
    taxonomy = load_taxonomy(SEED_PATH)
    names = {t.name for t in taxonomy.active()}
    assert {"Vaststellingsovereenkomst", "Thuiswerkvergoeding", "Pensioen"} <= names
    assert all(t.seed_phrases for t in taxonomy.active())
    assert taxonomy.next_id() == f"T{len(taxonomy.themes) + 1:04d}"


def test_id_allocator_never_reuses_retired_ids(file):
    file.apply("retire", lambda t: ([t.retire("T0021").id], "weg"), reason="r", by="a")
    taxonomy = file.load()
    allocate, count = taxonomy.id_allocator(), len(taxonomy.themes)
    assert [allocate(), allocate()] == [f"T{count + 1:04d}", f"T{count + 2:04d}"]


def test_rename_keeps_id_and_history_and_writes_audit(file):
    entry = file.apply(
        "rename",
        lambda t: ([t.rename("T0007", "Thuiswerken").id], "hernoemd"),
        reason="kortere naam",
        by="anna",
    )
    taxonomy = file.load()
    assert taxonomy.get("T0007").name == "Thuiswerken"
    assert taxonomy.get("T0007").former_names == ["Thuiswerkvergoeding"]
    assert entry.by == "anna" and entry.at.endswith("+00:00")
    logged = [json.loads(line) for line in file.audit_path.read_text().splitlines()]
    assert logged == [
        {
            "at": entry.at,
            "by": "anna",
            "action": "rename",
            "theme_ids": ["T0007"],
            "detail": "hernoemd",
            "reason": "kortere naam",
        }
    ]


def test_audit_log_is_append_only_across_changes(file):
    file.apply("pin", lambda t: ([t.set_pinned("T0001", True).id], "pin"), reason="kern", by="a")
    file.apply("retire", lambda t: ([t.retire("T0021").id], "weg"), reason="voorbij", by="b")
    assert [e.action for e in file.audit()] == ["pin", "retire"]
    assert [e.action for e in file.audit("T0021")] == ["retire"]


def test_merge_moves_seed_phrases_and_resolves_to_target(file):
    file.apply(
        "merge", lambda t: ([t.merge(["T0018"], "T0019").id], "merge"), reason="overlap", by="x"
    )
    taxonomy = file.load()
    assert taxonomy.get("T0018").status == "merged"
    assert taxonomy.resolve("T0018") == "T0019"
    assert "proeftijd" in taxonomy.get("T0019").seed_phrases


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.rename("T9999", "X"), "onbekend thema-id"),
        (lambda t: t.merge(["T0003"], "T0003"), "met zichzelf"),
        (lambda t: t.rename("T0002", "pensioen"), "al in gebruik"),
        (lambda t: t.rename("T0002", "   "), "niet leeg"),
    ],
)
def test_invalid_changes_are_refused(file, change, message):
    with pytest.raises(TaxonomyError, match=message):
        change(file.load())


def test_retired_and_pinned_themes_are_protected(file):
    file.apply("retire", lambda t: ([t.retire("T0021").id], "weg"), reason="r", by="a")
    taxonomy = file.load()
    with pytest.raises(TaxonomyError, match="opgeheven"):
        taxonomy.rename("T0021", "Nieuwe naam")
    with pytest.raises(TaxonomyError, match="opgeheven"):
        taxonomy.merge(["T0001"], "T0021")
    taxonomy.set_pinned("T0001", True)
    with pytest.raises(TaxonomyError, match="vastgezet"):
        taxonomy.merge(["T0001"], "T0002")
    with pytest.raises(TaxonomyError, match="vastgezet"):
        taxonomy.retire("T0001")


def test_failed_change_leaves_file_and_log_untouched(file):
    with pytest.raises(TaxonomyError):
        file.apply("merge", lambda t: ([t.merge(["T0001"], "T0001").id], "m"), reason="r")
    assert not file.path.exists() and not file.audit_path.exists()
    with pytest.raises(TaxonomyError, match="reden"):
        file.apply("pin", lambda t: ([t.set_pinned("T0001", True).id], "p"), reason=" ")


def test_broken_file_gives_clear_errors():
    with pytest.raises(TaxonomyError, match="dubbel"):
        taxonomy_from_dict({"themes": [{"id": "T0001", "name": "A"}, {"id": "T0001", "name": "B"}]})
    with pytest.raises(TaxonomyError, match="onbekend thema-id"):
        taxonomy_from_dict(
            {"themes": [{"id": "T0001", "name": "A", "status": "merged", "merged_into": "T0005"}]}
        )
    with pytest.raises(TaxonomyError, match="ongeldig thema-id"):
        taxonomy_from_dict({"themes": [{"id": "7", "name": "A"}]})


def test_cli_changes_taxonomy_and_audits(tmp_path):
    path = tmp_path / "tax.yaml"
    runner = CliRunner()
    base = ["--taxonomy", str(path), "--by", "jan"]
    result = runner.invoke(
        app, ["rename", "T0004", "VSO-check", "--reason", "zo heet het intern", *base]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        app, ["merge", "T0018", "T0020", "--into", "T0019", "--reason", "r", *base]
    )
    assert result.exit_code == 0, result.output
    saved = yaml.safe_load(path.read_text())
    by_id = {t["id"]: t for t in saved["themes"]}
    assert by_id["T0004"]["name"] == "VSO-check"
    assert by_id["T0020"]["merged_into"] == "T0019"
    assert len(path.with_name("tax.audit.jsonl").read_text().splitlines()) == 2

    refused = runner.invoke(app, ["rename", "T0018", "Iets", "--reason", "r", *base])
    assert refused.exit_code == 1 and "samengevoegd in T0019" in refused.output
    shown = runner.invoke(app, ["show", "T0004", "--taxonomy", str(path)])
    assert "VSO-check" in shown.output and "zo heet het intern" in shown.output
    listed = runner.invoke(app, ["list", "--taxonomy", str(path)])
    assert "T0004" in listed.output and "T0018" not in listed.output
