"""E-mail connectors: files (.eml, Maildir, mbox) and IMAP."""

from pipeline.sources.email.files import EmailSource
from pipeline.sources.email.imap import ImapSource

__all__ = ["EmailSource", "ImapSource"]
