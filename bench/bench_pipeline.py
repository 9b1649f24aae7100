"""End-to-end pipeline benchmark on this machine, all numbers from one run.

    .venv/bin/python bench/bench_pipeline.py [--events 3000] [--model minilm|multilingual-e5-small]
        [--encoders onnx:int8,torch:fp32] [--baseline REV]

Each encoder (backend:variant) goes through steps 1-4 in turn, in the same run, and the
table puts them side by side:

1. Raw encode throughput of the model on the simulator's texts (the ceiling), encoded as
   the worker encodes them (micro-batches, then sub-batches).
2. End-to-end throughput: N simulated contacts produced to Kafka, through the faust
   worker (validate, redact, embed, assign) into DuckDB by the sink; the ratio to (1).
3. Latency at a steady 50 events/s (the goal) and at half the end-to-end rate just
   measured: produce time → the contact is counted in the analysts' snapshot (refreshed
   every second); p50 and p95. The k-th produced contact counts as queryable when the
   snapshot holds at least k contacts, as seen by a poller running while producing.
4. RSS of the worker process at the end, and its peak (VmRSS, VmHWM); and its anonymous
   part (RssAnon): what each further worker on the machine adds, as library code is shared.
5. DuckDB sink: rows/s of `WarehouseWriter.land` on enriched batches, without Kafka.
Prints a markdown table. On a shared 2-core machine numbers are noisy: run it alone.

`--baseline REV` runs steps 1-4 twice per encoder, first with the broker, worker and sink of
commit REV (unpacked with `git archive`, each started with that tree on PYTHONPATH), then with
this tree's: old and new side by side in one run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from datetime import date
from io import BytesIO
from itertools import islice
from pathlib import Path

import duckdb
import numpy as np

from pipeline.content import embedding_text
from pipeline.contract.dead_letter import Origin
from pipeline.contract.enriched import Enrichment
from pipeline.enrich import redact_event
from pipeline.kafka_broker import KafkaBroker, free_port
from pipeline.kafka_topics import RAW, ensure_topics
from pipeline.normalise import accept
from pipeline.producer import EventProducer
from pipeline.redaction import Redactor
from pipeline.settings import Settings
from pipeline.simulator.generator import simulate
from pipeline.warehouse.database import open_warehouse
from pipeline.warehouse.writer import LandedContact, WarehouseWriter

# Not the console script (its interpreter path may name a deleted checkout) and not `-m
# pipeline`: a --baseline tree may predate pipeline/__main__.py.
CLI = [sys.executable, "-c", "from pipeline.cli import app; app()"]
ROOT = Path(__file__).resolve().parents[1]


def events(n: int, seed: int) -> list[dict]:
    return [e for e, _ in islice(simulate("baseline", date(2026, 3, 2), 30, seed), n)]


def landed(snapshot: Path) -> int:
    if not snapshot.exists():
        return 0
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        return con.execute("SELECT contacts FROM ops.landed").fetchone()[0]
    finally:
        con.close()


def rss_mib(pid: int, field: str) -> float:
    """VmHWM (peak), VmRSS (now) or RssAnon (now, without shared library pages), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def encode_rate(
    model: str, backend: str, variant: str, threads: int, texts: list[str]
) -> tuple[float, float]:
    """The encoder alone, encoding exactly as the worker does: the texts in arrival order,
    in micro-batches of `enrich_batch_size`, each in sub-batches of `encode_batch_size`
    (sorted by length inside the micro-batch). Sorting all texts at once would pad less
    than the worker can, and the worker's CPU minus this would no longer be its own work
    besides encoding. (contacts/s, CPU-s per 1,000)"""
    from models.embedder import load_encoder

    settings = Settings.load()
    embedder = load_encoder(
        model,
        backend,
        variant,
        threads=threads or None,
        models_dir=settings.models_dir,
    )
    embedder.encode(texts[:64], batch_size=settings.encode_batch_size)
    size = settings.enrich_batch_size
    started, cpu = time.perf_counter(), time.process_time()
    for start in range(0, len(texts), size):
        embedder.encode(texts[start : start + size], batch_size=settings.encode_batch_size)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    return len(texts) / elapsed, cpu / len(texts) * 1000


