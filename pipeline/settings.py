"""One settings object for the whole pipeline.

Values come from, in rising priority: defaults, an optional TOML file
(`ledenradar.toml` in the working directory or `LEDENRADAR_CONFIG`), and
`LEDENRADAR_*` environment variables (e.g. `LEDENRADAR_DATA_DIR`).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any


def _default_cache_dir() -> Path:
    return Path(os.environ.get("LEDENRADAR_CACHE", Path.home() / ".cache" / "ledenradar"))


@dataclass(frozen=True)
class Settings:
    """Runtime configuration; construct with `Settings.load()`."""

    data_dir: Path = Path("data")
    # Shared across clones: virtualenv, Kafka jars, provisioned models.
    cache_dir: Path = field(default_factory=_default_cache_dir)
    kafka_bootstrap: str = "127.0.0.1:9092"
    # Faust application id, which is also the consumer group of the worker.
    app_id: str = "ledenradar"
    kafka_port: int = 9092
    # How the clients reach Kafka (pipeline/kafka_security.py): PLAINTEXT on the compose
    # network; SASL_SSL (or SSL) in production, with the union's CA and a user per service.
    kafka_security_protocol: str = "PLAINTEXT"
    kafka_sasl_mechanism: str = "SCRAM-SHA-512"
    kafka_sasl_username: str = ""
    # Set through LEDENRADAR_KAFKA_SASL_PASSWORD, never in a file.
    kafka_sasl_password: str = field(default="", repr=False)
    kafka_ca_file: str = ""
    max_text_bytes: int = 64 * 1024
    embedding_model: str = "multilingual-e5-small"
    # "onnx" runs the exported model in ONNX Runtime without torch (less memory, faster on
    # CPU); "torch" is sentence-transformers itself, and the only one for CUDA.
    embedding_backend: str = "onnx"
    # "int8" quantises the encoder's weights: onnx 2x the speed of fp32 on CPU, cosine 0.997
    # to fp32. Themes are tied to the variant (it is part of the model version), so switch
    # with a refit.
    embedding_variant: str = "int8"
    # The encoder that discovers themes at a refit; empty: the stream's encoder above. The
    # stream always assigns with the encoder above: another discovery encoder's facets are
    # re-expressed in its space. `embeddinggemma-300m` opts in to EmbeddingGemma when
    # provisioned and exported (same backend and variant as above); a sink or backfill
    # refuses to start without it (docs/models.md, "Roles: who discovers, who assigns").
    discovery_model: str = ""
    # Group facets into themes by their words and centroids (`topics.tree`); off makes every
    # facet a theme of its own. On: the demo's 62 themes became 31 for 35 subjects, ARI 0.38
    # -> 0.78, no false alert in 62 days (docs/themes.md, "The tree in the stream").
    theme_tree: bool = True
    # Threads for the onnx encoder; 0 uses every core.
    encode_threads: int = 0
    # Micro-batches for the encoder: up to this many events, or whatever came within the wait.
    enrich_batch_size: int = 64
    enrich_within_s: float = 1.0
    # The encoder pads every text of a batch to the longest one; it sorts a micro-batch by
    # length and runs it in sub-batches this small, so short chats do not pay for long mails.
    # 6 rather than 16: a sorted micro-batch of 64 then costs what the whole sorted stream
    # costs, 3-4 CPU-s per 1,000 contacts less (docs/performance.md, "The CPU bench target").
    encode_batch_size: int = 6
    staging_retention_days: int = 90
    # The disclosure threshold is not a setting: it is the union's rule, in one place,
    # pipeline/disclosure.py (MIN_CELL_SIZE), used by the marts and every output.
    # Set when the dashboard is served over HTTPS (e.g. behind a TLS-terminating proxy):
    # its session cookie then carries the Secure flag and never travels over plain HTTP.
    dashboard_secure_cookies: bool = False

    @property
    def duckdb_path(self) -> Path:
        return self.data_dir / "ledenradar.duckdb"

    @property
    def snapshot_path(self) -> Path:
        """The analysts' read-only copy of the marts, published by the sink."""
        return self.data_dir / "snapshot" / "ledenradar.duckdb"

    @property
    def themes_dir(self) -> Path:
        return self.data_dir / "themes"

    @property
    def embedding_cache_dir(self) -> Path:
        return self.data_dir / "embedding_cache"

    @property
    def models_dir(self) -> Path:
        return self.cache_dir / "models"

    @classmethod
    def load(cls, config_file: Path | None = None, **overrides: Any) -> Settings:
        values: dict[str, Any] = {}
        path = config_file or Path(os.environ.get("LEDENRADAR_CONFIG", "ledenradar.toml"))
        if path.is_file():
            values.update(tomllib.loads(path.read_text(encoding="utf-8")))
        for f in fields(cls):
            env = os.environ.get(f"LEDENRADAR_{f.name.upper()}")
            if env is not None:
                values[f.name] = env
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = cls()
        coerced = {}
        for f in fields(cls):
            if f.name in values:
                default = getattr(settings, f.name)
                coerced[f.name] = _coerce(f.name, default, values[f.name])
        unknown = set(values) - {f.name for f in fields(cls)}
        if unknown:
            raise ValueError(f"unknown settings: {', '.join(sorted(unknown))}")
        return replace(settings, **coerced)


_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off", ""}


def _coerce(name: str, default: Any, value: Any) -> Any:
    """A value from TOML or the environment as the type of its default.

    A flag from the environment is text, and bool("false") is True: flags are parsed.
    """
    if isinstance(default, bool) and isinstance(value, str):
        text = value.strip().lower()
        if text not in _TRUE | _FALSE:
            raise ValueError(f"setting {name}: {value!r} is not true/false, yes/no, on/off, 1/0")
        return text in _TRUE
    return type(default)(value)
