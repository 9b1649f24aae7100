"""Words that carry no subject in Dutch member contacts.

A text-layer vocabulary: `pipeline.content` drops turns made only of these words, and
`topics.representation` keeps them out of key phrases and labels.
"""

# Dutch conversation filler: greetings, thanks, goodbyes, hesitations and politeness that
# stopwordsiso's Dutch list lacks ("je", "wel", "ja", "dus", "tot" it has). Phone and chat
# contacts end in "Top, bedankt. Doei." or "Ja prima, fijne dag nog." whatever they are
# about, so left in, these words became the key phrases and labels of themes born from
# contacts that share nothing else ("Nou / dank", "Fijne dag", "Bedankt doei" in the demo).
CONVERSATION_FILLER = [
    "avond",
    "ziens",
    "horens",
    "weekend",
    "alsjeblieft",
    "alstublieft",
    "alvast",
    "bedankt",
    "beste",
    "daag",
    "dag",
    "dank",
    "dankjewel",
    "dankuwel",
    "doei",
    "eh",
    "ehm",
    "fijne",
    "geachte",
    "goedemiddag",
    "goedemorgen",
    "goedenavond",
    "goedendag",
    "graag",
    "groet",
    "groeten",
    "groetjes",
    "hallo",
    "hartelijke",
    "hey",
    "hi",
    "hm",
    "hmm",
    "hoi",
    "hoor",
    "momentje",
    "mvg",
    "nou",
    "oja",
    "ok",
    "oke",
    "okee",
    "oké",
    "pardon",
    "prima",
    "sorry",
    "super",
    "thx",
    "top",
    "voorbaat",
    "vraagje",
    "vriendelijke",
    "zeg",
]
