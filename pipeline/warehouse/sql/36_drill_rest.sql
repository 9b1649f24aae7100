-- drill rest: the drill-down's "overige …, samen N" line (docs/warehouse.md, "Disclosure
-- control"). Where values of a drill level are left out (fewer than 5), they are counted
-- together, from the contacts, and published like any cell, instead of hiding more.
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE VIEW marts.theme_week_drill_rest AS
WITH facts AS (
    SELECT occurred_week, theme_id, province, sector, channel, service_line, record_key
    FROM marts.contact_theme_facts
    UNION ALL
    SELECT occurred_week, 'alle', province, sector, channel, service_line, record_key
    FROM marts.contact_theme_facts
), cells AS (
    -- The drill path: province, then sector, then channel, then service line.
    SELECT 'province' AS level, occurred_week, theme_id, NULL::VARCHAR AS province,
           NULL::VARCHAR AS sector, NULL::VARCHAR AS channel, province AS value,
           count(*) AS n, sum(record_key) AS cell_key
    FROM facts GROUP BY ALL
    UNION ALL
    SELECT 'sector', occurred_week, theme_id, province, NULL, NULL, sector, count(*), sum(record_key)
    FROM facts GROUP BY ALL
    UNION ALL
    SELECT 'channel', occurred_week, theme_id, province, sector, NULL, channel, count(*),
           sum(record_key)
    FROM facts GROUP BY ALL
    UNION ALL
    SELECT 'service_line', occurred_week, theme_id, province, sector, channel, service_line,
           count(*), sum(record_key)
    FROM facts GROUP BY ALL
)
SELECT occurred_week AS iso_week, theme_id, level, province, sector, channel,
       marts.publish(sum(n), sum(cell_key)) AS contacts
FROM cells
WHERE marts.publish(n, cell_key) IS NULL
GROUP BY ALL
-- A group of one left-out value is that value's cell (the same contacts, the same key), so
-- marts.publish leaves it out as it left out the value: no group ever shows a single value.
HAVING marts.publish(sum(n), sum(cell_key)) IS NOT NULL;
COMMENT ON VIEW marts.theme_week_drill_rest IS 'Per drill-down cell (week, theme, the values chosen so far) and the level it splits by next: the values left out of that level (fewer than 5 each) counted together; only groups of at least two non-empty values that are themselves at least 5 (after noise).';
COMMENT ON COLUMN marts.theme_week_drill_rest.iso_week IS 'ISO week in Europe/Amsterdam.';
COMMENT ON COLUMN marts.theme_week_drill_rest.theme_id IS 'Stable theme id, onbekend, or alle for all themes together.';
COMMENT ON COLUMN marts.theme_week_drill_rest.level IS 'The level split: province, sector, channel or service_line (the drill path in that order).';
COMMENT ON COLUMN marts.theme_week_drill_rest.province IS 'Province chosen, or NULL when the level is province.';
COMMENT ON COLUMN marts.theme_week_drill_rest.sector IS 'Sector chosen, or NULL above the sector level.';
COMMENT ON COLUMN marts.theme_week_drill_rest.channel IS 'Channel chosen, or NULL above the service-line level.';
COMMENT ON COLUMN marts.theme_week_drill_rest.contacts IS 'Contacts of the left-out values together, with cell-key noise of at most 2 (at least 5).';
