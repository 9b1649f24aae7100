"""The member's own words: what a contact is about, without the channel's wrapping.

Greetings, signatures, quoted earlier mails, form labels, the contact-centre side of
a call or chat, hesitations and redaction tokens say a lot about the channel and
nothing about the theme. Left in, they make themes of 'e-mails' and 'phone calls'.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from pipeline.salutations import SIGN_OFF

if TYPE_CHECKING:
    from pipeline.contract.schema import ContactEvent

from text.filler import CONVERSATION_FILLER

_STAFF_TURN = re.compile(r"^\s*(medewerker|agent|ledenservice|bond)\s*:", re.IGNORECASE)
_MEMBER_LABEL = re.compile(r"^\s*(lid|beller|klant|member)\s*:\s*", re.IGNORECASE)
_FORM_FIELD = re.compile(
    r"^\s*(naam|lidnummer|e-?mail(adres)?|telefoon(nummer)?|tel|mobiel|adres|postcode|woonplaats|"
    r"geboortedatum|bsn|iban|onderwerp|werkgever|sector|provincie)\s*:.*$",
    re.IGNORECASE,
)
_QUESTION_LABEL = re.compile(r"^\s*(uw vraag|vraag|toelichting|bericht)\s*:\s*", re.IGNORECASE)
_GREETING = re.compile(
    r"^\s*(beste|geachte|hallo|hoi|hey|hi|goedemorgen|goedemiddag|goedenavond|dag|l\.s\.)\b[^.?!]{0,60}[,!]?\s*$",
    re.IGNORECASE,
)
_SIGN_OFF = re.compile(
    rf"^\s*(?:{SIGN_OFF})(?!\w)|^\s*gr\.?\s*,?\s*$|"
    r"^\s*(bij voorbaat|alvast)\s+(dank|bedankt)|^\s*(dank u|bedankt)\s*[.!]?\s*$",
    re.IGNORECASE,
)
_QUOTED = re.compile(
    r"^\s*(>|op .{3,80} schreef|-{2,}\s*(oorspronkelijk|original)|van:\s|from:\s)", re.IGNORECASE
)
_TOKEN = re.compile(r"\[[A-Z]+\]")
# A short sentence or clause around a redaction token ("mijn naam is [NAAM]", "ik heb m'n
# burgerservicenummer erbij, dat is [BSN]") is identification, not the question; longer
# ones keep their words. Left in, such sentences made a theme of their own in the demo.
_SENTENCE = re.compile(r"[^.!?]+[.!?]*|[.!?]+")
_CLAUSE = re.compile(r"[^.,;:!?]+[.,;:!?]*|[.,;:!?]+")
_IDENTIFICATION_MAX_WORDS = 8
_HESITATION = re.compile(r"\b(eh+m?|uh+m?|ehm|hm+)\b[,.]?\s*", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+")


def _is_courtesy(line: str) -> bool:
    """A turn of thanks, goodbyes and yes-no ("Top, bedankt. Doei.", "Ja prima, fijne dag"):
    every word is a stopword or filler. Kept, phone calls clustered by how they end."""
    words = [word.lower() for word in _WORD.findall(line)]
    return bool(words) and all(word in _courtesy_words() for word in words)


@functools.cache
def _courtesy_words() -> frozenset[str]:
    import stopwordsiso

    return frozenset(stopwordsiso.stopwords("nl")) | frozenset(CONVERSATION_FILLER)


def member_words(text: str) -> str:
    """The parts of a redacted contact text that the member wrote or said about their question."""
    kept: list[str] = []
    for line in text.split("\n"):
        if _QUOTED.match(line):
            break
        if _SIGN_OFF.match(line) and kept:
            break
        if _STAFF_TURN.match(line) or _FORM_FIELD.match(line) or _GREETING.match(line):
            continue
        line = _QUESTION_LABEL.sub("", _MEMBER_LABEL.sub("", line))
        if line.strip() and not _is_courtesy(line):
            kept.append(line.strip())
    words = _HESITATION.sub("", _TOKEN.sub(" ", _without_identification(" ".join(kept))))
    cleaned = " ".join(words.split())
    return cleaned or " ".join(_TOKEN.sub(" ", text).split())


def _is_identification(part: str) -> bool:
    return (
        bool(_TOKEN.search(part))
        and len(_TOKEN.sub(" ", part).split()) <= _IDENTIFICATION_MAX_WORDS
    )


def _without_identification(text: str) -> str:
    return "".join(
        clause
        for sentence in _SENTENCE.findall(text)
        if not _is_identification(sentence)
        for clause in _CLAUSE.findall(sentence)
        if not _is_identification(clause)
    )


# Long e-mail threads add little beyond their first part to the theme and cost encoder time.
EMBED_MAX_CHARS = 2000

# How members turn to a second question ("En eh, nog iets anders:", "Daarnaast heb ik nog
# een vraag.", "Nou en wat ik ook nog wilde vragen:"). Each phrase is a sequence of words:
# "a|b" is either word, "a?" may be left out, ":" is a colon, full stop or comma. Spoken
# words may be stuttered ("nog nog wat") or padded with filler ("wat ik zeg maar ook nog
# wilde vragen"), which the pattern allows between any two words; hesitations ("eh") are
# gone already (`member_words`).
SECOND_QUESTION_PHRASES = (
    "nog iets|wat anders? :",
    "wat ik ook? nog wilde|wou|wil vragen|weten",
    "daarnaast|verder|ook|tevens heb|had ik nog een|n andere? vraag|vraagje",
    "ik heb|had ook? nog een|n andere? vraag|vraagje",
    "verder|ook|daarnaast|tevens vroeg ik me|mij af",
    "mijn|een tweede|andere vraag",
    "nog een andere? vraag|vraagje :",
)
_FILLER_WORD = r"(?:zeg\s+maar|nou|dus|hoor|even)"
_GAP = rf"[\s,]+(?:{_FILLER_WORD}[\s,]+)*"
_LEAD_IN = rf"(?:(?:{_FILLER_WORD}|en|o|oh|ja|dan){_GAP})*"
# A cut that would leave fewer words than this for the first question is no cut: "Nog een
# vraag: ..." opens a contact, it does not turn to a second question.
FIRST_QUESTION_MIN_WORDS = 3


def _phrase_pattern(phrase: str) -> str:
    parts = []
    for token in phrase.split():
        if token == ":":
            parts.append(r"\s*[:.,]")
            continue
        optional = token.endswith("?")
        word = f"(?:{token.rstrip('?')})"
        stuttered = f"(?:{word}{_GAP})?{word}"
        parts.append(f"(?:{_GAP}{stuttered})?" if optional else f"{_GAP}{stuttered}")
    return "".join(parts).removeprefix(_GAP)


_SECOND_QUESTION = re.compile(
    rf"(?:^|(?<=[.!?:,])\s+){_LEAD_IN}(?:"
    + "|".join(_phrase_pattern(phrase) for phrase in SECOND_QUESTION_PHRASES)
    + r")(?!\w)",
    re.IGNORECASE,
)


def first_question(words: str) -> str:
    """The member's first question: their words up to where they turn to another one.

    A contact with two questions is themed by the first, the reason they got in touch (the
    simulator's truth counts a contact for its first subject too). Left whole, the encoder
    drew more than half of such contacts in the demo to the second subject's theme."""
    for match in _SECOND_QUESTION.finditer(words):
        head = words[: match.start()].rstrip()
        if len(head.split()) >= FIRST_QUESTION_MIN_WORDS:
            return head
    return words


def embedding_text(event: ContactEvent) -> str:
    """What the encoder sees: the subject and the member's first question."""
    return encoder_input(event.subject, member_words(event.text))


def encoder_input(subject: str | None, words: str) -> str:
    """The encoder's input from a subject line and the member's own words (`member_words`),
    up to their second question: a refit's discovery encoder sees what the stream's encoder
    saw."""
    question = first_question(words)
    text = f"{subject}\n{question}" if subject else question
    return text[:EMBED_MAX_CHARS]
