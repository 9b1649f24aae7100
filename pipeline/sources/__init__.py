"""Stream sources: connectors that turn a channel's own records into ContactEvents.

See `docs/adding-a-source.md`; the contract every source meets is
`tests/contract/source_contract.py`.
"""

from pipeline.sources.base import Source
from pipeline.sources.emit import DeadLettered, Duplicate, Emit, Emitted, Emitter, Outcome
from pipeline.sources.targets import KafkaTarget, MemoryTarget, SentRecord

__all__ = [
    "DeadLettered",
    "Duplicate",
    "Emit",
    "Emitted",
    "Emitter",
    "KafkaTarget",
    "MemoryTarget",
    "Outcome",
    "SentRecord",
    "Source",
]
