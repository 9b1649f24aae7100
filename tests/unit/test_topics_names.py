"""Machine-made theme names follow their theme until a curator takes the name over."""

from functools import partial

from topics.identity import LineageEvent, merged_into
from topics.ids import guided_id
from topics.names import (
    absorb_found,
    adopt_curated,
    follow_labels,
    register_discovered,
    settle_facets,
)
from topics.subject_names import nominal_name
from topics.taxonomy import TaxonomyFile


def _born(tmp_path, label: str = "meewerken") -> TaxonomyFile:
    taxonomy_file = TaxonomyFile(tmp_path / "taxonomy.yaml")
    register_discovered(taxonomy_file, ["T0900"], [["meewerken", "daaraan meewerken"]], [label])
    return taxonomy_file


def test_a_name_that_no_longer_fits_the_key_phrases_becomes_the_current_label(tmp_path):
    taxonomy_file = _born(tmp_path)
    assert taxonomy_file.load().themes["T0900"].name == "Meewerken"

    taxonomy = follow_labels(
        taxonomy_file,
        ["T0900"],
        [["systeem ingevoerd", "ai meet", "camera"]],
        ["systeem ingevoerd"],
    )

    assert taxonomy.themes["T0900"].name == "Systeem ingevoerd"
    entry = taxonomy_file.audit("T0900")[-1]
    assert entry.action == "relabel" and "Meewerken → Systeem ingevoerd" in entry.detail


def test_a_name_still_among_the_key_phrases_stays_so_names_do_not_flip_weekly(tmp_path):
    taxonomy_file = _born(tmp_path)
    entries = len(taxonomy_file.audit())

    taxonomy = follow_labels(
        taxonomy_file, ["T0900"], [["camera", "meewerken", "ai meet"]], ["camera"]
    )

    assert taxonomy.themes["T0900"].name == "Meewerken"
    assert len(taxonomy_file.audit()) == entries


def test_names_a_curator_gave_or_pinned_and_curated_themes_are_never_changed(tmp_path):
    taxonomy_file = _born(tmp_path)
    register_discovered(taxonomy_file, ["T0901"], [["scanner"]], ["scanner"])
    taxonomy_file.apply(
        "rename", lambda t: ([t.rename("T0900", "Monitoring").id], "hernoemd"), reason="beter"
    )
    taxonomy_file.apply(
        "pin", lambda t: ([t.set_pinned("T0901", True).id], "vastgezet"), reason="blijft"
    )
    curated = next(
        t for t in taxonomy_file.load().active() if t.description != "Gevonden door Ledenradar."
    )

    taxonomy = follow_labels(
        taxonomy_file,
        ["T0900", "T0901", curated.id],
        [["camera"], ["camera"], ["camera"]],
        ["camera", "camera", "camera"],
    )

    assert taxonomy.themes["T0900"].name == "Monitoring"
    assert taxonomy.themes["T0901"].name == "Scanner"
    assert taxonomy.themes[curated.id].name == curated.name


def test_a_new_name_another_theme_already_has_gets_the_id_added(tmp_path):
    taxonomy_file = _born(tmp_path)
    taken = taxonomy_file.load().active()[0].name

    taxonomy = follow_labels(taxonomy_file, ["T0900"], [["iets anders"]], [taken.lower()])

    assert taxonomy.themes["T0900"].name == f"{taken} (T0900)"


def test_the_name_of_a_retired_theme_is_free_again_without_an_id(tmp_path):
    taxonomy_file = _born(tmp_path, label="kilometervergoeding")
    taxonomy_file.apply("retire", lambda t: ([t.retire("T0900").id], "opgeheven"), reason="op")

    register_discovered(
        taxonomy_file, ["T0901"], [["kilometervergoeding", "auto"]], ["kilometervergoeding"]
    )

    taxonomy = taxonomy_file.load()
    assert taxonomy.themes["T0901"].name == "Kilometervergoeding"
    assert (
        taxonomy.themes["T0900"].name == "Kilometervergoeding"
        and not taxonomy.themes["T0900"].is_active
    )


