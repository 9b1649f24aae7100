"""One list of sign-offs (`pipeline.salutations`) for the three readers that look for them."""

import pytest

from pipeline.content import member_words
from pipeline.redaction.name_contexts import CLOSING
from pipeline.sources.email.text import strip_reply

# Each of these was known to only one or two of the readers before they shared the list.
SIGN_OFFS = ["Hoogachtend", "Warme groeten", "Kind regards", "Met vriendelijke groet", "m.v.g."]
QUESTION = "Mijn werkgever betaalt de reiskosten niet meer uit, mag dat?"


@pytest.mark.parametrize("sign_off", SIGN_OFFS)
def test_every_reader_knows_every_sign_off(sign_off):
    mail = f"{QUESTION}\n\n{sign_off},\nPieter Veldhuizen"
    assert member_words(mail) == QUESTION
    assert strip_reply(mail) == QUESTION
    assert CLOSING.match(f"{sign_off},\nPieter Veldhuizen").end() == len(f"{sign_off},\n")
