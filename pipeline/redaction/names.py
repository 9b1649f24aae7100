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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from pipeline.redaction.gazetteer import Gazetteer
from pipeline.redaction.name_contexts import SPEAKER, Contexts, find_contexts
from pipeline.redaction.spans import Span

_TOKEN = re.compile(r"(?:[A-ZÀ-ÖØ-Þ]\.){1,4}(?!\w)|'t\b|[^\W\d_]+(?:['’\-][^\W\d_]+)*")

_LINE_LIMIT = 200
_LOWER_WORD = re.compile(r"[a-zà-ÿ'-]+")
# "JAN DE VRIES": runs of two or more all-capital words
_CAPS_RUN = re.compile(
    r"(?<![\w'-])[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'-]*(?:[ ][A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'-]*)+(?![\w'-])"
)
_CAPS_HINT = re.compile(r"[A-Z][A-Z] [A-Z]")
# particles of non-Dutch surnames that members write in lower case ("mevrouw el amrani")
_EXTRA_PARTICLES = frozenset({"al", "ben", "bin", "abu", "ibn", "ait", "ou", "dos", "von"})
_CAPS_CONTEXTS = frozenset({"title", "signature", "strong"})


@dataclass(slots=True)
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
        self._interfix_heads = frozenset(i.split(" ")[0] for i in gazetteer.interfixes)

    def find(self, text: str) -> list[Span]:
        new_token = _Token  # a local name and m[0]: a tenth of the time on long mails is here
        tokens = [new_token(m[0], m.start(), m.end()) for m in _TOKEN.finditer(text)]
        contexts = find_contexts(text)
        speakers = self._speaker_labels(text)
        spans = []
        for index, token in enumerate(tokens):
            # only a capital or a tussenvoegsel can start a name; skip the rest cheaply
            first_char = token.text[0]
            if not first_char.isupper() and (
                token.text.lower() not in self._interfix_heads
                or not self._is_interfix_at(tokens, index)
            ):
                continue
            context = "strong" if token.start in speakers else contexts.by_offset.get(token.start)
            if context is None and self._never_a_name_alone(token):
                continue
            end_index = self._extend(text, tokens, index)
            if end_index is None:
                continue
            phrase = tokens[index : end_index + 1]
            if self._accept(text, tokens, index, phrase, context, contexts):
                spans.append(Span(phrase[0].start, phrase[-1].end, "NAAM"))
        spans.extend(self._lowercase_introductions(text, contexts.lowercase_intro_ends))
        spans.extend(self._lowercase_after_context(text, contexts))
        if _CAPS_HINT.search(text):
            spans.extend(self._all_caps_names(text, contexts))
        spans.extend(self._repeat_mentions(text, tokens, spans))
        return spans

    def _lowercase_after_context(self, text: str, contexts: Contexts) -> Iterator[Span]:
        """ "groet, sanne" and "mevrouw el amrani": a sign-off or a title before a name
        written in lower case."""
        first_names = list(contexts.lowercase_signoff_ends)
        for offset, strength in contexts.by_offset.items():
            if offset >= len(text) or not text[offset].islower():
                continue
            if strength in ("signature", "medium"):  # "groet, sanne", "mijn vrouw yasmina"
                first_names.append(offset)
            elif strength == "title":
                span = self._lowercase_surname(text, offset)
                if span is not None:
                    yield span
        yield from self._lowercase_introductions(text, first_names)

    def _lowercase_surname(self, text: str, start: int) -> Span | None:
        """After a title: a known surname ("jansen", "van den heuvel"), or particles of a
        non-Dutch surname and any word that is not a common one ("el amrani", "ait haddou")."""
        words = list(_LOWER_WORD.finditer(text, start, start + 40))
        position = 0
        foreign = False
        while position < len(words) - 1 and words[position].start() - start <= 12:
            word = words[position].group(0)
            if word in _EXTRA_PARTICLES or word in ("el", "le", "la", "da"):
                foreign = True
            elif word not in self._gaz.interfixes:
                break
            position += 1
        if position >= len(words) or not _spaced(text, words[: position + 1]):
            return None
        surname = words[position].group(0)
        known = self._gaz.is_surname(surname.capitalize())
        common = self._gaz.is_common_word(surname)
        after_particle = position > 0
        if not (known and (after_particle or not common)) and not (foreign and not common):
            return None
        return Span(words[0].start(), words[position].end(), "NAAM")

    def _all_caps_names(self, text: str, contexts: Contexts) -> Iterator[Span]:
        """ "JAN DE VRIES": a known first name and a known surname in capitals, or any
        capitalised phrase where a title, sign-off or form field says a name follows."""
        for run in _CAPS_RUN.finditer(text):
            words = list(re.finditer(r"\S+", run.group(0)))
            titled = [w.group(0).capitalize() for w in words]
            context = contexts.by_offset.get(run.start())
            if context == "medium" and self._is_plain_first_name(titled[0]):
                context = "strong"  # "ik ben ANNA KOWALSKA"
            if context in _CAPS_CONTEXTS and not any(
                self._gaz.is_common_word(w) and w.lower() not in self._gaz.interfixes
                for w in titled
            ):
                yield Span(run.start(), run.end(), "NAAM")
                continue
            for first, word in enumerate(titled):
                if not self._is_plain_first_name(word):
                    continue
                last = self._caps_surname_end(titled, first + 1)
                if last is not None:
                    yield Span(
                        run.start() + words[first].start(), run.start() + words[last].end(), "NAAM"
                    )
                    break

    def _caps_surname_end(self, titled: list[str], position: int) -> int | None:
        """Index of the surname after a first name (over tussenvoegsels), or None."""
        while position < len(titled) and titled[position].lower() in self._gaz.interfixes:
            position += 1
        # after a known first name even a surname that is a word counts: "DAVID BOS"
        if position < len(titled) and self._gaz.is_surname(titled[position]):
            return position
        return None

    def _lowercase_introductions(self, text: str, starts: Iterable[int]) -> Iterator[Span]:
        """Chat often has no capitals at all: "ik ben jan de vries"."""
        for intro_end in starts:
            words = list(_LOWER_WORD.finditer(text[intro_end : intro_end + 40]))
            if (
                not words
                or words[0].start() != 0
                or not self._is_plain_first_name(words[0].group(0).capitalize())
            ):
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
            yield Span(intro_end + words[0].start(), intro_end + end, "NAAM")

    def _never_a_name_alone(self, token: _Token) -> bool:
        """Without a context a phrase is a name only when it starts with initials or a
        known first name (see _accept); most capitalised words ("Ik", "Mijn", "Werkgever")
        are neither, and skipping _extend for them is the cheap path on long mails. A
        tussenvoegsel may lead to a surname, so it is never skipped here."""
        low = token.text.lower()
        return (
            not token.is_initials
            and low not in self._interfix_heads
            and low not in self._gaz.interfixes
            and not self._is_plain_first_name(token.text)
        )

    def _is_plain_surname(self, word: str) -> bool:
        return self._gaz.is_surname(word) and not self._gaz.is_common_word(word)

    def _is_plain_first_name(self, word: str) -> bool:
        return self._gaz.is_first_name(word) and not self._gaz.is_common_word(word)

    def _repeat_mentions(
        self, text: str, tokens: list[_Token], found: list[Span]
    ) -> Iterator[Span]:
        """Once "Thijs van Beek" is a name, "Van Beek" later in the message is too.

        Matching walks the token list once, so a megabyte with thousands of names
        stays linear."""
        forms: dict[str, set[tuple[str, ...]]] = {}

        def add(words: list[str]) -> None:
            if len(" ".join(words)) >= 3:
                key = words[0].lower()
                forms.setdefault(key, set()).add((key, *words[1:]))

        for span in found:
            words = [m.group(0) for m in _TOKEN.finditer(text, span.start, span.end)]
            if not words:
                continue
            add(words)
            if len(words) > 1 and self._gaz.is_first_name(words[0]):
                if not self._gaz.is_common_word(words[0]):
                    add(words[:1])
                surname = " ".join(words[1:])
                if not self._gaz.is_common_word(surname) and surname not in self._gaz.places:
                    add(words[1:])
        if not forms:
            return
        for index, token in enumerate(tokens):
            for form in forms.get(token.text.lower(), ()):
                end = index + len(form) - 1
                if end >= len(tokens) or not _matches(text, tokens, index, form):
                    continue
                yield Span(token.start, tokens[end].end, "NAAM")

    def _inside_organisation_name(self, text: str, tokens: list[_Token], index: int) -> bool:
        """ "Papierfabriek De Maas", "Bouwmarkt Klusmaat": a capitalised non-name word
        right before the phrase makes it part of a company name."""
        # walk back over tussenvoegsels: "Papierfabriek De Maas" is judged at "Papierfabriek"
        while (
            index > 0
            and tokens[index - 1].text.lower() in self._interfix_heads
            and _joined(text, tokens[index - 1], tokens[index])
        ):
            index -= 1
        if index == 0 or not _joined(text, tokens[index - 1], tokens[index]):
            return False
        before = tokens[index - 1]
        word = before.text
        if not before.is_titlecase or word.lower() in self._gaz.interfixes:
            return False
        if self._gaz.is_common_word(word):  # "Beste Tim", "Hoi Tim"
            return False
        if word.lower() in self._gaz.titles:  # "Collega Rik", "Dhr Jansen"
            return False
        return not (self._gaz.is_first_name(word) or self._gaz.is_surname(word))

    def _speaker_labels(self, text: str) -> set[int]:
        """Offsets of transcript speaker labels that are names ("Karin:", not "Lid:")."""
        labels = list(SPEAKER.finditer(text))
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

    def _extend(self, text: str, tokens: list[_Token], index: int) -> int | None:
        """Index of the last token of the name phrase starting at `index`, or None."""
        last_content = None
        after_interfix = False
        position = index
        while position < len(tokens) and position - index < 7:
            token = tokens[position]
            if position > index and not _joined(text, tokens[position - 1], token):
                break
            if self._is_interfix_at(tokens, position):
                position += self._interfix_length(tokens, position)
                after_interfix = True
                continue
            if token.is_initials or (token.is_titlecase and _is_name_part(token)):
                # after a tussenvoegsel comes a surname, even one that is a place ("van Doorn")
                stops = not after_interfix and self._stops_phrase(token)
                if position > index and last_content is not None and stops:
                    break
                after_interfix = False
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
        if tokens[position].text.lower() not in self._interfix_heads:
            return 0
        # "de", "van", "het" are common: without a capital among the next three tokens no
        # length can count, so skip building the joined strings
        if not any(t.is_titlecase for t in tokens[position + 1 : position + 4]):
            return 0
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

    def _accept(
        self,
        text: str,
        tokens: list[_Token],
        index: int,
        phrase: list[_Token],
        context: str | None,
        contexts: Contexts,
    ) -> bool:
        words = [t for t in phrase if t.text.lower() not in self._gaz.interfixes]
        if not words:
            return False
        head = words[0]
        known_first = self._gaz.is_first_name(head.text) and not self._gaz.is_common_word(head.text)
        known_any = known_first or self._gaz.is_surname(head.text) or head.is_initials
        surname_form = phrase[0] is not head  # "Van der Meer": a tussenvoegsel leads
        if context == "title":
            return True  # "mevrouw Kok": after a title even a common word is a surname
        if context == "strong":
            return surname_form or not self._gaz.is_common_word(head.text) or len(words) > 1
        if context == "signature":
            whole_line = _rest_of_line(text, phrase[-1].end).strip() in ("", ",", ".")
            return (whole_line and not self._gaz.is_common_word(head.text)) or known_first
        # "Pensioen van Jan de Vries", "Ontslag Jan de Vries": a known first name with a known
        # surname is a person even after a capitalised word (often a subject line's first word).
        full_name = known_first and len(words) > 1 and self._gaz.is_surname(words[-1].text)
        if not full_name and self._inside_organisation_name(text, tokens, index):
            return False
        if phrase[0].start in contexts.organisation_ends:
            return False
        if context == "medium":
            if surname_form:
                return True
            if self._gaz.is_common_word(head.text) or head.text in self._gaz.places:
                return False
            return known_any or (len(words) > 1 and self._gaz.is_surname(words[-1].text))
        if head.is_initials and len(words) > 1 and self._is_plain_surname(words[-1].text):
            return True  # "R. Koster"
        if surname_form or not known_first or head.text in self._gaz.places:
            return False
        at_sentence_start = phrase[0].start in contexts.sentence_starts
        return not at_sentence_start or len(phrase) > 1 or _alone_on_line(text, phrase)


