"""The worked example of docs/adding-a-source.md: a whole source passes the contract."""

from pathlib import Path

from pipeline.sources.letters import LetterSource
from tests.contract.source_contract import SourceContract


def write_letters(folder: Path, letters: dict[str, bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in letters.items():
        (folder / name).write_bytes(content)
    return folder


class TestLetters(SourceContract):
    expected_events = 2
    bad_reasons = {"bad_timestamp", "undecodable"}

    def make_source(self, tmp_path: Path) -> LetterSource:
        letters = {
            "L-0001.txt": b"2026-11-02\nGeachte bond, mijn loon is te laat. Jan, 06-12345678",
            "L-0002.txt": b"2026-11-03\nIk zeg op. Antwoord graag naar jan.jansen@example.nl",
        }
        return LetterSource(path=write_letters(tmp_path / "post", letters))

    def bad_input(self, tmp_path: Path) -> LetterSource:
        letters = {"L-0003.txt": b"gisteren\nHallo", "L-0004.txt": b"2026-11-03\n\xff\xfe kapot"}
        return LetterSource(path=write_letters(tmp_path / "bad", letters))


def test_the_guide_shows_this_very_code() -> None:
    root = Path(__file__).resolve().parents[2]
    guide = (root / "docs" / "adding-a-source.md").read_text(encoding="utf-8")
    for path in ("pipeline/sources/letters.py", "tests/unit/test_sources_letters.py"):
        code = (root / path).read_text(encoding="utf-8").split("\n\n\ndef test_the_guide")[0]
        assert f"```python\n{code.rstrip()}\n```" in guide, f"{path} and the guide differ"
