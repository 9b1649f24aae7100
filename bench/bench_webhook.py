"""Webhook concurrency: N clients at once against a broker that takes S seconds to acknowledge.

Usage: PYTHONPATH=. .venv/bin/python bench/bench_webhook.py [--clients 20] [--ack-seconds 2]

The broker is simulated (an in-memory target that sleeps before it acknowledges), so
this measures the webhook and the emitter, not Kafka. Requests that waited for each
other would take clients x ack seconds; side by side they take about one ack.
"""

from __future__ import annotations

import argparse
import json
import os
import threading
import time

from pipeline.sources import Emitter, MemoryTarget
from pipeline.sources.webhook import WebhookSource
from tests.contract.samples import TOKEN, chat, post


class SlowAckTarget(MemoryTarget):
    def __init__(self, ack_seconds: float) -> None:
        super().__init__()
        self.ack_seconds = ack_seconds

    def send(self, topic: str, key: str, value: bytes, headers: dict[str, bytes]) -> None:
        time.sleep(self.ack_seconds)
        super().send(topic, key, value, headers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--ack-seconds", type=float, default=2.0)
    args = parser.parse_args()
    source = WebhookSource(clients={"bench": {"token": TOKEN}}, port=0)
    runner = threading.Thread(
        target=source.run,
        args=(Emitter(source.name, SlowAckTarget(args.ack_seconds)),),
        daemon=True,
    )
    runner.start()
    url = source.wait_until_serving()
    statuses: list[int] = []
    calls = [
        threading.Thread(
            target=lambda n=n: statuses.append(post(url, json.dumps(chat(f"b-{n}")).encode())[0])
        )
        for n in range(args.clients)
    ]
    started = time.perf_counter()
    for call in calls:
        call.start()
    for call in calls:
        call.join()
    elapsed = time.perf_counter() - started
    source.stop()
    runner.join(10)
    print(
        f"{args.clients} requests, {args.ack_seconds:g} s ack each: {elapsed:.2f} s wall "
        f"(serialised would be {args.clients * args.ack_seconds:g} s); "
        f"statuses {sorted(set(statuses))}; load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
