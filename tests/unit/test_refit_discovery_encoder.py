"""A refit whose facets another encoder discovers (docs/models.md, "Roles"): the facets are
that encoder's partition, re-expressed in the stream's space; its vectors are cached; the
theme model records it; a model named but not there stops the start."""

import hashlib
from datetime import timedelta

import numpy as np
import pytest
from fixtures.contacts import landed_email
from fixtures.refit import CONFIG, START, TOPICS
from typer.testing import CliRunner

from models.cache import EmbeddingCache, model_key
from pipeline.cli import app
from pipeline.content import embedding_text
from pipeline.themes.discovery_encoder import (
    CachedDiscoveryEncoder,
    DiscoveryModelUnavailable,
    discovery_encoder,
)
from pipeline.themes.files import ThemeFiles
from pipeline.themes.refit import refit
from pipeline.warehouse.database import open_warehouse
from pipeline.warehouse.writer import WarehouseWriter
from topics.model import ThemeModel

STREAM_DIM = 24


def stream_vector(topic: str, rng: np.random.Generator) -> np.ndarray:
    v = rng.normal(0, 0.08, STREAM_DIM).astype(np.float32)
    v[list(TOPICS).index(topic) * 5] += 1.0
    return v / np.linalg.norm(v)


class FakeDiscovery:
    """Another encoder, 16 dimensions: it cannot tell pension from dismissal (one direction
    for both), so its facets differ from the stream's. Deterministic: noise from the text."""

    model_id, model_version, dimension = "fake-discovery", "v1", 16

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts, batch_size: int = 16) -> np.ndarray:
        self.seen += list(texts)
        rows = []
        for text in texts:
            seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "little")
            v = np.random.default_rng(seed).normal(0, 0.08, self.dimension)
            v[0 if "thuiswerk" in text else 8] += 1.0
            rows.append(v / np.linalg.norm(v))
        return np.asarray(rows, dtype=np.float32)


def land(writer: WarehouseWriter, first: int, count: int, rng, days: int = 35) -> list:
    """`count` contacts with a subject line and their own words, the topics in turn."""
    rows = []
    for i in range(first, first + count):
        topic = list(TOPICS)[i % 3]
        subject, words = TOPICS[topic]
        rows.append(
            landed_email(
                f"c{i}",
                i,
                START + timedelta(days=i % days),
                subject,
                f"{words} nummer {i}.",
                stream_vector(topic, rng),
                "fake@1",
            )
        )
    writer.land(rows, [], {})
    return rows


@pytest.fixture
def warehouse(tmp_path):
    writer = WarehouseWriter(open_warehouse(tmp_path / "ledenradar.duckdb"))
    rows = land(writer, 0, 420, np.random.default_rng(0))
    return writer, rows


def no_curated_subjects(tmp_path):
    """A taxonomy without the union's seeds: their phrases would tell pension from dismissal
    (`topics.seeded`), which the discovery encoder here cannot, and these tests are about
    its partition."""
    path = tmp_path / "taxonomy.yaml"
    path.write_text("version: 1\nthemes: []\n", encoding="utf-8")
    return path


def files_with(tmp_path, encoder=None) -> ThemeFiles:
    return ThemeFiles(tmp_path / "themes", no_curated_subjects(tmp_path), discovery_encoder=encoder)


def facet_of_topic(con) -> dict[str, set[str]]:
    """The facets each topic's contacts were put in (topic told by the event id); outliers,
    left without a facet, aside."""
    rows = con.execute(
        "SELECT event_id, facet_id FROM core.contact_facets WHERE facet_id IS NOT NULL"
    ).fetchall()
    out: dict[str, set[str]] = {}
    for event_id, facet_id in rows:
        out.setdefault(list(TOPICS)[int(event_id[1:]) % 3], set()).add(facet_id)
    return out


