-- core: facts and dimensions without free text. One row per thing, keyed for idempotency.
CREATE SCHEMA IF NOT EXISTS core;

CREATE TABLE IF NOT EXISTS core.contacts (
    event_id         VARCHAR PRIMARY KEY,
    occurred_at      TIMESTAMPTZ NOT NULL,
    occurred_day     DATE NOT NULL,
    occurred_week    VARCHAR NOT NULL,
    received_at      TIMESTAMPTZ NOT NULL,
    source           VARCHAR NOT NULL,
    channel          VARCHAR NOT NULL,
    direction        VARCHAR NOT NULL,
    language         VARCHAR NOT NULL,
    province           VARCHAR NOT NULL,
    sector           VARCHAR NOT NULL,
    union_unit       VARCHAR,
    service_line     VARCHAR NOT NULL,
    origin_topic     VARCHAR NOT NULL,
    origin_partition INTEGER NOT NULL,
    origin_offset    BIGINT NOT NULL,
    landed_at        TIMESTAMPTZ NOT NULL,
    content_hash     BLOB,
    record_key       UBIGINT
);
-- Warehouses created before content hashes were kept get the column (NULL for their old rows).
ALTER TABLE core.contacts ADD COLUMN IF NOT EXISTS content_hash BLOB;
-- Warehouses created before record keys were kept get the column; 25_disclosure.sql fills it.
ALTER TABLE core.contacts ADD COLUMN IF NOT EXISTS record_key UBIGINT;
COMMENT ON TABLE core.contacts IS 'One row per accepted member contact (no text, no member or employee identity).';
COMMENT ON COLUMN core.contacts.event_id IS 'Idempotency key from the source; a replay never adds a row.';
COMMENT ON COLUMN core.contacts.occurred_at IS 'When the contact happened (UTC).';
COMMENT ON COLUMN core.contacts.occurred_day IS 'Calendar day of the contact in Europe/Amsterdam.';
COMMENT ON COLUMN core.contacts.occurred_week IS 'ISO week of the contact in Europe/Amsterdam, e.g. 2026-W47.';
COMMENT ON COLUMN core.contacts.received_at IS 'When the pipeline received the contact (UTC).';
COMMENT ON COLUMN core.contacts.source IS 'Source connector that produced the event.';
COMMENT ON COLUMN core.contacts.channel IS 'phone, email, chat, webform or letter.';
COMMENT ON COLUMN core.contacts.direction IS 'inbound (member to union) or outbound.';
COMMENT ON COLUMN core.contacts.language IS 'ISO 639-1 language code of the text.';
COMMENT ON COLUMN core.contacts.province IS 'ISO 3166-2:NL province code, or unknown.';
COMMENT ON COLUMN core.contacts.sector IS 'Sector from the closed list in pipeline/vocab.py, or unknown.';
COMMENT ON COLUMN core.contacts.union_unit IS 'Union unit (afdeling) that owns the member, when given.';
COMMENT ON COLUMN core.contacts.service_line IS 'first_line or second_line_legal.';
COMMENT ON COLUMN core.contacts.origin_topic IS 'Kafka topic the raw record was read from.';
COMMENT ON COLUMN core.contacts.origin_partition IS 'Kafka partition of the raw record.';
COMMENT ON COLUMN core.contacts.origin_offset IS 'Kafka offset of the raw record; with topic and partition it tells a replay from a duplicate.';
COMMENT ON COLUMN core.contacts.landed_at IS 'When the row was written to the warehouse (UTC).';
COMMENT ON COLUMN core.contacts.record_key IS 'The contact''s record key of cell-key perturbation (marts.record_key of its event_id), computed once when it lands instead of in every mart at every snapshot; secret like the salt it comes from.';
COMMENT ON COLUMN core.contacts.content_hash IS 'SHA-256 (32 raw bytes: a hex string could spell a member number by chance) of the event as landed (text already redacted), without received_at: the same event_id from another origin with this hash is a harmless re-delivery, with another hash a duplicate_event_id dead letter. NULL for rows landed before it was kept.';

CREATE TABLE IF NOT EXISTS core.dead_letters (
    origin_topic     VARCHAR NOT NULL,
    origin_partition INTEGER NOT NULL,
    origin_offset    BIGINT NOT NULL,
    event_id         VARCHAR,
    reason           VARCHAR NOT NULL,
    detail           VARCHAR NOT NULL,
    payload_bytes    BIGINT NOT NULL,
    failed_at        TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (origin_topic, origin_partition, origin_offset)
);
COMMENT ON TABLE core.dead_letters IS 'Records that were not accepted, with the reason. The payload stays on Kafka (contact.dlq) only: it may hold unredacted personal data.';
COMMENT ON COLUMN core.dead_letters.origin_topic IS 'Kafka topic of the rejected record.';
COMMENT ON COLUMN core.dead_letters.origin_partition IS 'Kafka partition of the rejected record.';
COMMENT ON COLUMN core.dead_letters.origin_offset IS 'Kafka offset of the rejected record.';
COMMENT ON COLUMN core.dead_letters.event_id IS 'The event id, when one could be read.';
COMMENT ON COLUMN core.dead_letters.reason IS 'Stable reason code: bad_json, undecodable, oversize, missing_field, bad_type, bad_value, bad_timestamp, duplicate_event_id, ...';
COMMENT ON COLUMN core.dead_letters.detail IS 'Human-readable detail (never the payload).';
COMMENT ON COLUMN core.dead_letters.payload_bytes IS 'Size of the rejected record in bytes.';
COMMENT ON COLUMN core.dead_letters.failed_at IS 'When the record was rejected (UTC).';

CREATE TABLE IF NOT EXISTS core.consumer_offsets (
    topic       VARCHAR NOT NULL,
    partition   INTEGER NOT NULL,
    next_offset BIGINT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (topic, partition)
);
COMMENT ON TABLE core.consumer_offsets IS 'The warehouse writer''s Kafka position, committed in the same transaction as the rows it covers (exactly-once landing).';
COMMENT ON COLUMN core.consumer_offsets.topic IS 'Kafka topic the writer consumes.';
COMMENT ON COLUMN core.consumer_offsets.partition IS 'Partition of that topic.';
COMMENT ON COLUMN core.consumer_offsets.next_offset IS 'Offset of the next record to read.';
COMMENT ON COLUMN core.consumer_offsets.updated_at IS 'Time of the transaction that moved it.';
