"""A refit's time on a landed warehouse, with the discovery encoder the settings name.

    LEDENRADAR_DATA_DIR=D [LEDENRADAR_DISCOVERY_MODEL=embeddinggemma-300m] \
        PYTHONPATH=. nice -n 10 .venv/bin/python bench/bench_refit_discovery.py [--runs 2]

Opens D's warehouse as `ledenradar backfill` does (the same theme files, phrase encoder and
discovery encoder, from the settings) and runs the refit on the window up to the last day
`--runs` times, printing each one's wall and CPU time and how many texts the discovery
encoder embedded itself (the others came from the embedding cache under D). The first run
is cold only when D's cache holds none of the window's texts. One run, not a test: on a
shared machine the CPU-seconds are the steadier figure.
"""

from __future__ import annotations

import argparse
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()

    from pipeline.backfill import open_for_backfill
    from pipeline.settings import Settings
    from pipeline.themes.refit import refit

    settings = Settings.load()
    writer, _, schedule = open_for_backfill(settings)
    files = schedule.files
    encoder = files.discovery_encoder
    print(f"discovery model setting: {settings.discovery_model or '(the stream encoder)'}")
    for run in range(1, args.runs + 1):
        before = encoder.encoded if encoder else 0
        wall, cpu = time.perf_counter(), time.process_time()
        report = refit(writer.con, files)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        embedded = (encoder.encoded - before) if encoder else 0
        print(
            f"refit {run}: {report.documents} contacts, {report.facets} facets, "
            f"{report.themes} themes, coverage {report.coverage:.3f}, "
            f"discovered by {report.discovered_by or 'the stream encoder'}; "
            f"{embedded} texts embedded by the discovery encoder; "
            f"{wall:.1f} s wall, {cpu:.1f} CPU-s"
        )


if __name__ == "__main__":
    main()
