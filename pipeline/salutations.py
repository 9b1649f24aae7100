"""Sign-offs of member mail and chat, in Dutch and English: one list for every reader.

The member's own words (`pipeline.content`) drop the line, the redactor
(`pipeline.redaction.name_contexts`) takes what follows one for a name, and the e-mail
source (`pipeline.sources.email.text`) starts the signature at one. A regular expression
without anchors, for case-insensitive use; each reader adds its own anchors and the
phrases only it needs (thanks, "bij voorbaat dank", a bare "gr.").
"""

from __future__ import annotations

SIGN_OFF = (
    r"(?:met )?(?:(?:vriendelijke|hartelijke|beste|warme) )?groet(?:en|jes)?"
    r"|(?:(?:best|kind|warm) )?regards|mvg|m\.v\.g\.|m\.vr\.gr\.|hoogachtend|liefs|saludos"
)
