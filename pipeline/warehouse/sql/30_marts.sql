-- marts: what analysts query. Every count goes through marts.publish (25_disclosure.sql):
-- perturbed by its cell key; a cell whose published count would be under 5 is left out
-- (a NULL row would tell that the cell is not empty, which pins small cells down).
CREATE SCHEMA IF NOT EXISTS marts;
DROP MACRO IF EXISTS marts.suppress;

CREATE OR REPLACE VIEW marts.contact_theme_facts AS
SELECT c.event_id, c.occurred_day, c.occurred_week, c.channel, c.region, c.sector, c.service_line,
       coalesce(t.theme_id, 'onbekend') AS theme_id,
       coalesce(th.name, 'Nog onbekend') AS theme_name,
       marts.record_key(c.event_id) AS record_key
FROM core.contacts c
LEFT JOIN core.contact_themes t USING (event_id)
LEFT JOIN core.themes th ON th.theme_id = t.theme_id;
COMMENT ON VIEW marts.contact_theme_facts IS 'Internal building block (one row per contact, no text); the marts below aggregate it and publish every count through marts.publish.';

CREATE OR REPLACE VIEW marts.daily_contacts AS
SELECT
    occurred_day AS day,
    channel,
    region,
    sector,
    service_line,
    marts.publish(count(*), sum(record_key)) AS contacts
FROM marts.contact_theme_facts
GROUP BY ALL
HAVING contacts IS NOT NULL;
COMMENT ON VIEW marts.daily_contacts IS 'Contacts per day (Europe/Amsterdam) x channel x province x sector x service line; cells with fewer than 5 (after noise) are left out.';
COMMENT ON COLUMN marts.daily_contacts.day IS 'Calendar day in Europe/Amsterdam.';
COMMENT ON COLUMN marts.daily_contacts.channel IS 'phone, email, chat, webform or letter.';
COMMENT ON COLUMN marts.daily_contacts.region IS 'ISO 3166-2:NL province code, or unknown.';
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

CREATE OR REPLACE VIEW marts.theme_week_region AS
SELECT occurred_week AS iso_week, theme_id, theme_name, region, marts.publish(count(*), sum(record_key)) AS contacts
FROM marts.contact_theme_facts
GROUP BY ALL
HAVING contacts IS NOT NULL;
COMMENT ON VIEW marts.theme_week_region IS 'Contacts per ISO week x theme x province; cells with fewer than 5 (after noise) are left out.';
COMMENT ON COLUMN marts.theme_week_region.iso_week IS 'ISO week in Europe/Amsterdam.';
COMMENT ON COLUMN marts.theme_week_region.theme_id IS 'Stable theme id, or onbekend.';
COMMENT ON COLUMN marts.theme_week_region.theme_name IS 'Dutch theme name.';
COMMENT ON COLUMN marts.theme_week_region.region IS 'ISO 3166-2:NL province code, or unknown.';
COMMENT ON COLUMN marts.theme_week_region.contacts IS 'Number of contacts with cell-key noise of at most 2 (docs/warehouse.md, Disclosure control), at least 5; cells below that are left out.';

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

CREATE OR REPLACE VIEW marts.emerging_themes AS
-- An alert's count is a cell of its own (theme, segment, window), keyed by what it counts,
-- so a surge and a new-theme alert on the same contacts show the same number; the rate
-- ratio follows from the published count, and the q-value (which would give the exact count
-- back through the test behind it) stays in core.
-- A new_facet alert counts its facet's contacts, so its cell is keyed by the facet.
WITH published AS (
    SELECT a.*, af.facet_id,
           marts.publish(a.observed, marts.record_key(concat_ws('|', 'alert',
               coalesce(af.facet_id, a.theme_id), a.segment_kind, a.segment_value, a.day,
               a.window_days))) AS shown
    FROM core.alerts a LEFT JOIN core.alert_facets af USING (alert_id)
)
SELECT a.day, a.theme_id, coalesce(t.name, a.theme_id) AS theme_name, a.kind, a.segment_kind,
       a.segment_value, a.first_seen, a.shown AS observed, round(a.expected, 1) AS expected,
       round(a.shown / greatest(a.expected, 1e-9), 2) AS rate_ratio, a.window_days,
       a.facet_id, coalesce(f.name, a.facet_id) AS facet_name
