-- marts: what analysts query. Every count goes through marts.publish (25_disclosure.sql):
-- perturbed by its cell key; a cell whose published count would be under 5 is left out
-- (a NULL row would tell that the cell is not empty, which pins small cells down).
CREATE SCHEMA IF NOT EXISTS marts;
DROP MACRO IF EXISTS marts.suppress;

CREATE OR REPLACE VIEW marts.contact_theme_facts AS
SELECT c.event_id, c.occurred_day, c.occurred_week, c.channel, c.province, c.sector, c.service_line,
       coalesce(t.theme_id, 'onbekend') AS theme_id,
       coalesce(th.name, 'Nog onbekend') AS theme_name,
       c.record_key
FROM core.contacts c
LEFT JOIN core.contact_themes t USING (event_id)
LEFT JOIN core.themes th ON th.theme_id = t.theme_id;
COMMENT ON VIEW marts.contact_theme_facts IS 'Internal building block (one row per contact, no text); the marts below aggregate it and publish every count through marts.publish.';

CREATE OR REPLACE VIEW marts.daily_contacts AS
SELECT
    occurred_day AS day,
    channel,
    province,
    sector,
    service_line,
    marts.publish(count(*), sum(record_key)) AS contacts
FROM marts.contact_theme_facts
GROUP BY ALL
HAVING contacts IS NOT NULL;
COMMENT ON VIEW marts.daily_contacts IS 'Contacts per day (Europe/Amsterdam) x channel x province x sector x service line; cells with fewer than 5 (after noise) are left out.';
COMMENT ON COLUMN marts.daily_contacts.day IS 'Calendar day in Europe/Amsterdam.';
COMMENT ON COLUMN marts.daily_contacts.channel IS 'phone, email, chat, webform or letter.';
COMMENT ON COLUMN marts.daily_contacts.province IS 'ISO 3166-2:NL province code, or unknown.';
COMMENT ON COLUMN marts.daily_contacts.sector IS 'Sector, or unknown.';
COMMENT ON COLUMN marts.daily_contacts.service_line IS 'first_line or second_line_legal.';
COMMENT ON COLUMN marts.daily_contacts.contacts IS 'Number of contacts with cell-key noise of at most 2 (docs/warehouse.md, Disclosure control), at least 5; cells below that are left out.';

CREATE OR REPLACE VIEW marts.channel_mix AS
SELECT
    occurred_week AS iso_week,
    channel,
    service_line,
    marts.publish(count(*), sum(record_key)) AS contacts
FROM marts.contact_theme_facts
GROUP BY ALL
HAVING contacts IS NOT NULL;
COMMENT ON VIEW marts.channel_mix IS 'Contacts per ISO week x channel x service line; cells with fewer than 5 (after noise) are left out.';
COMMENT ON COLUMN marts.channel_mix.iso_week IS 'ISO week in Europe/Amsterdam, e.g. 2026-W47.';
COMMENT ON COLUMN marts.channel_mix.channel IS 'phone, email, chat, webform or letter.';
COMMENT ON COLUMN marts.channel_mix.service_line IS 'first_line or second_line_legal.';
COMMENT ON COLUMN marts.channel_mix.contacts IS 'Number of contacts with cell-key noise of at most 2 (docs/warehouse.md, Disclosure control), at least 5; cells below that are left out.';

CREATE OR REPLACE VIEW marts.theme_week AS
SELECT occurred_week AS iso_week, theme_id, theme_name, marts.publish(count(*), sum(record_key)) AS contacts
FROM marts.contact_theme_facts
GROUP BY ALL
HAVING contacts IS NOT NULL;
COMMENT ON VIEW marts.theme_week IS 'Contacts per ISO week x theme; cells with fewer than 5 (after noise) are left out.';
COMMENT ON COLUMN marts.theme_week.iso_week IS 'ISO week in Europe/Amsterdam, e.g. 2026-W47.';
COMMENT ON COLUMN marts.theme_week.theme_id IS 'Stable theme id, or onbekend.';
COMMENT ON COLUMN marts.theme_week.theme_name IS 'Dutch theme name.';
COMMENT ON COLUMN marts.theme_week.contacts IS 'Number of contacts with cell-key noise of at most 2 (docs/warehouse.md, Disclosure control), at least 5; cells below that are left out.';

