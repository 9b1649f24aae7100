"""Progress bars for long commands, on stderr so that `--json` and piped output stay clean."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any


@dataclass
class Bar:
    """One task of a rich progress display: `advance` by a step, or `reach` a position."""

    _progress: Any
    _task: Any

    def advance(self, steps: float = 1) -> None:
        self._progress.advance(self._task, steps)

    def reach(self, completed: float, label: str | None = None) -> None:
        if label is None:
            self._progress.update(self._task, completed=completed)
        else:
            self._progress.update(self._task, completed=completed, description=label)


@contextmanager
def progress_bar(label: str, total: float | None) -> Iterator[Bar]:
    """A bar from 0 to `total` (None: unknown, a pulsing bar), with elapsed and remaining time."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True)) as progress:
        yield Bar(progress, progress.add_task(label, total=total))
