-- episodes: the one definition of a rising or new theme in a segment (docs/warehouse.md,
-- "Episodes"). Every page, the digest, the alert mail and the dossier read it; none
-- computes a start, a window or a count of its own.
CREATE SCHEMA IF NOT EXISTS marts;
-- Replaced by marts.theme_episodes: its counts were keyed apart from the other marts.
DROP VIEW IF EXISTS marts.emerging_themes;

CREATE OR REPLACE VIEW marts.theme_episodes AS
WITH counted AS (
    -- An alert's count is counted again from the contacts as they are themed now, and
    -- published like any cell: the same contacts get the same key, so a 7-day window that
    -- is an ISO week shows exactly the weekly marts' number, and no alert contradicts them.
    SELECT a.alert_id, a.theme_id, a.kind, a.segment_kind, a.segment_value, a.day,
           a.window_days, a.expected, af.facet_id,
           marts.publish(count(f.event_id), sum(f.record_key)) AS observed
    FROM core.alerts a
    LEFT JOIN core.alert_facets af USING (alert_id)
    LEFT JOIN marts.contact_theme_facts f
      ON f.theme_id = a.theme_id
     AND f.occurred_day BETWEEN a.day - (a.window_days - 1) AND a.day
     AND CASE a.segment_kind
             WHEN 'national' THEN true
             WHEN 'province' THEN f.province = a.segment_value
             WHEN 'sector' THEN f.sector = a.segment_value
             ELSE f.province || '|' || f.sector = a.segment_value
         END
    LEFT JOIN core.contact_facets cf ON cf.event_id = f.event_id
    -- A new-facet alert counts the new facet's contacts, not its whole theme's.
    WHERE af.facet_id IS NULL OR cf.facet_id = af.facet_id
    GROUP BY ALL
), shown AS (
    SELECT *,
           -- Alert d with window w covers days d-w+1 .. d. It continues the run of the
           -- alert before it when no day lies uncovered between them (d - w <= previous day).
           CASE WHEN day - window_days <= lag(day) OVER run THEN 0 ELSE 1 END AS opens
    FROM counted
    WHERE observed IS NOT NULL
    WINDOW run AS (PARTITION BY theme_id, segment_kind, segment_value, facet_id ORDER BY day)
), numbered AS (
    SELECT *, sum(opens) OVER (PARTITION BY theme_id, segment_kind, segment_value, facet_id
                               ORDER BY day ROWS UNBOUNDED PRECEDING) AS episode_no
    FROM shown
), episodes AS (
    SELECT *,
           min(day) OVER episode AS episode_start,
           max(day) OVER episode AS episode_end,
           first_value(window_days) OVER (episode ORDER BY day) AS episode_window_days,
           first_value(kind) OVER (episode ORDER BY day) AS episode_kind,
           -- The expected count is a ratio of exact counts; published to a tenth it could
           -- pin a small baseline count, so it is published like a count: whole contacts
           -- plus cell-key noise of a key of its own, never below 0 (docs/warehouse.md).
           greatest(0, round(expected)::INTEGER + marts.noise(marts.record_key(concat_ws('|',
               'expected', theme_id, segment_kind, segment_value, day, window_days))))
               AS shown_expected
    FROM numbered
    WINDOW episode AS (PARTITION BY theme_id, segment_kind, segment_value, facet_id, episode_no)
)
SELECT e.day, e.theme_id, coalesce(t.name, e.theme_id) AS theme_name, e.kind, e.facet_id,
       coalesce(tf.name, e.facet_id) AS facet_name,
       e.segment_kind, e.segment_value, e.episode_start, e.episode_end, e.episode_kind,
       e.episode_window_days, e.window_days, e.day - (e.window_days - 1) AS window_start,
       e.observed, e.shown_expected::DOUBLE AS expected,
       round(e.observed / greatest(e.shown_expected, 1), 2) AS rate_ratio,
       row_number() OVER (PARTITION BY e.theme_id, e.day
                          ORDER BY e.observed / greatest(e.shown_expected, 1) DESC, e.observed DESC, e.segment_kind,
                                   e.segment_value) AS segment_rank
FROM episodes e LEFT JOIN core.themes t USING (theme_id)
LEFT JOIN core.theme_facets tf ON tf.facet_id = e.facet_id;
COMMENT ON VIEW marts.theme_episodes IS 'New and rising themes per segment, one row per alert day, each with its episode (a continuous run of alerts of one theme in one segment); only alerts on at least 5 contacts. Every view of alerts reads this mart.';
COMMENT ON COLUMN marts.theme_episodes.day IS 'Day the alert fired (Europe/Amsterdam).';
COMMENT ON COLUMN marts.theme_episodes.theme_id IS 'Stable theme id.';
COMMENT ON COLUMN marts.theme_episodes.theme_name IS 'Dutch theme name.';
COMMENT ON COLUMN marts.theme_episodes.kind IS 'surge, new_theme or new_facet: what the test found that day.';
COMMENT ON COLUMN marts.theme_episodes.facet_id IS 'The new facet of a new_facet alert; NULL for a theme alert.';
COMMENT ON COLUMN marts.theme_episodes.facet_name IS 'Dutch name of that facet (core.theme_facets); NULL for a theme alert.';
COMMENT ON COLUMN marts.theme_episodes.segment_kind IS 'national, province, sector or province_sector.';
COMMENT ON COLUMN marts.theme_episodes.segment_value IS 'NL, province code, sector, or province|sector.';
COMMENT ON COLUMN marts.theme_episodes.episode_start IS 'First day of the episode: the first alert day of the continuous run (each alert''s window reaches back to the alert before it) this alert belongs to.';
COMMENT ON COLUMN marts.theme_episodes.episode_end IS 'Last alert day of the episode so far.';
COMMENT ON COLUMN marts.theme_episodes.episode_kind IS 'kind of the alert that opened the episode.';
COMMENT ON COLUMN marts.theme_episodes.episode_window_days IS 'Window (1, 3 or 7 days) of the alert that opened the episode.';
COMMENT ON COLUMN marts.theme_episodes.window_days IS 'Window of this alert: 1 (that day), 3 or 7 days up to and including day.';
COMMENT ON COLUMN marts.theme_episodes.window_start IS 'First day of the window: observed counts window_start .. day.';
COMMENT ON COLUMN marts.theme_episodes.observed IS 'Contacts of the theme in the segment over the window, counted from the contacts as themed now, with cell-key noise of at most 2 (at least 5).';
COMMENT ON COLUMN marts.theme_episodes.expected IS 'Contacts expected over the window from the baseline, rounded to whole contacts with cell-key noise of at most 2, never below 0.';
COMMENT ON COLUMN marts.theme_episodes.rate_ratio IS 'observed / expected, both as published (expected counted as at least 1).';
COMMENT ON COLUMN marts.theme_episodes.segment_rank IS 'Rank of the segment among the theme''s alerts that day, by rate ratio, then count (1 = the headline).';