CREATE OR REPLACE VIEW marts.theme_week_province AS
SELECT occurred_week AS iso_week, theme_id, theme_name, province, marts.publish(count(*), sum(record_key)) AS contacts
FROM marts.contact_theme_facts
GROUP BY ALL
HAVING contacts IS NOT NULL;
COMMENT ON VIEW marts.theme_week_province IS 'Contacts per ISO week x theme x province; cells with fewer than 5 (after noise) are left out.';
COMMENT ON COLUMN marts.theme_week_province.iso_week IS 'ISO week in Europe/Amsterdam.';
COMMENT ON COLUMN marts.theme_week_province.theme_id IS 'Stable theme id, or onbekend.';
COMMENT ON COLUMN marts.theme_week_province.theme_name IS 'Dutch theme name.';
COMMENT ON COLUMN marts.theme_week_province.province IS 'ISO 3166-2:NL province code, or unknown.';
COMMENT ON COLUMN marts.theme_week_province.contacts IS 'Number of contacts with cell-key noise of at most 2 (docs/warehouse.md, Disclosure control), at least 5; cells below that are left out.';

CREATE OR REPLACE VIEW marts.theme_week_sector AS
SELECT occurred_week AS iso_week, theme_id, theme_name, sector, marts.publish(count(*), sum(record_key)) AS contacts
FROM marts.contact_theme_facts
GROUP BY ALL
HAVING contacts IS NOT NULL;
COMMENT ON VIEW marts.theme_week_sector IS 'Contacts per ISO week x theme x sector; cells with fewer than 5 (after noise) are left out.';
COMMENT ON COLUMN marts.theme_week_sector.iso_week IS 'ISO week in Europe/Amsterdam.';
COMMENT ON COLUMN marts.theme_week_sector.theme_id IS 'Stable theme id, or onbekend.';
COMMENT ON COLUMN marts.theme_week_sector.theme_name IS 'Dutch theme name.';
COMMENT ON COLUMN marts.theme_week_sector.sector IS 'Sector, or unknown.';
COMMENT ON COLUMN marts.theme_week_sector.contacts IS 'Number of contacts with cell-key noise of at most 2 (docs/warehouse.md, Disclosure control), at least 5; cells below that are left out.';

CREATE OR REPLACE VIEW marts.themes AS
SELECT theme_id, name, keyphrases, status, born_at, first_seen_day FROM core.themes;
COMMENT ON VIEW marts.themes IS 'Theme dimension: stable id, Dutch name, key phrases, status.';

CREATE OR REPLACE VIEW marts.theme_lineage AS
SELECT l.refit_id, l.change, l.from_theme_id, l.to_theme_id, l.similarity, l.changed_at,
       coalesce(r.data_day, l.changed_at::DATE) AS data_day
FROM core.theme_lineage l LEFT JOIN core.theme_runs r USING (refit_id);
COMMENT ON VIEW marts.theme_lineage IS 'Births, deaths, splits and merges of themes per refit.';
COMMENT ON COLUMN marts.theme_lineage.data_day IS 'The day of the data the change was found in (a refit: its window''s last day; a birth: its newest contact''s day); the run day for changes made before this was kept.';

-- A quote tells when and where it comes from only as precisely as at least 5 contacts of its
-- theme share that: its week, then also its province, its sector, or both. A quote from a
-- smaller group keeps those columns NULL (docs/digest-and-dashboard.md: the limit of that).
CREATE OR REPLACE VIEW marts.theme_quotes AS
WITH quoted AS (
    SELECT q.theme_id, q.rank, f.occurred_week, f.province, f.sector
    FROM core.theme_quotes q
    JOIN marts.contact_theme_facts f ON f.event_id = q.event_id AND f.theme_id = q.theme_id
), shared AS (
    SELECT q.theme_id, q.rank, q.occurred_week, q.province, q.sector,
           marts.publish(count(*), sum(f.record_key)) AS in_week,
           marts.publish(count(*) FILTER (WHERE f.province = q.province),
                         sum(f.record_key) FILTER (WHERE f.province = q.province)) AS in_province,
           marts.publish(count(*) FILTER (WHERE f.sector = q.sector),
                         sum(f.record_key) FILTER (WHERE f.sector = q.sector)) AS in_sector,
           marts.publish(count(*) FILTER (WHERE f.province = q.province AND f.sector = q.sector),
                         sum(f.record_key) FILTER (WHERE f.province = q.province AND f.sector = q.sector)) AS in_both
    FROM quoted q
    JOIN marts.contact_theme_facts f
      ON f.theme_id = q.theme_id AND f.occurred_week = q.occurred_week
    GROUP BY ALL
)
SELECT q.theme_id, q.rank, q.quote,
       CASE WHEN s.in_week IS NOT NULL THEN s.occurred_week END AS iso_week,
       CASE WHEN s.in_province IS NOT NULL THEN s.province END AS province,
       CASE WHEN s.in_both IS NOT NULL OR (s.in_province IS NULL AND s.in_sector IS NOT NULL)
            THEN s.sector END AS sector
