"""Curation on the theme tree: rename, move and promote facets, merge themes; all audited,
and what a curator decided is never undone by a refit."""

import pytest
from typer.testing import CliRunner

from topics.names import REFIT_BY, settle_facets
from topics.taxonomy import TaxonomyError, TaxonomyFile
from topics.taxonomy_cli import app


@pytest.fixture
def file(tmp_path):
    file = TaxonomyFile(tmp_path / "taxonomy.yaml")
    # A refit found three facets: two beneath T0007, one beneath T0004.
    settle_facets(
        file,
        ["F0001", "F0002", "F0003"],
        ["T0007", "T0007", "T0004"],
        ["internetvergoeding", "thuiswerkplek", "opzegtermijn"],
        [["internetvergoeding"], ["thuiswerkplek"], ["opzegtermijn"]],
    )
    return file


def test_a_refit_records_its_facets_beneath_their_themes_with_an_audit_entry(file):
    taxonomy = file.load()
    assert {f.id: (f.theme_id, f.name) for f in taxonomy.facets.values()} == {
        "F0001": ("T0007", "Internetvergoeding"),
        "F0002": ("T0007", "Thuiswerkplek"),
        "F0003": ("T0004", "Opzegtermijn"),
    }
    (entry,) = file.audit("F0002")
    assert entry.by == REFIT_BY and entry.action == "facets"
    assert file.load().facet_allocator()() == "F0004"


def test_rename_facet_keeps_the_curators_name_across_refits(file):
    file.apply(
        "rename-facet",
        lambda t: ([t.rename_facet("F0001", "Vaste internetkosten").id], "r"),
        reason="r",
    )
    settle_facets(file, ["F0001"], ["T0007"], ["router"], [["router", "wifi"]])
    facet = file.load().facet("F0001")
    assert facet.name == "Vaste internetkosten" and facet.former_names == ["Internetvergoeding"]


def test_a_machine_named_facet_follows_its_label_when_the_name_no_longer_fits(file):
    settle_facets(file, ["F0001"], ["T0007"], ["router"], [["router", "wifi"]])
    assert file.load().facet("F0001").name == "Router"


def test_move_facet_places_it_and_refits_do_not_move_it_back(file):
    file.apply(
        "move-facet",
        lambda t: ([t.move_facet("F0002", "T0004").id], "m"),
        reason="hoort bij ontslag",
    )
    assert file.load().facet("F0002").placed
    # The grouping puts it back beneath T0007; the curator's placement wins.
    settle_facets(
        file,
        ["F0002", "F0001"],
        ["T0007", "T0004"],
        ["thuiswerkplek", "internetvergoeding"],
        [["thuiswerkplek"], ["internetvergoeding"]],
    )
    taxonomy = file.load()
    assert taxonomy.facet("F0002").theme_id == "T0004"
    assert taxonomy.facet("F0001").theme_id == "T0004"  # not placed: follows the grouping
    assert [e.action for e in file.audit("F0002")] == ["facets", "move-facet"]


def test_move_facet_refuses_its_own_theme_and_inactive_themes(file):
    with pytest.raises(TaxonomyError, match="hoort al bij T0007"):
        file.load().move_facet("F0001", "T0007")
    file.apply("merge", lambda t: ([t.merge(["T0004"], "T0007").id], "m"), reason="r")
    with pytest.raises(TaxonomyError, match="samengevoegd"):
        file.load().move_facet("F0001", "T0004")
    with pytest.raises(TaxonomyError, match="onbekend facet-id"):
        file.load().move_facet("F0999", "T0007")


def test_promote_facet_makes_a_curated_theme_of_it(file):
    file.apply(
        "promote-facet",
        lambda t: ([t.promote_facet("F0001", "Internet thuis").id], "p"),
        reason="eigen onderwerp",
    )
    taxonomy = file.load()
    facet = taxonomy.facet("F0001")
    theme = taxonomy.get(facet.theme_id)
    assert facet.placed and theme.name == "Internet thuis" and theme.id not in ("T0007", "T0004")
    with pytest.raises(TaxonomyError, match="al in gebruik"):
        taxonomy.promote_facet("F0002", "Internet thuis")


def test_merge_themes_moves_their_facets_along(file):
    file.apply("merge", lambda t: ([t.merge(["T0004"], "T0007").id], "m"), reason="één onderwerp")
    assert file.load().facet("F0003").theme_id == "T0007"


def test_a_facet_beneath_an_unknown_theme_is_refused(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text(
        "themes: [{id: T0001, name: Pensioen}]\nfacets: [{id: F0001, theme_id: T0009, name: X}]\n"
    )
    with pytest.raises(TaxonomyError, match="T0009"):
        TaxonomyFile(path).load()


def test_cli_curates_the_tree_and_audits(file):
    runner = CliRunner()
    base = ["--reason", "curator", "--by", "anna", "--taxonomy", str(file.path)]
    assert runner.invoke(app, ["rename-facet", "F0003", "Opzegging", *base]).exit_code == 0
    assert runner.invoke(app, ["move-facet", "F0003", "--to", "T0007", *base]).exit_code == 0
    promoted = runner.invoke(app, ["promote-facet", "F0002", "--name", "Werkplek thuis", *base])
    assert promoted.exit_code == 0, promoted.output
    refused = runner.invoke(app, ["move-facet", "F0003", "--to", "T0007", *base])
    assert refused.exit_code == 1 and "hoort al bij" in refused.output
    listed = runner.invoke(app, ["facets", "T0007", "--taxonomy", str(file.path)])
    assert "Opzegging" in listed.output and "Werkplek thuis" not in listed.output
    actions = [(e.action, e.by) for e in file.audit("F0003")]
    assert actions == [("facets", REFIT_BY), ("rename-facet", "anna"), ("move-facet", "anna")]
