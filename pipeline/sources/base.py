"""The `Source` base: a name, a default topic, `run(emit)` and `stop()`.

In the spirit of quix-streams' sources, a connector is one small class. It reads
its own input, builds a dict in ContactEvent v1 shape per record and hands it to
`emit`; validation, the dead-letter queue, de-duplication and Kafka are the
emitter's job (see `pipeline.sources.emit`). A whole source, runnable:

>>> from pipeline.sources import Emitter, MemoryTarget, Source
>>> class Greetings(Source):
...     name = "greetings"
...
...     def run(self, emit):
...         for number, text in enumerate(["Hoi, mijn loon is te laat.", "Dank!"]):
...             if self.stopped:
...                 return
...             emit(
...                 {
...                     "event_id": self.event_id(str(number)),
...                     "occurred_at": "2026-11-02T09:00:00+01:00",
...                     "channel": "chat",
...                     "text": text,
...                 },
...                 ref=str(number),
...             )
>>> target = MemoryTarget()
>>> Greetings().run(Emitter("greetings", target))
>>> [(record.topic, record.key) for record in target.records]  # doctest: +NORMALIZE_WHITESPACE
[('contact.raw', 'greetings:5feceb66ffc86f38d952786c'),
 ('contact.raw', 'greetings:6b86b273ff34fce19d6b804e')]
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from typing import Any, ClassVar, Self

from pipeline.kafka_topics import RAW
from pipeline.sources.emit import Emit

_ID_DIGEST_CHARS = 24


class Source:
    """Base class of every connector; subclasses set `name` and implement `run`.

    `run(emit)` returns when the input is exhausted, or, with `follow=True`, keeps
    polling for new input every `poll_interval` seconds until `stop()` is called.
    `stop()` may be called from any thread (or a signal handler) and never blocks.
    """

    name: ClassVar[str] = "source"
    default_topic: ClassVar[str] = RAW
    # Sources that read the same records another way share ids (IMAP and Maildir: "email").
    id_namespace: ClassVar[str | None] = None
    # True where a caller waits on each record (the webhook): the emitter then waits for Kafka's ack.
    acknowledge_each: ClassVar[bool] = False

    def __init__(self, *, follow: bool = False, poll_interval: float = 5.0) -> None:
        self.follow = follow
        self.poll_interval = poll_interval
        self._stopping = threading.Event()

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Self:
        """Build the source from its YAML configuration (keyword arguments by default)."""
        return cls(**config)

    def run(self, emit: Emit) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        self._stopping.set()

    @property
    def stopped(self) -> bool:
        return self._stopping.is_set()

    def passes(self) -> Iterator[int]:
        """Yield once, or, when following, once per poll interval until stopped."""
        number = 0
        while not self.stopped:
            yield number
            number += 1
            if not self.follow or self._stopping.wait(self.poll_interval):
                return

    def event_id(self, own_id: str) -> str:
        """A stable event id from the source's own id (Message-ID, dossier id, call id).

        Hashed, so an id that contains personal data (an address in a Message-ID)
        never travels further than the source, and any id fits the schema's pattern.
        """
        digest = hashlib.sha256(own_id.encode("utf-8")).hexdigest()[:_ID_DIGEST_CHARS]
        return f"{self.id_namespace or self.name}:{digest}"
