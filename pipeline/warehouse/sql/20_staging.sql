-- staging: restricted. Redacted text and its embedding, kept for theme refits only,
-- purged after the retention period (`ledenradar purge`). Not in the analysts' snapshot.
CREATE SCHEMA IF NOT EXISTS staging;

CREATE TABLE IF NOT EXISTS staging.contact_texts (
    event_id        VARCHAR PRIMARY KEY,
    occurred_at     TIMESTAMPTZ NOT NULL,
    subject         VARCHAR,
    text            VARCHAR NOT NULL,
    redactions      INTEGER NOT NULL,
    embedding       FLOAT[],
    embedding_model VARCHAR,
    landed_at       TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE staging.contact_texts IS 'RESTRICTED: redacted contact text and embedding, for theme discovery; purged after the retention period.';
COMMENT ON COLUMN staging.contact_texts.event_id IS 'Key into core.contacts.';
COMMENT ON COLUMN staging.contact_texts.occurred_at IS 'When the contact happened (UTC); drives the retention purge.';
COMMENT ON COLUMN staging.contact_texts.subject IS 'Redacted subject line, when the channel has one.';
COMMENT ON COLUMN staging.contact_texts.text IS 'Redacted text: personal data replaced by typed tokens such as [NAAM] and [BSN].';
COMMENT ON COLUMN staging.contact_texts.redactions IS 'Number of personal-data spans replaced.';
COMMENT ON COLUMN staging.contact_texts.embedding IS 'Sentence embedding of the redacted text (L2-normalised).';
COMMENT ON COLUMN staging.contact_texts.embedding_model IS 'Model id and version that made the embedding.';
COMMENT ON COLUMN staging.contact_texts.landed_at IS 'When the row was written (UTC).';