def test_the_discovery_encoders_facets_are_kept_and_live_in_the_streams_space(warehouse, tmp_path):
    writer, rows = warehouse
    fake = FakeDiscovery()
    report = refit(writer.con, files_with(tmp_path, fake), config=CONFIG)
    model = ThemeModel.load(tmp_path / "themes")

    # It saw what the stream's encoder saw: subject line and the member's words.
    assert sorted(fake.seen) == sorted(embedding_text(row.event) for row in rows)
    # Its partition: pension and dismissal share a facet, home working has its own.
    facets = facet_of_topic(writer.con)
    assert facets["pensioen"] == facets["ontslag"]
    assert facets["thuiswerk"].isdisjoint(facets["pensioen"])
    assert report.facets == len(model.facet_ids) == 2 and report.coverage >= 0.9
    # Centroids in the stream's space, where the stream assigns new contacts alike.
    assert model.facet_centroids.shape == (2, STREAM_DIM)
    stream = np.asarray([row.enrichment.embedding for row in rows], dtype=np.float32)
    assigned = model.assigner().assign(model.prepare(stream))
    stored = dict(
        writer.con.execute("SELECT event_id, facet_id FROM core.contact_facets").fetchall()
    )
    # The stream leaves ~10 % below the threshold (`ThemeAssigner.from_fit`); the rest go
    # where the refit put them.
    pairs = [(a.facet_id, stored[r.event.event_id]) for a, r in zip(assigned, rows, strict=True)]
    themed = [(mine, refits) for mine, refits in pairs if mine is not None]
    assert len(themed) >= 0.85 * len(rows)
    assert np.mean([mine == refits for mine, refits in themed]) >= 0.98
    assert model.discovery_model == report.discovered_by == "fake-discovery@v1"


def test_without_a_discovery_encoder_the_stream_discovers_as_before(warehouse, tmp_path):
    writer, _ = warehouse
    report = refit(writer.con, files_with(tmp_path), config=CONFIG)
    model = ThemeModel.load(tmp_path / "themes")
    facets = facet_of_topic(writer.con)
    assert all(facets[a].isdisjoint(facets[b]) for a in TOPICS for b in TOPICS if a < b)
    assert model.discovery_model == report.discovered_by == ""


class StreamVectorsAgain:
    """A discovery encoder that gives each contact the vector the stream gave it."""

    model_id, model_version, dimension = "stream-again", "1", STREAM_DIM

    def __init__(self, rows) -> None:
        self.by_input = {embedding_text(r.event): r.enrichment.embedding for r in rows}

    def encode(self, texts, batch_size: int = 16) -> np.ndarray:
        return np.asarray([self.by_input[t] for t in texts], dtype=np.float32)


def test_discovering_on_the_streams_own_vectors_gives_the_default_partition(tmp_path):
    assignments = []
    for run in ("default", "again"):
        writer = WarehouseWriter(open_warehouse(tmp_path / run / "ledenradar.duckdb"))
        rows = land(writer, 0, 420, np.random.default_rng(0))
        encoder = StreamVectorsAgain(rows) if run == "again" else None
        refit(writer.con, files_with(tmp_path / run, encoder), config=CONFIG)
        assignments.append(
            writer.con.execute(
                "SELECT facet_id FROM core.contact_facets ORDER BY event_id"
            ).fetchall()
        )
    assert assignments[0] == assignments[1]


def test_a_later_refit_embeds_only_contacts_it_has_not_seen(warehouse, tmp_path):
    writer, _ = warehouse
    fake = FakeDiscovery()
    loads = []

    def load():
        loads.append(1)
        return fake

    encoder = CachedDiscoveryEncoder(load, tmp_path / "embedding_cache")
    files = files_with(tmp_path, encoder)
    refit(writer.con, files, config=CONFIG)
    assert len(fake.seen) == encoder.encoded == 420
    refit(writer.con, files, config=CONFIG)
    assert len(fake.seen) == 420, "the second refit found every vector in the cache"
    land(writer, 420, 30, np.random.default_rng(1), days=36)
    refit(writer.con, files, config=CONFIG)
    assert len(fake.seen) == encoder.encoded == 450
    # On disk per model version and text, so a restarted sink finds them too.
    assert (
        EmbeddingCache(tmp_path / "embedding_cache").count(model_key("fake-discovery", "v1")) == 450
    )
    assert len(loads) == 3, "loaded for each refit, not held in between"
    assert ThemeModel.load(files.model_dir).discovery_model == "fake-discovery@v1"


