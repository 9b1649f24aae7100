-- marts (facets): the variations beneath each theme, counted like the themes themselves.
-- Every count goes through marts.publish (25_disclosure.sql). A facet cell counts its
-- contacts under their theme (core.contact_themes), so a theme's facets nest inside its cells;
-- a theme of one facet shows the same number for both (same contacts, same cell key).

CREATE OR REPLACE VIEW marts.contact_facet_facts AS
SELECT f.event_id, f.occurred_week, f.channel, f.province, f.sector, f.service_line,
       f.theme_id, f.theme_name, cf.facet_id, coalesce(tf.name, cf.facet_id) AS facet_name,
       f.record_key
FROM marts.contact_theme_facts f
JOIN core.contact_facets cf USING (event_id)
LEFT JOIN core.theme_facets tf ON tf.facet_id = cf.facet_id
WHERE cf.facet_id IS NOT NULL AND f.theme_id <> 'onbekend';
COMMENT ON VIEW marts.contact_facet_facts IS 'Internal building block (one row per contact with a facet, no text); the facet marts aggregate it and publish every count through marts.publish.';

CREATE OR REPLACE VIEW marts.theme_facets AS
WITH counted AS (
    SELECT facet_id, marts.publish(count(*), sum(record_key)) AS contacts
    FROM marts.contact_facet_facts
    GROUP BY facet_id
)
SELECT tf.facet_id, tf.theme_id, t.name AS theme_name, tf.name, tf.keyphrases, tf.status,
       tf.born_at, c.contacts
FROM core.theme_facets tf
LEFT JOIN core.themes t USING (theme_id)
LEFT JOIN counted c USING (facet_id);
COMMENT ON VIEW marts.theme_facets IS 'Facet dimension: each variation beneath a theme, with its theme, Dutch name and all its contacts so far.';
COMMENT ON COLUMN marts.theme_facets.facet_id IS 'Stable facet id, e.g. F0031.';
COMMENT ON COLUMN marts.theme_facets.theme_id IS 'Stable id of the theme the facet belongs to now (key into marts.themes).';
COMMENT ON COLUMN marts.theme_facets.theme_name IS 'Dutch name of that theme.';
COMMENT ON COLUMN marts.theme_facets.name IS 'Dutch name of the facet, relative to its theme (e.g. camera in de cabine).';
COMMENT ON COLUMN marts.theme_facets.keyphrases IS 'Most distinctive words and phrases of the facet.';
COMMENT ON COLUMN marts.theme_facets.status IS 'active (found in the latest refit or born since) or inactive.';
COMMENT ON COLUMN marts.theme_facets.born_at IS 'When the facet was first discovered (UTC).';
COMMENT ON COLUMN marts.theme_facets.contacts IS 'All contacts of the facet in the snapshot, with cell-key noise of at most 2 (docs/warehouse.md, Disclosure control); NULL when fewer than 5 (after noise).';

-- Every drill level is counted from the contacts and then published, as in
-- marts.theme_week_drilldown. NULL in a dimension column means "all of them".
CREATE OR REPLACE VIEW marts.facet_week_drilldown AS
SELECT occurred_week AS iso_week, facet_id, any_value(facet_name) AS facet_name,
       theme_id, province, sector, channel, service_line,
       marts.publish(count(*), sum(record_key)) AS contacts
FROM marts.contact_facet_facts
GROUP BY occurred_week, facet_id, theme_id, CUBE (province, sector, channel, service_line)
HAVING contacts IS NOT NULL;
COMMENT ON VIEW marts.facet_week_drilldown IS 'Contacts per ISO week x facet x any combination of province, sector, channel and service line (NULL = all); cells with fewer than 5 (after noise) are left out.';
COMMENT ON COLUMN marts.facet_week_drilldown.iso_week IS 'ISO week in Europe/Amsterdam, e.g. 2026-W47.';
COMMENT ON COLUMN marts.facet_week_drilldown.facet_id IS 'Stable facet id.';
COMMENT ON COLUMN marts.facet_week_drilldown.facet_name IS 'Dutch facet name.';
COMMENT ON COLUMN marts.facet_week_drilldown.theme_id IS 'Stable id of the theme of these contacts.';
COMMENT ON COLUMN marts.facet_week_drilldown.province IS 'ISO 3166-2:NL province code, unknown, or NULL for all provinces.';
COMMENT ON COLUMN marts.facet_week_drilldown.sector IS 'Sector, unknown, or NULL for all sectors.';
COMMENT ON COLUMN marts.facet_week_drilldown.channel IS 'phone, email, chat, webform, letter, or NULL for all channels.';
COMMENT ON COLUMN marts.facet_week_drilldown.service_line IS 'first_line, second_line_legal, or NULL for both.';
COMMENT ON COLUMN marts.facet_week_drilldown.contacts IS 'Number of contacts with cell-key noise of at most 2 (docs/warehouse.md, Disclosure control), at least 5; cells below that are left out.';