def test_an_id_added_for_a_name_clash_goes_once_the_other_theme_has_ended(tmp_path):
    taxonomy_file = _born(tmp_path, label="kilometervergoeding")
    register_discovered(
        taxonomy_file, ["T0901"], [["kilometervergoeding"]], ["kilometervergoeding"]
    )
    assert taxonomy_file.load().themes["T0901"].name == "Kilometervergoeding (T0901)"
    taxonomy_file.apply("retire", lambda t: ([t.retire("T0900").id], "opgeheven"), reason="op")

    taxonomy = follow_labels(taxonomy_file, ["T0901"], [["kilometervergoeding", "auto"]], ["auto"])

    assert taxonomy.themes["T0901"].name == "Kilometervergoeding"
    assert (
        "Kilometervergoeding (T0901) → Kilometervergoeding"
        in taxonomy_file.audit("T0901")[-1].detail
    )


def test_an_id_added_for_a_name_clash_goes_once_the_other_theme_is_no_longer_found(tmp_path):
    # A refit folded T0900 into T0901: T0900 is still active in the taxonomy, but found no
    # more, so T0901 takes the name back and T0900 carries its id.
    taxonomy_file = _born(tmp_path, label="faillissement")
    register_discovered(taxonomy_file, ["T0901"], [["faillissement"]], ["faillissement"])
    phrases, labels = [["faillissement", "loon"]], ["faillissement"]

    still_found = follow_labels(taxonomy_file, ["T0900", "T0901"], phrases * 2, labels * 2)
    assert still_found.themes["T0901"].name == "Faillissement (T0901)"

    taxonomy = follow_labels(taxonomy_file, ["T0901"], phrases, labels)
    assert taxonomy.themes["T0901"].name == "Faillissement"
    assert taxonomy.themes["T0900"].name == "Faillissement (T0900)"
    assert taxonomy.themes["T0900"].is_active
    assert "T0900: Faillissement → Faillissement (T0900)" in taxonomy_file.audit("T0900")[-1].detail


def test_a_machine_found_name_that_a_union_theme_has_keeps_its_id_while_that_is_not_found(
    tmp_path,
):
    taxonomy_file = _born(tmp_path)
    union_theme = next(t for t in taxonomy_file.load().active() if t.id != "T0900")

    taxonomy = follow_labels(taxonomy_file, ["T0900"], [["iets"]], [union_theme.name.lower()])

    assert taxonomy.themes["T0900"].name == f"{union_theme.name} (T0900)"


def test_a_facet_name_that_only_repeats_its_themes_name_gives_way_to_its_label(tmp_path):
    taxonomy_file = _born(tmp_path, label="reiskosten vergoeding")
    phrases = [["reiskosten", "kilometers"], ["thuiswerkdag"]]
    settle_facets(
        taxonomy_file, ["F0001", "F0002"], ["T0900"] * 2, ["reiskosten", "thuiswerkdag"], phrases
    )
    assert taxonomy_file.load().facets["F0001"].name == "Reiskosten"  # first named before the rule

    taxonomy = settle_facets(
        taxonomy_file, ["F0001", "F0002"], ["T0900"] * 2, ["kilometers", "thuiswerkdag"], phrases
    )

    assert taxonomy.facets["F0001"].name == "Kilometers"  # says what sets it apart
    assert taxonomy.facets["F0002"].name == "Thuiswerkdag"
    alone = settle_facets(taxonomy_file, ["F0001"], ["T0900"], ["reiskosten"], [["reiskosten"]])
    assert alone.facets["F0001"].name == "Reiskosten"  # a theme's only facet carries its name


def test_two_facets_of_one_theme_named_alike_take_their_labels(tmp_path):
    taxonomy_file = _born(tmp_path)
    phrases = [["bureau", "loon"], ["bureau", "reserveringen"]]
    settle_facets(taxonomy_file, ["F0001", "F0002"], ["T0900"] * 2, ["bureau"] * 2, phrases)

    taxonomy = settle_facets(
        taxonomy_file, ["F0001", "F0002"], ["T0900"] * 2, ["bureau", "reserveringen"], phrases
    )

    assert [taxonomy.facets[f].name for f in ("F0001", "F0002")] == ["Bureau", "Reserveringen"]


