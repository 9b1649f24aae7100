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


def embedding_text(event: ContactEvent) -> str:
    """What the encoder sees: the subject and the member's own words."""
    return encoder_input(event.subject, member_words(event.text))


def encoder_input(subject: str | None, words: str) -> str:
    """The encoder's input from a subject line and the member's own words (`member_words`):
    a refit's discovery encoder sees what the stream's encoder saw."""
    text = f"{subject}\n{words}" if subject else words
    return text[:EMBED_MAX_CHARS]
