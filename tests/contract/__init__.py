"""Reusable test kits: the source contract and a loopback IMAP server."""