def test_a_curated_theme_takes_over_a_discovered_one_and_keeps_its_own_seed_phrases(tmp_path):
    taxonomy_file = _born(tmp_path, label="reiskosten")
    assert taxonomy_file.load().themes["T0900"].name == "Reiskosten (T0900)"
    seeds = list(taxonomy_file.load().themes["T0011"].seed_phrases)

    taxonomy = adopt_curated(taxonomy_file, {"T0900": "T0011"})

    assert taxonomy.resolve("T0900") == "T0011" and taxonomy.themes["T0011"].name == "Reiskosten"
    assert taxonomy.themes["T0011"].seed_phrases == seeds
    entry = taxonomy_file.audit("T0900")[-1]
    assert entry.action == "merge" and entry.by == "ledenradar-refit"


def test_a_name_that_names_nothing_gives_way_to_a_label_that_does(tmp_path):
    # "meewerken" is still a key phrase, but members never use it as a noun.
    nouns = frozenset({"algoritme", "camera"})
    taxonomy_file = _born(tmp_path)

    taxonomy = follow_labels(
        taxonomy_file,
        ["T0900"],
        [["meewerken", "algoritme", "camera"]],
        ["algoritme"],
        nominal=partial(nominal_name, nouns=nouns),
    )

    assert taxonomy.themes["T0900"].name == "Algoritme"
    assert "Meewerken → Algoritme" in taxonomy_file.audit("T0900")[-1].detail


def test_a_name_that_names_nothing_stays_while_no_label_does_better(tmp_path):
    taxonomy_file = _born(tmp_path)

    taxonomy = follow_labels(
        taxonomy_file,
        ["T0900"],
        [["meewerken", "daaraan"]],
        ["daaraan"],
        nominal=partial(nominal_name, nouns=frozenset({"camera"})),
    )

    assert taxonomy.themes["T0900"].name == "Meewerken"


def test_a_found_theme_a_refit_merged_away_never_lends_its_id_to_a_later_newborn(tmp_path):
    taxonomy_file = TaxonomyFile(tmp_path / "taxonomy.yaml")
    loonschaal = ["verkeerde loonschaal", "ingedeeld", "verkeerde", "loonschaal"]
    register_discovered(
        taxonomy_file,
        ["T0900", "T0901", "T0902"],
        [loonschaal, ["quarantaine", "besmet"], ["uurloon", "loonstrook"]],
        ["verkeerde loonschaal", "quarantaine", "uurloon"],
    )
    survivor_seeds = list(taxonomy_file.load().themes["T0901"].seed_phrases)
    # The lineage of a refit: T0900 went into T0901; T0902 did too, yet the refit still
    # carries T0902 (a cluster kept its id).
    events = [
        LineageEvent("merged", ("T0901", "T0900", "T0902"), ("T0901",)),
        LineageEvent("continued", ("T0903",), ("T0903",)),
    ]
    assert merged_into(events) == {"T0900": "T0901", "T0902": "T0901"}
    assert guided_id(loonschaal, taxonomy_file.load(), taken=set()) == "T0900"

    retired = TaxonomyFile(tmp_path / "retired.yaml")
    retired.path.write_text(taxonomy_file.path.read_text())
    retired.apply("retire", lambda t: ([t.retire("T0901").id], "opgeheven"), reason="test")
    # A survivor a curator has since retired takes nothing in: the refit must not fail.
    assert absorb_found(retired, {"T0900": "T0901"}, ids=[]).themes["T0900"].is_active

    taxonomy = absorb_found(taxonomy_file, merged_into(events), ids=["T0901", "T0902"])

    assert taxonomy.resolve("T0900") == "T0901"
    assert taxonomy.themes["T0902"].is_active
    assert taxonomy.themes["T0901"].seed_phrases == survivor_seeds
    assert guided_id(loonschaal, taxonomy, taken=set()) != "T0900"
    assert taxonomy_file.audit("T0900")[-1].action == "merge"