def sink_rate(batch: list[dict], dim: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        writer = WarehouseWriter(open_warehouse(Path(tmp) / "w.duckdb"))
        rows = [
            LandedContact(
                accept(json.dumps(e).encode()).event,
                Origin("bench", 0, i),
                100,
                Enrichment(
                    1, np.random.default_rng(i).random(dim, dtype=np.float32), "m", None, 0.0
                ),
            )
            for i, e in enumerate(batch)
        ]
        started = time.perf_counter()
        for start in range(0, len(rows), 1000):
            writer.land(rows[start : start + 1000], [], {})
        return len(rows) / (time.perf_counter() - started)


def checkout(rev: str, into: Path) -> Path:
    """The tree of commit `rev`, unpacked under `into` (git archive: no checkout)."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev], check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


class Pipeline:
    """Broker, worker and sink of the code in `tree`: each started by that tree's code."""

    def __init__(
        self, home: Path, model: str, backend: str, variant: str, threads: int, tree: Path
    ) -> None:
        self.home = home
        settings = Settings.load()
        self.broker = KafkaBroker(home / "kafka", settings.cache_dir, port=free_port())
        # The tree's own launcher starts the broker (its settings are part of what is
        # compared); this process then finds it running and only talks to it and stops it.
        start = "import sys; from pathlib import Path; from pipeline.kafka_broker import "
        start += "KafkaBroker; KafkaBroker(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])).start()"
        subprocess.run(
            [
                sys.executable,
                "-c",
                start,
                str(self.broker.home),
                str(self.broker.cache_dir),
                str(self.broker.port),
            ],
            env={**os.environ, "PYTHONPATH": str(tree)},
            check=True,
        )
        self.broker.start()
        ensure_topics(self.broker.bootstrap)
        self.env = {
            **os.environ,
            "LEDENRADAR_DATA_DIR": str(home / "data"),
            "LEDENRADAR_KAFKA_BOOTSTRAP": self.broker.bootstrap,
            "LEDENRADAR_EMBEDDING_MODEL": model,
            "LEDENRADAR_EMBEDDING_BACKEND": backend,
            "LEDENRADAR_EMBEDDING_VARIANT": variant,
            "LEDENRADAR_ENCODE_THREADS": str(threads),
            "HF_HUB_OFFLINE": "1",
            "PYTHONPATH": str(tree),
        }
        self.snapshot = home / "data" / "snapshot" / "ledenradar.duckdb"
        log = open(home / "worker.log", "wb")  # noqa: SIM115 - lives as long as the worker
        self.worker = subprocess.Popen(
            [*CLI, "worker"], env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        self.sink = subprocess.Popen(
            [*CLI, "sink", "--no-themes", "--snapshot-every", "1"],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )

    def cpu_seconds(self) -> dict[str, float]:
        pids = {"worker": self.worker.pid, "sink": self.sink.pid, "broker": self.broker.pid()}
        return {name: cpu_seconds(pid) for name, pid in pids.items() if pid}

    def wait_landed(self, n: int, timeout: float = 1800) -> float:
        deadline = time.monotonic() + timeout
        while landed(self.snapshot) < n:
            if time.monotonic() > deadline:
                raise TimeoutError(f"only {landed(self.snapshot)} of {n} landed")
            time.sleep(0.1)
        return time.monotonic()

    def latencies(self, rate: int, seconds: int, seed: int) -> np.ndarray:
        """Produce at a steady `rate` while a poller notes when the snapshot's count rises;
        the k-th contact is queryable once the count reaches it."""
        steady = events(rate * seconds, seed=seed)
        base = landed(self.snapshot)
        seen: list[tuple[float, int]] = []
        done = threading.Event()

        def poll() -> None:
            while not done.is_set():
                seen.append((time.monotonic(), landed(self.snapshot)))
                time.sleep(0.05)

        poller = threading.Thread(target=poll, daemon=True)
        poller.start()
        produced_at = []
        with EventProducer(self.broker.bootstrap) as producer:
            t0 = time.monotonic()
            for k, e in enumerate(steady):
                time.sleep(max(0.0, t0 + k / rate - time.monotonic()))
                producer.send_json(RAW, e, key=e["event_id"])
                producer.flush()
                produced_at.append(time.monotonic())
        self.wait_landed(base + len(steady))
        done.set()
        poller.join()
        times = np.array([t for t, _ in seen] + [time.monotonic()])
        counts = np.maximum.accumulate(np.array([c for _, c in seen] + [base + len(steady)]))
        seen_at = times[np.searchsorted(counts, base + np.arange(1, len(steady) + 1))]
        return seen_at - np.array(produced_at)

    def close(self) -> None:
        for process in (self.worker, self.sink):
            process.terminate()
            process.wait(60)
        self.broker.stop()


def measure(
    args: argparse.Namespace,
    backend: str,
    variant: str,
    threads: int,
    texts: list[str],
    tree: Path = ROOT,
) -> dict:
    raw, raw_cpu = encode_rate(args.model, backend, variant, threads, texts)
    sample = events(args.events, seed=1)
    with tempfile.TemporaryDirectory() as tmp:
        pipeline = Pipeline(Path(tmp), args.model, backend, variant, threads, tree)
        try:
            warm = events(200, seed=2)
            with EventProducer(pipeline.broker.bootstrap) as producer:
                for e in warm:
                    producer.send_json(RAW, e, key=e["event_id"])
            pipeline.wait_landed(len(warm))  # model loaded, partitions assigned
            started = time.monotonic()
            cpu_before = pipeline.cpu_seconds()
            with EventProducer(pipeline.broker.bootstrap) as producer:
                for e in sample:
                    producer.send_json(RAW, e, key=e["event_id"])
            done = pipeline.wait_landed(len(warm) + len(sample))
            e2e = len(sample) / (done - started)
            cpu = {
                name: (after - cpu_before[name]) / len(sample) * 1000
                for name, after in pipeline.cpu_seconds().items()
            }
            # The goal's rate, then half of what this machine just sustained end to end.
            sustainable = round(e2e / 2)
            at_goal = pipeline.latencies(50, args.latency_seconds, seed=3)
            at_half = pipeline.latencies(sustainable, args.latency_seconds, seed=5)
            rss = {field: rss_mib(pipeline.worker.pid, field) for field in RSS_FIELDS}
        finally:
            pipeline.close()
    return {
        "raw": raw,
        "raw_cpu": raw_cpu,
        "e2e": e2e,
        # A list, not a dict: at 100/s end to end half the rate is the goal's 50/s again.
        "latency": [(50, at_goal), (sustainable, at_half)],
        "rss": rss,
        "cpu": cpu,
        "load": os.getloadavg()[1],  # 5-minute average: other work skews everything
    }


RSS_FIELDS = ("VmRSS", "VmHWM", "RssAnon")


def overhead(r: dict) -> float:
    """CPU-s per 1,000 contacts spent on everything but encoding. Fair only because the
    encoder alone encodes as the worker does (`encode_rate`)."""
    cpu = r["cpu"]
    return cpu["worker"] - r["raw_cpu"] + cpu["sink"] + cpu["broker"]


def table(model: str, n: int, results: dict[str, dict], sink_rows: float) -> str:
    names = list(results)
    rows = [
        ("raw encode (same texts, encoder alone)", lambda r: f"{r['raw']:.0f}/s"),
        ("end to end through Kafka, worker, sink", lambda r: f"{r['e2e']:.0f}/s"),
        ("ratio end-to-end / raw encode (goal ≥ 0.70)", lambda r: f"{r['e2e'] / r['raw']:.2f}"),
    ]
    for slot in range(2):

        def latency(r: dict, slot: int = slot) -> str:
            rate, values = r["latency"][slot]
            p50, p95 = np.percentile(values, [50, 95])
            return f"{p50:.1f} / {p95:.1f} s at {rate}/s"

        label = "at 50/s (goal p95 ≤ 5 s)" if slot == 0 else "at half the end-to-end rate"
        rows.append((f"latency produce → queryable, p50 / p95, {label}", latency))
    rows += [
        (
            "worker RSS at the end / peak (goal ≤ 1.5 GB)",
            lambda r: "{VmRSS:.0f} / {VmHWM:.0f} MiB".format(**r["rss"]),
        ),
        (
            "worker RSS without shared library pages",
            lambda r: "{RssAnon:.0f} MiB".format(**r["rss"]),
        ),
        (
            "CPU-seconds per 1,000 contacts: encoder alone; end to end worker / sink / broker",
            lambda r: (
                f"{r['raw_cpu']:.1f}; "
                + " / ".join(f"{r['cpu'][name]:.1f}" for name in ("worker", "sink", "broker"))
            ),
        ),
        (
            "CPU-s per 1,000 besides encoding: worker − encoder alone + sink + broker; "
            "/ encoder alone (goal ≤ 0.33)",
            lambda r: f"{overhead(r):.1f}; {overhead(r) / r['raw_cpu']:.2f}",
        ),
        ("machine load average (5 min) after the run", lambda r: f"{r['load']:.1f}"),
    ]
    lines = [
        f"| {model}, {n} contacts | " + " | ".join(names) + " |",
        "|---" * (len(names) + 1) + "|",
    ]
    lines += [
        f"| {label} | " + " | ".join(cell(results[name]) for name in names) + " |"
        for label, cell in rows
    ]
    lines.append(
        f"| DuckDB sink (land, 1000-row batches) | {sink_rows:.0f} rows/s |"
        + " |" * (len(names) - 1)
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=3000)
    parser.add_argument("--model", default="multilingual-e5-small")
    parser.add_argument(
        "--encoders",
        default="onnx:int8,torch:fp32",
        help="comma-separated BACKEND:VARIANT[:WORKER_THREADS], measured one after the other "
        "in this run; the encoder alone uses the same threads as the worker (default 0: "
        "every core)",
    )
    parser.add_argument("--latency-seconds", type=int, default=60)
    parser.add_argument(
        "--baseline",
        help="also run broker, worker and sink of this commit (git archive), before this "
        "tree's, each encoder spec; the encoder alone always runs this tree's models/",
    )
    args = parser.parse_args()

    redactor = Redactor()
    sample = events(args.events, seed=1)
    # What the worker encodes: the embedding text of the redacted event.
    texts = [
        embedding_text(redact_event(redactor, accept(json.dumps(e).encode()).event)[0])
        for e in sample
    ]
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        trees = (
            {f" at {args.baseline}": checkout(args.baseline, Path(tmp))} if args.baseline else {}
        )
        trees[", this tree" if args.baseline else ""] = ROOT
        for spec in args.encoders.split(","):
            backend, variant, *threads = spec.split(":")
            for name, tree in trees.items():
                results[spec + name] = measure(
                    args, backend, variant, int(threads[0]) if threads else 0, texts, tree
                )
    sink_rows = sink_rate(events(20000, seed=4), 384)
    print()
    print(table(args.model, args.events, results, sink_rows))


if __name__ == "__main__":
    main()