def test_no_discovery_encoder_when_the_setting_is_empty_or_names_the_streams(tmp_path):
    dirs = dict(
        backend="onnx", variant="int8", threads=None, models_dir=tmp_path, cache_root=tmp_path
    )
    assert discovery_encoder("", "multilingual-e5-small", **dirs) is None
    assert discovery_encoder(" e5 ", "multilingual-e5-small", **dirs) is None


def test_a_discovery_model_not_provisioned_stops_the_start_with_what_to_do(tmp_path):
    dirs = dict(backend="onnx", variant="int8", threads=None, cache_root=tmp_path)
    with pytest.raises(DiscoveryModelUnavailable, match="models provision embeddinggemma-300m"):
        discovery_encoder("gemma", "multilingual-e5-small", models_dir=tmp_path, **dirs)
    # Provisioned but never exported for the onnx backend: exporting mid-stream takes minutes.
    (tmp_path / "embeddinggemma-300m").mkdir()
    (tmp_path / "embeddinggemma-300m" / "config.json").write_text("{}")
    (tmp_path / "embeddinggemma-300m" / "model.safetensors").write_bytes(b"weights")
    with pytest.raises(DiscoveryModelUnavailable, match="models onnx embeddinggemma-300m"):
        discovery_encoder("gemma", "multilingual-e5-small", models_dir=tmp_path, **dirs)
    with pytest.raises(DiscoveryModelUnavailable, match="unknown model"):
        discovery_encoder("no-such-model", "multilingual-e5-small", models_dir=tmp_path, **dirs)


def test_the_backfill_command_refuses_to_start_without_the_discovery_model(tmp_path, monkeypatch):
    events = tmp_path / "events.jsonl"
    events.write_text("{}\n")
    monkeypatch.setenv("LEDENRADAR_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LEDENRADAR_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("LEDENRADAR_DISCOVERY_MODEL", "embeddinggemma-300m")
    result = CliRunner().invoke(app, ["backfill", str(events)])
    assert result.exit_code == 2
    assert "LEDENRADAR_DISCOVERY_MODEL" in result.output
    assert not (tmp_path / "data" / "ledenradar.duckdb").exists(), "nothing opened"


def test_a_window_larger_than_the_sample_is_discovered_on_a_sample_and_placed_whole(
    warehouse, tmp_path
):
    writer, rows = warehouse
    fake = FakeDiscovery()
    files = ThemeFiles(
        tmp_path / "themes",
        no_curated_subjects(tmp_path),
        discovery_encoder=fake,
        discovery_sample=120,
    )
    report = refit(writer.con, files, config=CONFIG)

    assert len(fake.seen) == 120, "the encoder embedded the sample only"
    # The sample holds each week its share of the window (35 days: 5 weeks of 84 contacts).
    weeks = writer.con.execute(
        "SELECT c.occurred_week, count(*) FROM core.contacts c GROUP BY 1"
    ).fetchall()
    seen_numbers = [int(text.rsplit("nummer ", 1)[1].rstrip(".")) for text in fake.seen]
    seen_weeks = writer.con.execute(
        "SELECT occurred_week, count(*) FROM core.contacts WHERE event_id IN "
        f"({','.join(repr(f'c{i}') for i in seen_numbers)}) GROUP BY 1"
    ).fetchall()
    assert sorted(n for _, n in seen_weeks) == sorted(round(n * 120 / 420) for _, n in weeks)
    # Every contact of the window has its facet, by the discovery encoder's partition.
    facets = facet_of_topic(writer.con)
    assert facets["pensioen"] == facets["ontslag"]
    assert facets["thuiswerk"].isdisjoint(facets["pensioen"])
    assert report.documents == 420 and report.coverage >= 0.9
    placed = writer.con.execute(
        "SELECT count(*) FROM core.contact_facets WHERE facet_id IS NOT NULL"
    ).fetchone()[0]
    assert placed >= 0.9 * 420
