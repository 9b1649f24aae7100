-- marts: what analysts query. Every count under the suppression threshold is NULL.
-- The threshold (5) is the union's disclosure rule; change it here only.
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE MACRO marts.suppress(n) AS CASE WHEN n >= 5 THEN n END;

CREATE OR REPLACE VIEW marts.daily_contacts AS
SELECT
    occurred_day AS day,
    channel,
    region,
    sector,
    service_line,
    marts.suppress(count(*)) AS contacts
FROM core.contacts
GROUP BY ALL;
COMMENT ON VIEW marts.daily_contacts IS 'Contacts per day (Europe/Amsterdam) x channel x province x sector x service line; contacts is NULL where fewer than 5.';
COMMENT ON COLUMN marts.daily_contacts.day IS 'Calendar day in Europe/Amsterdam.';
COMMENT ON COLUMN marts.daily_contacts.channel IS 'phone, email, chat, webform or letter.';
COMMENT ON COLUMN marts.daily_contacts.region IS 'ISO 3166-2:NL province code, or unknown.';
COMMENT ON COLUMN marts.daily_contacts.sector IS 'Sector, or unknown.';
COMMENT ON COLUMN marts.daily_contacts.service_line IS 'first_line or second_line_legal.';
COMMENT ON COLUMN marts.daily_contacts.contacts IS 'Number of contacts; NULL (suppressed) below 5.';

CREATE OR REPLACE VIEW marts.channel_mix AS
SELECT
    occurred_week AS iso_week,
    channel,
    service_line,
    marts.suppress(count(*)) AS contacts
FROM core.contacts
GROUP BY ALL;
COMMENT ON VIEW marts.channel_mix IS 'Contacts per ISO week x channel x service line; NULL below 5.';
COMMENT ON COLUMN marts.channel_mix.iso_week IS 'ISO week in Europe/Amsterdam, e.g. 2026-W47.';
COMMENT ON COLUMN marts.channel_mix.channel IS 'phone, email, chat, webform or letter.';
COMMENT ON COLUMN marts.channel_mix.service_line IS 'first_line or second_line_legal.';
COMMENT ON COLUMN marts.channel_mix.contacts IS 'Number of contacts; NULL (suppressed) below 5.';

CREATE OR REPLACE VIEW marts.dead_letter_reasons AS
SELECT reason, count(*) AS records, min(failed_at) AS first_at, max(failed_at) AS last_at
FROM core.dead_letters
GROUP BY reason;
COMMENT ON VIEW marts.dead_letter_reasons IS 'Rejected records per reason (operational, no member data, so not suppressed).';
COMMENT ON COLUMN marts.dead_letter_reasons.reason IS 'Reason code.';
COMMENT ON COLUMN marts.dead_letter_reasons.records IS 'Number of rejected records.';
COMMENT ON COLUMN marts.dead_letter_reasons.first_at IS 'First rejection (UTC).';
COMMENT ON COLUMN marts.dead_letter_reasons.last_at IS 'Latest rejection (UTC).';