FROM core.theme_quotes q
LEFT JOIN shared s USING (theme_id, rank);
COMMENT ON VIEW marts.theme_quotes IS 'Anonymised quotes per theme (shown only to logged-in users), with the week, province and sector of the contact quoted where at least 5 contacts of the theme share them.';
COMMENT ON COLUMN marts.theme_quotes.theme_id IS 'Stable theme id.';
COMMENT ON COLUMN marts.theme_quotes.rank IS '1 = most representative.';
COMMENT ON COLUMN marts.theme_quotes.quote IS 'Anonymised quote (redacted, at most 300 characters, never about health).';
COMMENT ON COLUMN marts.theme_quotes.iso_week IS 'ISO week of the contact quoted; NULL when the theme had fewer than 5 contacts that week, or the contact is unknown or now in another theme.';
COMMENT ON COLUMN marts.theme_quotes.province IS 'Province of the contact quoted, when at least 5 contacts of the theme that week share it; else NULL.';
COMMENT ON COLUMN marts.theme_quotes.sector IS 'Sector of the contact quoted, when at least 5 contacts of the theme that week share it (and its province, if that is given); else NULL.';

-- Every drill level is counted from the contacts and then published, so a total is never
-- a sum of other published cells. NULL in a dimension column means "all of them".
CREATE OR REPLACE VIEW marts.theme_week_drilldown AS
SELECT occurred_week AS iso_week, theme_id, any_value(theme_name) AS theme_name,
       province, sector, channel, service_line, marts.publish(count(*), sum(record_key)) AS contacts
FROM marts.contact_theme_facts
GROUP BY occurred_week, theme_id, CUBE (province, sector, channel, service_line)
HAVING contacts IS NOT NULL
UNION ALL
SELECT occurred_week, 'alle', 'Alle thema''s', province, sector, channel, service_line,
       marts.publish(count(*), sum(record_key))
FROM marts.contact_theme_facts
GROUP BY occurred_week, CUBE (province, sector, channel, service_line)
HAVING marts.publish(count(*), sum(record_key)) IS NOT NULL;
COMMENT ON VIEW marts.theme_week_drilldown IS 'Contacts per ISO week x theme x any combination of province, sector, channel and service line (NULL = all); theme_id alle = all themes; cells with fewer than 5 (after noise) are left out.';
COMMENT ON COLUMN marts.theme_week_drilldown.iso_week IS 'ISO week in Europe/Amsterdam, e.g. 2026-W47.';
COMMENT ON COLUMN marts.theme_week_drilldown.theme_id IS 'Stable theme id, onbekend, or alle for all themes together.';
COMMENT ON COLUMN marts.theme_week_drilldown.theme_name IS 'Dutch theme name.';
COMMENT ON COLUMN marts.theme_week_drilldown.province IS 'ISO 3166-2:NL province code, unknown, or NULL for all provinces.';
COMMENT ON COLUMN marts.theme_week_drilldown.sector IS 'Sector, unknown, or NULL for all sectors.';
COMMENT ON COLUMN marts.theme_week_drilldown.channel IS 'phone, email, chat, webform, letter, or NULL for all channels.';
COMMENT ON COLUMN marts.theme_week_drilldown.service_line IS 'first_line, second_line_legal, or NULL for both.';
COMMENT ON COLUMN marts.theme_week_drilldown.contacts IS 'Number of contacts with cell-key noise of at most 2 (docs/warehouse.md, Disclosure control), at least 5; cells below that are left out.';
