"""Dutch personal-data redaction: `Redactor().redact(text)` gives `.text` and `.spans`."""

from pipeline.redaction.redactor import RedactionResult, Redactor, RedactorConfig
from pipeline.redaction.spans import PII_TYPES, Span

__all__ = ["PII_TYPES", "RedactionResult", "Redactor", "RedactorConfig", "Span"]
