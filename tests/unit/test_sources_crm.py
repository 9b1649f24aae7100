"""CRM exports: CSV and JSONL with a YAML column mapping."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from pipeline.contract.dead_letter import DeadLetter
from pipeline.kafka_topics import DLQ, RAW
from pipeline.normalise import Accepted, accept
from pipeline.sources import Emitter, MemoryTarget
from pipeline.sources.crm import CrmExportSource
from tests.contract.source_contract import SourceContract

MAPPING = {
    "id": "notitie_id",
    "occurred_at": "aangemaakt_op",
    "text": "notitie",
    "subject": "onderwerp",
    "province": "provincie",
    "sector": "sector",
    "member_ref": "lid_pseudoniem",
}
CSV_HEADER = "notitie_id;aangemaakt_op;naam_lid;telefoon;onderwerp;notitie;provincie;sector;lid_pseudoniem;dossiertype\n"
CSV_ROWS = [
    "N-1001;02-11-2026 09:14;Jan Jansen;0612345678;Ontslag;Lid belt over ontslag op staande voet, "
    "mail jan.jansen@example.nl of bel 06-12345678.;Utrecht;zorg;m-40021;arbeidsrecht\n",
    'N-1002;2026-11-02T10:30:00+01:00;Piet Bakker;0687654321;Loon;"Loon te laat; werkgever reageert niet.";'
    "Noord-Brabant;bouw;m-40022;loon\n",
]


def write_mapping(tmp_path: Path) -> Path:
    path = tmp_path / "mapping.yaml"
    path.write_text(yaml.safe_dump(MAPPING), encoding="utf-8")
    return path


def csv_source(tmp_path: Path, rows: list[str], name: str = "export.csv") -> CrmExportSource:
    path = tmp_path / name
    path.write_text(CSV_HEADER + "".join(rows), encoding="utf-8")
    return CrmExportSource(
        path=path,
        mapping=write_mapping(tmp_path),
        delimiter=";",
        defaults={"channel": "phone", "service_line": "second_line_legal"},
        metadata_columns=["dossiertype"],
    )


class TestCsvExport(SourceContract):
    expected_events = 2
    bad_reasons = {"missing_source_id", "bad_timestamp", "bad_value"}

    def make_source(self, tmp_path: Path) -> CrmExportSource:
        return csv_source(tmp_path, CSV_ROWS)

    def bad_input(self, tmp_path: Path) -> CrmExportSource:
        rows = [
            ";02-11-2026 09:14;X;0;Geen id;tekst;Utrecht;zorg;m-1;x\n",
            "N-9;gisteren;X;0;Datum;tekst;Utrecht;zorg;m-1;x\n",
            "N-10;02-11-2026;X;0;Provincie;tekst;Atlantis;zorg;m-1;x\n",
        ]
        return csv_source(tmp_path, rows, "bad.csv")


class TestJsonlExport(SourceContract):
    expected_events = 2
    bad_reasons = {"bad_json", "missing_field"}

    def _source(self, tmp_path: Path, lines: list[str], name: str) -> CrmExportSource:
        path = tmp_path / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return CrmExportSource(path=path, mapping=MAPPING)

    def make_source(self, tmp_path: Path) -> CrmExportSource:
        notes = [
            {
                "notitie_id": 7001,
                "aangemaakt_op": "2026-11-03T08:00:00Z",
                "notitie": "Vraag over "
                "pensioen; bereikbaar op jan.jansen@example.nl en 06-12345678.",
                "provincie": "NL-LI",
            },
            {
                "notitie_id": 7002,
                "aangemaakt_op": "2026-11-03T09:00:00Z",
                "notitie": "Vakantiedagen vervallen?",
                "medewerker_naam": "Els",
                "sector": "onderwijs",
            },
        ]
        return self._source(tmp_path, [json.dumps(note) for note in notes], "notes.jsonl")

    def bad_input(self, tmp_path: Path) -> CrmExportSource:
        lines = ['{"notitie_id": 1, "aangemaakt_op": "2026-11-03T08:00:00Z"', '{"notitie_id": 2}']
        return self._source(tmp_path, lines, "bad.jsonl")


def test_only_mapped_columns_travel_and_local_times_get_the_dutch_zone(tmp_path: Path) -> None:
    target = MemoryTarget()
    csv_source(tmp_path, CSV_ROWS).run(Emitter("crm", target))
    first = accept(target.on(RAW)[0].value)
    assert isinstance(first, Accepted)
    event = first.event
    payload = target.on(RAW)[0].value.decode()
    assert "Jan Jansen" not in payload and "0612345678" not in payload
    assert event.occurred_at.isoformat() == "2026-11-02T08:14:00+00:00"  # 09:14 CET
    assert (event.province, event.sector, event.member_ref) == ("NL-UT", "zorg_welzijn", "m-40021")
    assert (event.channel, event.service_line) == ("phone", "second_line_legal")
    assert event.metadata == {"dossiertype": "arbeidsrecht"}
    assert event.subject == "Ontslag"


def test_bad_rows_lose_nothing_and_keep_the_row(tmp_path: Path) -> None:
    target = MemoryTarget()
    rows = [CSV_ROWS[0], ";02-11-2026;X;0;Geen id;tekst;Utrecht;zorg;m-1;x\n", CSV_ROWS[1]]
    csv_source(tmp_path, rows).run(Emitter("crm", target))
    assert len(target.on(RAW)) == 2
    [letter] = [DeadLetter.from_json(r.value) for r in target.on(DLQ)]
    assert letter.reason == "missing_source_id"
    assert b"Geen id" in letter.original
    assert target.on(DLQ)[0].headers["ledenradar-source-ref"] == b"export.csv:3"


def test_a_mapping_without_required_fields_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="lacks occurred_at"):
        CrmExportSource(path=tmp_path / "x.csv", mapping={"id": "a", "text": "b"})
    with pytest.raises(ValueError, match="unknown fields"):
        CrmExportSource(path=tmp_path / "x.csv", mapping={**MAPPING, "naam": "naam_lid"})


def test_a_mapping_written_with_region_still_fills_the_province(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(CSV_HEADER + "".join(CSV_ROWS), encoding="utf-8")
    old_mapping = {k: v for k, v in MAPPING.items() if k != "province"} | {"region": "provincie"}
    source = CrmExportSource(
        path=path, mapping=old_mapping, delimiter=";", defaults={"channel": "phone"}
    )
    target = MemoryTarget()
    source.run(Emitter("crm", target))
    events = [accept(r.value).event for r in target.on(RAW)]
    assert [e.province for e in events] == ["NL-UT", "NL-NB"]