CREATE OR REPLACE VIEW marts.facet_week AS
SELECT iso_week, theme_id, facet_id, facet_name, contacts
FROM marts.facet_week_drilldown
WHERE province IS NULL AND sector IS NULL AND channel IS NULL AND service_line IS NULL;
COMMENT ON VIEW marts.facet_week IS 'Contacts per ISO week x facet (the same cells as theme_week, one level down); cells with fewer than 5 (after noise) are left out.';
COMMENT ON COLUMN marts.facet_week.iso_week IS 'ISO week in Europe/Amsterdam, e.g. 2026-W47.';
COMMENT ON COLUMN marts.facet_week.theme_id IS 'Stable id of the theme of these contacts.';
COMMENT ON COLUMN marts.facet_week.facet_id IS 'Stable facet id.';
COMMENT ON COLUMN marts.facet_week.facet_name IS 'Dutch facet name.';
COMMENT ON COLUMN marts.facet_week.contacts IS 'Number of contacts with cell-key noise of at most 2 (docs/warehouse.md, Disclosure control), at least 5; cells below that are left out.';

-- What happened to each facet, in a sentence an official reads (Dutch).
CREATE OR REPLACE VIEW marts.facet_lineage AS
WITH named AS (
    SELECT l.*, ff.name AS from_facet_name, tf.name AS to_facet_name,
           ft.name AS from_theme_name, tt.name AS to_theme_name,
           coalesce(r.data_day, l.changed_at::DATE) AS data_day
    FROM core.facet_lineage l
    LEFT JOIN core.theme_runs r USING (refit_id)
    LEFT JOIN core.theme_facets ff ON ff.facet_id = l.from_facet_id
    LEFT JOIN core.theme_facets tf ON tf.facet_id = l.to_facet_id
    LEFT JOIN core.themes ft ON ft.theme_id = l.from_theme_id
    LEFT JOIN core.themes tt ON tt.theme_id = l.to_theme_id
)
SELECT refit_id, change, from_facet_id, from_facet_name, from_theme_id, from_theme_name,
       to_facet_id, to_facet_name, to_theme_id, to_theme_name, similarity, changed_at, data_day,
       CASE change
           WHEN 'born' THEN format('Nieuw aspect ''{}'' bij thema ''{}''.',
               coalesce(to_facet_name, to_facet_id), coalesce(to_theme_name, to_theme_id))
           WHEN 'continued' THEN format('Aspect ''{}'' loopt door.',
               coalesce(to_facet_name, to_facet_id))
           WHEN 'moved' THEN format('Aspect ''{}'' is verplaatst van thema ''{}'' naar thema ''{}''.',
               coalesce(to_facet_name, to_facet_id), coalesce(from_theme_name, from_theme_id, 'onbekend'),
               coalesce(to_theme_name, to_theme_id))
           WHEN 'split' THEN format('Aspect ''{}'' is gesplitst; een deel is nu ''{}''.',
               coalesce(from_facet_name, from_facet_id), coalesce(to_facet_name, to_facet_id))
           WHEN 'merged' THEN format('Aspect ''{}'' is samengevoegd met ''{}''.',
               coalesce(from_facet_name, from_facet_id), coalesce(to_facet_name, to_facet_id))
           WHEN 'died' THEN format('Aspect ''{}'' komt niet meer voor.',
               coalesce(from_facet_name, from_facet_id))
           WHEN 'dormant' THEN format('Aspect ''{}'' is niet teruggevonden; het blijft bestaan.',
               coalesce(from_facet_name, from_facet_id))
           ELSE format('Aspect ''{}'': {}.',
               coalesce(to_facet_name, from_facet_name, to_facet_id, from_facet_id), change)
       END AS description
FROM named;
COMMENT ON VIEW marts.facet_lineage IS 'What each refit or birth did to the facets (born, continued, moved, split, merged, died, dormant), with names and a Dutch sentence.';
COMMENT ON COLUMN marts.facet_lineage.refit_id IS 'Identifier of the refit (its UTC time) or birth (birth-<time>).';
COMMENT ON COLUMN marts.facet_lineage.change IS 'born, continued, moved (same facet, another theme), split, merged, died or dormant.';
COMMENT ON COLUMN marts.facet_lineage.from_facet_id IS 'Facet before the change (NULL for a birth).';
COMMENT ON COLUMN marts.facet_lineage.from_facet_name IS 'Its Dutch name now.';
COMMENT ON COLUMN marts.facet_lineage.from_theme_id IS 'Theme of the facet before the change (NULL for a birth or where unknown).';
COMMENT ON COLUMN marts.facet_lineage.from_theme_name IS 'Dutch name of that theme now.';
COMMENT ON COLUMN marts.facet_lineage.to_facet_id IS 'Facet after the change (NULL for a death).';
COMMENT ON COLUMN marts.facet_lineage.to_facet_name IS 'Its Dutch name now.';
COMMENT ON COLUMN marts.facet_lineage.to_theme_id IS 'Theme of the facet after the change (NULL for a death).';
COMMENT ON COLUMN marts.facet_lineage.to_theme_name IS 'Dutch name of that theme now.';
COMMENT ON COLUMN marts.facet_lineage.similarity IS 'Match score between the old and new facet.';
COMMENT ON COLUMN marts.facet_lineage.changed_at IS 'When the change was made (UTC).';
COMMENT ON COLUMN marts.facet_lineage.data_day IS 'The day of the data the change was found in (see marts.theme_lineage.data_day).';
COMMENT ON COLUMN marts.facet_lineage.description IS 'The change in one Dutch sentence, with the names.';
