"""A refit after the stream's encoder changed (docs/models.md, "When the stream's encoder
changes"): the saved centroids live in the old encoder's space, which the new vectors cannot
be compared with, so identity matches facets and themes by their members' words instead; ids
continue where the subjects do, and nothing crashes."""

import logging
from datetime import timedelta

import numpy as np
import pytest
from fixtures.contacts import landed_email
from fixtures.refit import CONFIG, START, TOPICS

from pipeline.themes.files import ThemeFiles
from pipeline.themes.refit import refit
from pipeline.warehouse.database import open_warehouse
from pipeline.warehouse.writer import WarehouseWriter
from topics.model import ThemeModel


class Encoder:
    """A fake stream encoder: each topic along its own axis, `axes[topic]`."""

    def __init__(self, name: str, dimension: int, axes: dict[str, int]) -> None:
        self.name, self.dimension, self.axes = name, dimension, axes

    def vector(self, topic: str, rng: np.random.Generator) -> np.ndarray:
        v = rng.normal(0, 0.08, self.dimension).astype(np.float32)
        v[self.axes[topic]] += 1.0
        return v / np.linalg.norm(v)


E5 = Encoder("fake-small@1", 24, {"pensioen": 0, "thuiswerk": 5, "ontslag": 10})
WIDE = Encoder("fake-wide@1", 32, {"pensioen": 3, "thuiswerk": 17, "ontslag": 29})
# Same size as E5, another encoder: its axes are E5's, handed to other topics, so comparing
# the old centroids with its vectors would give pension's facet to home working's contacts.
SHUFFLED = Encoder("fake-other@1", 24, {"pensioen": 5, "thuiswerk": 10, "ontslag": 0})


def land(writer: WarehouseWriter, first: int, count: int, encoder: Encoder, day0: int) -> None:
    """`count` contacts over 28 days from `day0`, the topics in turn, landed as the worker
    lands them with `encoder`: unthemed when the theme model is another encoder's."""
    rng = np.random.default_rng(first)
    rows = []
    for i in range(first, first + count):
        topic = list(TOPICS)[i % 3]
        subject, words = TOPICS[topic]
        rows.append(
            landed_email(
                f"c{i:04d}",
                i,
                START + timedelta(days=day0 + i % 28),
                subject,
                f"{words} nummer {i}.",
                encoder.vector(topic, rng),
                encoder.name,
            )
        )
    writer.land(rows, [], {})


def ids_by_topic(con, column: str, first: int) -> dict[str, set[str]]:
    """The facet or theme ids the refit gave each topic's contacts from `first` on."""
    rows = con.execute(
        f"SELECT event_id, {column} FROM core.contact_facets JOIN core.contact_themes "
        f"USING (event_id) WHERE {column} IS NOT NULL"
    ).fetchall()
    out: dict[str, set[str]] = {}
    for event_id, value in rows:
        if int(event_id[1:]) >= first:
            out.setdefault(list(TOPICS)[int(event_id[1:]) % 3], set()).add(value)
    return out


@pytest.mark.parametrize("new", [WIDE, SHUFFLED], ids=["another-size", "same-size"])
def test_ids_continue_by_their_members_words_when_the_encoder_changes(tmp_path, new, caplog):
    writer = WarehouseWriter(open_warehouse(tmp_path / "ledenradar.duckdb"))
    files = ThemeFiles(tmp_path / "themes", tmp_path / "taxonomy.yaml")
    land(writer, 0, 420, E5, day0=0)
    refit(writer.con, files, config=CONFIG)
    facets_before = ids_by_topic(writer.con, "facet_id", 0)
    themes_before = ids_by_topic(writer.con, "theme_id", 0)
    assert all(len(ids) == 1 for ids in facets_before.values())

    land(writer, 420, 420, new, day0=28)
    with caplog.at_level(logging.WARNING, logger="pipeline.themes.refit"):
        report = refit(writer.con, files, config=CONFIG)

    model = ThemeModel.load(tmp_path / "themes")
    assert model.embedding_model == new.name
    assert model.facet_centroids.shape[1] == new.dimension
    assert ids_by_topic(writer.con, "facet_id", 420) == facets_before
    assert ids_by_topic(writer.con, "theme_id", 420) == themes_before
    assert report.identity_by == "words"
    assert report.changes == {"continued": len(set().union(*themes_before.values()))}
    message = caplog.text
    assert "fake-small@1" in message and new.name in message and "words" in message


def test_the_same_encoder_matches_by_centroids_as_before(tmp_path, caplog):
    writer = WarehouseWriter(open_warehouse(tmp_path / "ledenradar.duckdb"))
    files = ThemeFiles(tmp_path / "themes", tmp_path / "taxonomy.yaml")
    land(writer, 0, 420, E5, day0=0)
    refit(writer.con, files, config=CONFIG)
    facets_before = ids_by_topic(writer.con, "facet_id", 0)
    land(writer, 420, 420, E5, day0=28)
    with caplog.at_level(logging.WARNING, logger="pipeline.themes.refit"):
        report = refit(writer.con, files, config=CONFIG)
    assert report.identity_by == "centroids"
    assert ids_by_topic(writer.con, "facet_id", 420) == facets_before
    assert caplog.text == ""