FROM published a LEFT JOIN core.themes t USING (theme_id)
LEFT JOIN core.theme_facets f ON f.facet_id = a.facet_id
WHERE a.shown IS NOT NULL;
COMMENT ON VIEW marts.emerging_themes IS 'New and rising themes with where and since when; only alerts on at least 5 contacts.';
COMMENT ON COLUMN marts.emerging_themes.day IS 'Day the alert fired.';
COMMENT ON COLUMN marts.emerging_themes.theme_id IS 'Stable theme id.';
COMMENT ON COLUMN marts.emerging_themes.theme_name IS 'Dutch theme name.';
COMMENT ON COLUMN marts.emerging_themes.kind IS 'surge, new_theme, or new_facet (a new variation within a known theme; its count is the facet''s).';
COMMENT ON COLUMN marts.emerging_themes.segment_kind IS 'national, region, sector or region_sector.';
COMMENT ON COLUMN marts.emerging_themes.segment_value IS 'NL, province code, sector, or province|sector.';
COMMENT ON COLUMN marts.emerging_themes.first_seen IS 'First day of the rise.';
COMMENT ON COLUMN marts.emerging_themes.observed IS 'Contacts in the window, with cell-key noise of at most 2 (at least 5).';
COMMENT ON COLUMN marts.emerging_themes.expected IS 'Contacts expected from the baseline.';
COMMENT ON COLUMN marts.emerging_themes.rate_ratio IS 'observed (as published) / expected.';
COMMENT ON COLUMN marts.emerging_themes.window_days IS 'Tested window: 1 (that day), 3 or 7 days up to it; observed counts that window.';
COMMENT ON COLUMN marts.emerging_themes.facet_id IS 'The new facet of a new_facet alert (key into marts.theme_facets); NULL for the other kinds.';
COMMENT ON COLUMN marts.emerging_themes.facet_name IS 'Dutch name of that facet; NULL for the other kinds.';

CREATE OR REPLACE VIEW marts.themes AS
SELECT theme_id, name, keyphrases, status, born_at, first_seen_day FROM core.themes;
COMMENT ON VIEW marts.themes IS 'Theme dimension: stable id, Dutch name, key phrases, status.';

CREATE OR REPLACE VIEW marts.theme_lineage AS
SELECT refit_id, change, from_theme_id, to_theme_id, similarity, changed_at FROM core.theme_lineage;
COMMENT ON VIEW marts.theme_lineage IS 'Births, deaths, splits and merges of themes per refit.';

-- A quote tells when and where it comes from only as precisely as at least 5 contacts of its
-- theme share that: its week, then also its province, its sector, or both. A quote from a
-- smaller group keeps those columns NULL (docs/digest-and-dashboard.md: the limit of that).
CREATE OR REPLACE VIEW marts.theme_quotes AS
WITH quoted AS (
    SELECT q.theme_id, q.rank, f.occurred_week, f.region, f.sector
    FROM core.theme_quotes q
    JOIN marts.contact_theme_facts f ON f.event_id = q.event_id AND f.theme_id = q.theme_id
), shared AS (
    SELECT q.theme_id, q.rank, q.occurred_week, q.region, q.sector,
           marts.publish(count(*), sum(f.record_key)) AS in_week,
           marts.publish(count(*) FILTER (WHERE f.region = q.region),
                         sum(f.record_key) FILTER (WHERE f.region = q.region)) AS in_region,
           marts.publish(count(*) FILTER (WHERE f.sector = q.sector),
                         sum(f.record_key) FILTER (WHERE f.sector = q.sector)) AS in_sector,
           marts.publish(count(*) FILTER (WHERE f.region = q.region AND f.sector = q.sector),
                         sum(f.record_key) FILTER (WHERE f.region = q.region AND f.sector = q.sector)) AS in_both
    FROM quoted q
    JOIN marts.contact_theme_facts f
      ON f.theme_id = q.theme_id AND f.occurred_week = q.occurred_week
    GROUP BY ALL
)
SELECT q.theme_id, q.rank, q.quote,
       CASE WHEN s.in_week IS NOT NULL THEN s.occurred_week END AS iso_week,
       CASE WHEN s.in_region IS NOT NULL THEN s.region END AS region,
       CASE WHEN s.in_both IS NOT NULL OR (s.in_region IS NULL AND s.in_sector IS NOT NULL)
            THEN s.sector END AS sector