def _joined(text: str, before: _Token, after: _Token) -> bool:
    """Two tokens belong to one phrase when only a single space separates them."""
    return text[before.end : after.start] == " "


def _spaced(text: str, words: list[re.Match[str]]) -> bool:
    """Lower-case words that follow each other with one space only."""
    return all(text[a.end() : b.start()] == " " for a, b in zip(words, words[1:], strict=False))


def _rest_of_line(text: str, start: int) -> str:
    """Up to _LINE_LIMIT characters from `start` to the end of its line; bounded so
    that a megabyte without newlines stays linear."""
    window = text[start : start + _LINE_LIMIT]
    end = window.find("\n")
    return window if end < 0 else window[:end]


def _alone_on_line(text: str, phrase: list[_Token]) -> bool:
    """A known first name alone on its line is a sign-off, even without a closing."""
    before = text[max(0, phrase[0].start - _LINE_LIMIT) : phrase[0].start]
    if "\n" not in before and phrase[0].start > _LINE_LIMIT:
        return False
    on_line_before = before.rsplit("\n", 1)[-1]
    return not on_line_before.strip(" \t>") and not _rest_of_line(text, phrase[-1].end).strip(
        " \t,.!"
    )


def _matches(text: str, tokens: list[_Token], index: int, form: tuple[str, ...]) -> bool:
    """Do the tokens from `index` spell `form` (first word in any case), space-joined?"""
    for offset, word in enumerate(form):
        token = tokens[index + offset]
        if offset and (token.text != word or not _joined(text, tokens[index + offset - 1], token)):
            return False
    return True


def _is_name_part(token: _Token) -> bool:
    return token.is_initials or token.text[0].isupper() or token.text in ("'t",)
