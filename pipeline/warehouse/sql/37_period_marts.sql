-- periods: the overview's "this period against the one before" (docs/warehouse.md, "Period
-- marts"). A period of 4 or 13 weeks is counted from its contacts and published like any
-- cell, never summed from the published weekly cells: a sum would silently miss the weeks left out
-- under 5, and would be a new number nobody perturbed. A 1-week period holds exactly the
-- contacts of marts.theme_week's (and marts.facet_week's) cell, so it shows the same number.
CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE VIEW marts.theme_period AS
WITH lengths AS (
    SELECT unnest([1, 4, 13]) AS period_weeks
), weekly AS (
    -- Exact counts and cell keys per week (never published): a period's count and key are
    -- their sums, exactly what counting its contacts gives, at a fraction of the rows.
    SELECT date_trunc('week', f.occurred_day)::DATE AS monday, f.theme_id,
           any_value(f.theme_name) AS theme_name,
           CASE WHEN f.theme_id <> 'onbekend' THEN cf.facet_id END AS facet_id,
           count(*) AS n, sum(f.record_key) AS cell_key
    FROM marts.contact_theme_facts f
    LEFT JOIN core.contact_facets cf USING (event_id)
    GROUP BY ALL
), data_end AS (
    SELECT max(monday) AS last_monday FROM weekly
), placed AS (
    -- A week w counts in each period of n weeks that ends in w .. w + n - 1, but no period
    -- ends after the last week with data: it would be a period not yet over.
    SELECT p.* FROM (
        SELECT w.*, l.period_weeks,
               (w.monday + INTERVAL 7 DAY * unnest(range(l.period_weeks)))::DATE AS last_monday
        FROM weekly w, lengths l
    ) p, data_end d
    WHERE p.last_monday <= d.last_monday
), counted AS (
    SELECT period_weeks, last_monday, theme_id, any_value(theme_name) AS theme_name,
           NULL::VARCHAR AS facet_id, marts.publish(sum(n), sum(cell_key)) AS contacts
    FROM placed GROUP BY period_weeks, last_monday, theme_id
    UNION ALL
    SELECT period_weeks, last_monday, 'alle', 'Alle thema''s', NULL,
           marts.publish(sum(n), sum(cell_key))
    FROM placed GROUP BY period_weeks, last_monday
    UNION ALL
    SELECT period_weeks, last_monday, theme_id, any_value(theme_name), facet_id,
           marts.publish(sum(n), sum(cell_key))
    FROM placed WHERE facet_id IS NOT NULL GROUP BY period_weeks, last_monday, theme_id, facet_id
)
SELECT c.period_weeks,
       strftime(c.last_monday - INTERVAL 7 DAY * (c.period_weeks - 1), '%G-W%V') AS first_week,
       strftime(c.last_monday, '%G-W%V') AS last_week,
       c.theme_id, c.theme_name, c.facet_id, coalesce(tf.name, c.facet_id) AS facet_name,
       c.contacts
FROM counted c
LEFT JOIN core.theme_facets tf ON tf.facet_id = c.facet_id
WHERE c.contacts IS NOT NULL;
COMMENT ON VIEW marts.theme_period IS 'Contacts per period of 1, 4 or 13 ISO weeks x theme (alle = all themes) and x facet, each period counted from its contacts and published; cells with fewer than 5 (after noise) are left out.';
COMMENT ON COLUMN marts.theme_period.period_weeks IS 'Length of the period in ISO weeks: 1, 4 or 13 (a quarter).';
COMMENT ON COLUMN marts.theme_period.first_week IS 'First ISO week of the period, e.g. 2026-W44.';
COMMENT ON COLUMN marts.theme_period.last_week IS 'Last ISO week of the period (at most the last week with data), e.g. 2026-W47.';
COMMENT ON COLUMN marts.theme_period.theme_id IS 'Stable theme id, onbekend, or alle for all themes together.';
COMMENT ON COLUMN marts.theme_period.theme_name IS 'Dutch theme name.';
COMMENT ON COLUMN marts.theme_period.facet_id IS 'A facet of the theme; NULL for the whole theme.';
COMMENT ON COLUMN marts.theme_period.facet_name IS 'Dutch facet name; NULL for the whole theme.';
COMMENT ON COLUMN marts.theme_period.contacts IS 'Number of contacts in the period with cell-key noise of at most 2 (docs/warehouse.md, Disclosure control), at least 5; cells below that are left out.';