FROM core.theme_quotes q
LEFT JOIN shared s USING (theme_id, rank);
COMMENT ON VIEW marts.theme_quotes IS 'Anonymised quotes per theme (shown only to logged-in users), with the week, province and sector of the contact quoted where at least 5 contacts of the theme share them.';
COMMENT ON COLUMN marts.theme_quotes.theme_id IS 'Stable theme id.';
COMMENT ON COLUMN marts.theme_quotes.rank IS '1 = most representative.';
COMMENT ON COLUMN marts.theme_quotes.quote IS 'Anonymised quote (redacted, at most 300 characters, never about health).';
COMMENT ON COLUMN marts.theme_quotes.iso_week IS 'ISO week of the contact quoted; NULL when the theme had fewer than 5 contacts that week, or the contact is unknown or now in another theme.';
COMMENT ON COLUMN marts.theme_quotes.region IS 'Province of the contact quoted, when at least 5 contacts of the theme that week share it; else NULL.';
COMMENT ON COLUMN marts.theme_quotes.sector IS 'Sector of the contact quoted, when at least 5 contacts of the theme that week share it (and its province, if that is given); else NULL.';

-- Every drill level is counted from the contacts and then published, so a total is never
-- a sum of other published cells. NULL in a dimension column means "all of them".
CREATE OR REPLACE VIEW marts.theme_week_drilldown AS
SELECT occurred_week AS iso_week, theme_id, any_value(theme_name) AS theme_name,
       region, sector, channel, service_line, marts.publish(count(*), sum(record_key)) AS contacts
FROM marts.contact_theme_facts
GROUP BY occurred_week, theme_id, CUBE (region, sector, channel, service_line)
HAVING contacts IS NOT NULL
UNION ALL
SELECT occurred_week, 'alle', 'Alle thema''s', region, sector, channel, service_line,
       marts.publish(count(*), sum(record_key))
FROM marts.contact_theme_facts
GROUP BY occurred_week, CUBE (region, sector, channel, service_line)
HAVING marts.publish(count(*), sum(record_key)) IS NOT NULL;
COMMENT ON VIEW marts.theme_week_drilldown IS 'Contacts per ISO week x theme x any combination of province, sector, channel and service line (NULL = all); theme_id alle = all themes; cells with fewer than 5 (after noise) are left out.';
COMMENT ON COLUMN marts.theme_week_drilldown.iso_week IS 'ISO week in Europe/Amsterdam, e.g. 2026-W47.';
COMMENT ON COLUMN marts.theme_week_drilldown.theme_id IS 'Stable theme id, onbekend, or alle for all themes together.';
COMMENT ON COLUMN marts.theme_week_drilldown.theme_name IS 'Dutch theme name.';
COMMENT ON COLUMN marts.theme_week_drilldown.region IS 'ISO 3166-2:NL province code, unknown, or NULL for all provinces.';
COMMENT ON COLUMN marts.theme_week_drilldown.sector IS 'Sector, unknown, or NULL for all sectors.';
COMMENT ON COLUMN marts.theme_week_drilldown.channel IS 'phone, email, chat, webform, letter, or NULL for all channels.';
COMMENT ON COLUMN marts.theme_week_drilldown.service_line IS 'first_line, second_line_legal, or NULL for both.';
COMMENT ON COLUMN marts.theme_week_drilldown.contacts IS 'Number of contacts with cell-key noise of at most 2 (docs/warehouse.md, Disclosure control), at least 5; cells below that are left out.';
