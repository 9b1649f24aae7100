"""E-mail bodies to plain text: HTML to text, quoted replies and signatures removed.

Quoted replies repeat earlier messages (often the contact centre's own answer)
and signatures hold names, phone numbers and addresses; neither is what the
member asks, so both go before the text leaves the source.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from pipeline.salutations import SIGN_OFF

_BLOCK_TAGS = frozenset(
    {"p", "br", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol"}
)
_SKIPPED_TAGS = frozenset({"script", "style", "head", "title", "blockquote"})

# "Op ma 2 nov. 2026 om 10:12 schreef Jan <jan@example.nl>:", "On Mon, ... wrote:"
_REPLY_INTRO = re.compile(r"^\s*(op|on)\b.{0,300}\b(schreef|wrote)\b.{0,200}:\s*$", re.I | re.S)
_FORWARD_RULE = re.compile(
    r"^\s*-{2,}\s*(original message|oorspronkelijk bericht|origineel bericht|"
    r"forwarded message|doorgestuurd bericht)\s*-{2,}\s*$",
    re.I,
)
_HEADER_BLOCK_START = re.compile(r"^\s*(van|from)\s*:\s*\S", re.I)
_HEADER_BLOCK_FOLLOW = re.compile(r"^\s*(verzonden|sent|datum|date|aan|to)\s*:", re.I)
_VALEDICTION = re.compile(rf"^\s*(?:{SIGN_OFF})\s*[,.!]?\s*$", re.I)
_SENT_FROM = re.compile(r"^\s*(verzonden (vanaf|met|vanuit)|sent from)\b", re.I)
_SIGNATURE_DELIMITER = re.compile(r"^--\s*$")
# A valediction this close to the end starts the signature; earlier it may be prose.
_SIGNATURE_WINDOW = 12


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Visible text of an HTML body; quoted `<blockquote>` parts are left out."""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    lines = (" ".join(line.split()) for line in "".join(extractor.parts).split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def strip_reply(text: str) -> str:
    """The member's own words: quoted history and the signature removed."""
    lines = text.replace("\r\n", "\n").split("\n")
    kept: list[str] = []
    for index, line in enumerate(lines):
        two_lines = f"{line} {lines[index + 1]}" if index + 1 < len(lines) else line
        if (
            _FORWARD_RULE.match(line)
            or _REPLY_INTRO.match(line)
            or (_REPLY_INTRO.match(two_lines) and _looks_like_intro_start(line))
            or (_HEADER_BLOCK_START.match(line) and _header_block_follows(lines, index))
        ):
            break
        if not line.lstrip().startswith(">"):
            kept.append(line)
    return _strip_signature(kept)


def _looks_like_intro_start(line: str) -> bool:
    return bool(re.match(r"^\s*(op|on)\s", line, re.I))


def _header_block_follows(lines: list[str], index: int) -> bool:
    return any(_HEADER_BLOCK_FOLLOW.match(line) for line in lines[index + 1 : index + 5])


def _strip_signature(lines: list[str]) -> str:
    cut = len(lines)
    for index, line in enumerate(lines):
        if _SIGNATURE_DELIMITER.match(line) or _SENT_FROM.match(line):
            cut = index
            break
    window_start = max(0, cut - _SIGNATURE_WINDOW)
    for index in range(window_start, cut):
        if _VALEDICTION.match(lines[index]):
            cut = index
            break
    return "\n".join(lines[:cut]).strip()
