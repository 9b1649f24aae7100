-- ops: how the pipeline itself is doing. No member data, so nothing to suppress.
CREATE SCHEMA IF NOT EXISTS ops;

CREATE OR REPLACE VIEW ops.dead_letter_reasons AS
SELECT reason, count(*) AS records, min(failed_at) AS first_at, max(failed_at) AS last_at
FROM core.dead_letters
GROUP BY reason;
COMMENT ON VIEW ops.dead_letter_reasons IS 'Rejected records per reason.';
COMMENT ON COLUMN ops.dead_letter_reasons.reason IS 'Reason code.';
COMMENT ON COLUMN ops.dead_letter_reasons.records IS 'Number of rejected records.';
COMMENT ON COLUMN ops.dead_letter_reasons.first_at IS 'First rejection (UTC).';
COMMENT ON COLUMN ops.dead_letter_reasons.last_at IS 'Latest rejection (UTC).';

CREATE OR REPLACE VIEW ops.landed AS
SELECT (SELECT count(*) FROM core.contacts) AS contacts,
       (SELECT count(*) FROM core.dead_letters) AS dead_letters,
       (SELECT count(*) FROM core.contact_themes WHERE theme_id IS NOT NULL) AS themed_contacts,
       (SELECT max(landed_at) FROM core.contacts) AS last_landed_at;
COMMENT ON VIEW ops.landed IS 'Totals landed so far.';

CREATE OR REPLACE VIEW ops.consumer_offsets AS
SELECT topic, partition, next_offset, updated_at FROM core.consumer_offsets;
COMMENT ON VIEW ops.consumer_offsets IS 'The warehouse writer''s Kafka position per partition.';
