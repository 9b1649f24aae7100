"""Person names: a Dutch name gazetteer plus the contexts in which members write names.

A capitalised word is a name when the gazetteer knows it as a first name and it is not
at a sentence start (where Dutch capitalises any word), or when a context says a name
follows: a title ("mevrouw De Vries"), an introduction ("mijn naam is"), a greeting,
a signature after a closing line, a form field ("Naam:"), a mail header ("Van:",
"schreef ... :"), or a transcript speaker label. Around that word the phrase grows
over initials, further first names, tussenvoegsels and surnames.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from pipeline.redaction.gazetteer import Gazetteer
from pipeline.redaction.spans import Span

_TOKEN = re.compile(r"(?:[A-Z]\.){1,4}(?!\w)|'t\b|[^\W\d_]+(?:['’\-][^\W\d_]+)*")

# Contexts, as regexes over the text just before a candidate phrase.
_FILLERS = r"(?:,? (?:eh|ehm|uh|uhm|nou|dus)\b,?)*"  # hesitations in phone transcripts
_TITLE = re.compile(
    r"\b(?:meneer|mevrouw|mevr\.?|mw\.?|dhr\.?|de heer|heer|mijnheer|juffrouw|mr\.|mej\.?)\s+$",
    re.IGNORECASE,
)
_STRONG_INTRO = re.compile(
    rf"(?:\b(?:mijn|m'n){_FILLERS} naam{_FILLERS} is{_FILLERS}|\bik heet|\bmy name is|\bu spreekt met"
    r"|\bje spreekt met)\s+$",
    re.IGNORECASE,
)
_INTRO = re.compile(
    r"(?:\b(?:ik ben|i am|this is|namens|collega|leidinggevende|teamleider|directeur|manager"
    r"|vader|moeder|zoon|dochter|vrouw|man|partner|broer|zus|gesproken met|hier is|aan)"
    r"|(?:^|[.,!?:]|\b(?:ja|hallo|hoi|goedemorgen|goedemiddag|goedenavond|goedendag|goeiedag))"
    r"[ \t]*met)\s+$",
    re.IGNORECASE | re.MULTILINE,
)
_GREETING = re.compile(
    r"(?:^|[.!?]\s)[ \t>]*(?:beste|geachte|hoi|hallo|hey|hi|dag|lieve|dear|beste collega)[ \t]+$",
    re.IGNORECASE | re.MULTILINE,
)
_CLOSING = re.compile(
    r"^[ \t>]*(?:met vriendelijke groet(?:en)?|vriendelijke groet(?:en)?|hartelijke groet(?:en)?"
    r"|met groet|groet(?:en|jes)?|groeten uit [^\n,]+|mvg|m\.vr\.gr\.|hoogachtend|liefs"
    r"|(?:best|kind)? ?regards|saludos|dank(?: je| u)?(?: wel)?|bedankt)"
    r"[ \t]*[,.!]?[ \t]*(?:\n[ \t]*(?:>[ \t]*)?\n?)?[ \t>]*\Z",
    re.IGNORECASE | re.MULTILINE,
)
_FIELD = re.compile(
    r"^[ \t>]*(?:naam(?: lid| melder| gezinslid| overleden lid)?|voornaam|achternaam"
    r"|contactpersoon|name)[ \t]*:[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_HEADER = re.compile(
    r"(?:^[ \t>]*(?:van|aan|from|to|cc)[ \t]*:|\bschreef|\bheeft|\bwrote)[ \t]+$",
    re.IGNORECASE | re.MULTILINE,
)
_HEADER_END = re.compile(r"\s*(?:<|\[|:|\(|$)", re.MULTILINE)
_ORGANISATION = re.compile(
    r"(?:\bbij|\bwerkgever(?:\s+is)?:?|\bfirma|\bbedrijf|\bwerk(?:t|en)?\s+voor|\bsupermarkt"
    r"|\bdoor|\bnaar)\s+$",
    re.IGNORECASE,
)
_LOWERCASE_INTRO = re.compile(r"\b(?:mijn naam is|ik ben|ik heet)[ \t]+(?=[a-z])", re.IGNORECASE)
_SPEAKER = re.compile(r"^[ \t]*([A-Z][\w'-]+(?: [A-Z][\w'-]+)?)[ \t]*:", re.MULTILINE)
_SENTENCE_START = re.compile(r"(?:^[\s>]*|[.!?:;\"“(]\s*|\n[\s>]*|^\s*-\s*)$")
_LEFT_WINDOW = 40


@dataclass
class _Token:
    text: str
    start: int
    end: int

    @property
    def is_initials(self) -> bool:
        return self.text.endswith(".") and self.text[0].isupper()

    @property
    def is_titlecase(self) -> bool:
        return self.text[0].isupper() and (len(self.text) == 1 or not self.text.isupper())


class NameDetector:
    def __init__(self, gazetteer: Gazetteer) -> None:
        self._gaz = gazetteer

    def find(self, text: str) -> list[Span]:
        tokens = [_Token(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]
        speakers = self._speaker_labels(text)
        spans = []
        for index, token in enumerate(tokens):
            left = text[max(0, token.start - _LEFT_WINDOW) : token.start]
            line_left = left.rsplit("\n", 1)[-1] if "\n" in left else left
            context = self._context(text, token, left, line_left, speakers)
            span = self._phrase(text, tokens, index, context)
            if span is not None:
                spans.append(span)
        spans.extend(self._lowercase_introductions(text))
        spans.extend(self._repeat_mentions(text, spans))
        return spans

    def _lowercase_introductions(self, text: str) -> Iterator[Span]:
        """Chat often has no capitals at all: "ik ben jan de vries"."""
        for intro in _LOWERCASE_INTRO.finditer(text):
            words = list(re.finditer(r"[a-zà-ÿ'-]+", text[intro.end() : intro.end() + 40]))
            if not words or not self._is_plain_first_name(words[0].group(0).capitalize()):
                continue
            end = words[0].end()
            rest = [w.group(0) for w in words[1:4]]
            for length in (2, 1):
                interfix = " ".join(rest[:length])
                if interfix in self._gaz.interfixes and len(rest) > length:
                    if self._gaz.is_surname(rest[length].capitalize()):
                        end = words[length + 1].end()
                    break
            else:
                if rest and self._gaz.is_surname(rest[0].capitalize()):
                    end = words[1].end()
            yield Span(intro.end() + words[0].start(), intro.end() + end, "NAAM")

    def _is_plain_first_name(self, word: str) -> bool:
        return self._gaz.is_first_name(word) and not self._gaz.is_common_word(word)

    def _repeat_mentions(self, text: str, found: list[Span]) -> Iterator[Span]:
        """Once "Thijs van Beek" is a name, "Van Beek" later in the message is too."""
        forms = set()
        for span in found:
            words = text[span.start : span.end].split(" ")
            forms.add(" ".join(words))
            if len(words) > 1 and self._gaz.is_first_name(words[0]):
                if not self._gaz.is_common_word(words[0]):
                    forms.add(words[0])
                surname = " ".join(words[1:])
                if not self._gaz.is_common_word(surname) and surname not in self._gaz.places:
                    forms.add(surname)
        for form in forms:
            if len(form) < 3:
                continue
            head, tail = form[0], re.escape(form[1:])
            pattern = rf"(?<![\w-])[{head.upper()}{head.lower()}]{tail}(?![\w-])"
            for match in re.finditer(pattern, text):
                yield Span(match.start(), match.end(), "NAAM")

    def _context(
        self, text: str, token: _Token, left: str, line_left: str, speakers: set[int]
    ) -> str | None:
        if token.start in speakers:
            return "strong"
        if _TITLE.search(line_left):
            return "title"
        if _STRONG_INTRO.search(line_left) or _FIELD.search(line_left):
            return "strong"
        if _CLOSING.search(text, max(0, token.start - 80), token.start):
            return "signature"
        if _HEADER.search(line_left):
            header_end = self._header_phrase_end(text, token.start)
            return "medium" if header_end else None
        if _GREETING.search(line_left) or _INTRO.search(line_left):
            return "medium"
        return None

    def _inside_organisation_name(self, text: str, first: _Token) -> bool:
        """ "Papierfabriek De Maas", "Bouwmarkt Klusmaat": a capitalised non-name word
        right before the phrase makes it part of a company name."""
        before = re.search(r"([^\W\d_][\w'-]*) $", text[max(0, first.start - 40) : first.start])
        if before is None:
            return False
        word = before.group(1)
        if not word[0].isupper() or word.lower() in self._gaz.interfixes:
            return False
        if self._gaz.is_common_word(word):  # "Beste Tim", "Hoi Tim"
            return False
        if self._gaz.is_first_name(word) or self._gaz.is_surname(word):
            return False
        return not _SENTENCE_START.search(
            text[max(0, first.start - 80) : before.start() + max(0, first.start - 40)]
        )

    def _header_phrase_end(self, text: str, start: int) -> bool:
        match = re.match(r"[^\n<\[:(]{1,60}", text[start:])
        return bool(match and _HEADER_END.match(text, start + match.end()))

    def _speaker_labels(self, text: str) -> set[int]:
        """Offsets of transcript speaker labels that are names ("Karin:", not "Lid:")."""
        labels = list(_SPEAKER.finditer(text))
        counts = Counter(m.group(1) for m in labels)
        starts = set()
        for match in labels:
            label = match.group(1)
            first = label.split(" ")[0]
            if self._gaz.is_common_word(first):
                continue
            if (self._gaz.is_first_name(first) and counts[label] >= 1 and " " not in label) or (
                counts[label] >= 2 and first in self._gaz.first_names
            ):
                starts.add(match.start(1))
        return starts

    def _phrase(
        self, text: str, tokens: list[_Token], index: int, context: str | None
    ) -> Span | None:
        end_index = self._extend(text, tokens, index)
        if end_index is None:
            return None
        phrase = tokens[index : end_index + 1]
        if not self._accept(text, phrase, context):
            return None
        return Span(phrase[0].start, phrase[-1].end, "NAAM")

    def _extend(self, text: str, tokens: list[_Token], index: int) -> int | None:
        """Index of the last token of the name phrase starting at `index`, or None."""
        last_content = None
        position = index
        while position < len(tokens) and position - index < 7:
            token = tokens[position]
            if position > index and not _joined(text, tokens[position - 1], token):
                break
            if self._is_interfix_at(tokens, position):
                position += self._interfix_length(tokens, position)
                continue
            if token.is_initials or (token.is_titlecase and _is_name_part(token)):
                if position > index and last_content is not None and self._stops_phrase(token):
                    break
                last_content = position
                position += 1
                continue
            break
        return last_content

    def _stops_phrase(self, token: _Token) -> bool:
        word = token.text
        if self._gaz.is_surname(word) or self._gaz.is_first_name(word):
            return False
        return self._gaz.is_common_word(word) or word in self._gaz.places

    def _is_interfix_at(self, tokens: list[_Token], position: int) -> bool:
        return self._interfix_length(tokens, position) > 0

    def _interfix_length(self, tokens: list[_Token], position: int) -> int:
        for length in (3, 2, 1):
            words = " ".join(t.text.lower() for t in tokens[position : position + length])
            if (
                len(tokens[position : position + length]) == length
                and words in self._gaz.interfixes
            ):
                # a tussenvoegsel only counts when a capitalised surname follows it
                after = position + length
                if after < len(tokens) and tokens[after].is_titlecase:
                    return length
        return 0

    def _accept(self, text: str, phrase: list[_Token], context: str | None) -> bool:
        words = [t for t in phrase if t.text.lower() not in self._gaz.interfixes]
        if not words:
            return False
        head = words[0]
        known_first = self._gaz.is_first_name(head.text) and not self._gaz.is_common_word(head.text)
        known_any = known_first or self._gaz.is_surname(head.text) or head.is_initials
        left = text[max(0, phrase[0].start - _LEFT_WINDOW) : phrase[0].start]
        surname_form = phrase[0] is not head  # "Van der Meer": a tussenvoegsel leads
        if context == "title":
            return True  # "mevrouw Kok": after a title even a common word is a surname
        if context == "strong":
            return surname_form or not self._gaz.is_common_word(head.text) or len(words) > 1
        if self._inside_organisation_name(text, phrase[0]):
            return False
        if context == "signature":
            line_end = text.find("\n", phrase[-1].end)
            rest = text[phrase[-1].end : line_end if line_end >= 0 else len(text)].strip()
            whole_line = rest in ("", ",", ".")
            return (whole_line and not self._gaz.is_common_word(head.text)) or known_first
        if _ORGANISATION.search(left):
            return False
        if context == "medium":
            if surname_form:
                return True
            if self._gaz.is_common_word(head.text) or head.text in self._gaz.places:
                return False
            return known_any or (len(words) > 1 and self._gaz.is_surname(words[-1].text))
        if surname_form or not known_first or head.text in self._gaz.places:
            return False
        at_sentence_start = bool(_SENTENCE_START.search(left))
        return not at_sentence_start or len(phrase) > 1 or _alone_on_line(text, phrase)


def _joined(text: str, before: _Token, after: _Token) -> bool:
    """Two tokens belong to one phrase when only a single space separates them."""
    return text[before.end : after.start] == " "


def _alone_on_line(text: str, phrase: list[_Token]) -> bool:
    """A known first name alone on its line is a sign-off, even without a closing."""
    line_start = text.rfind("\n", 0, phrase[0].start) + 1
    line_end = text.find("\n", phrase[-1].end)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    return line.strip(" \t,.!") == text[phrase[0].start : phrase[-1].end]


def _is_name_part(token: _Token) -> bool:
    return token.is_initials or token.text[0].isupper() or token.text in ("'t",)
