-- core (themes): theme identities, their lineage across refits, assignments and alerts.
CREATE TABLE IF NOT EXISTS core.themes (
    theme_id       VARCHAR PRIMARY KEY,
    name           VARCHAR NOT NULL,
    keyphrases     VARCHAR[] NOT NULL,
    status         VARCHAR NOT NULL,
    born_at        TIMESTAMPTZ NOT NULL,
    first_seen_day DATE,
    updated_at     TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE core.themes IS 'One row per theme identity; ids stay stable across refits.';
COMMENT ON COLUMN core.themes.theme_id IS 'Stable theme id, e.g. T0007.';
COMMENT ON COLUMN core.themes.name IS 'Dutch name shown to officials (from the taxonomy when curated, else from key phrases).';
COMMENT ON COLUMN core.themes.keyphrases IS 'Most distinctive words and phrases of the theme (c-TF-IDF).';
COMMENT ON COLUMN core.themes.status IS 'active (found in the latest refit or born since), inactive (not found in the latest refit).';
COMMENT ON COLUMN core.themes.born_at IS 'When the theme was first discovered (UTC).';
COMMENT ON COLUMN core.themes.first_seen_day IS 'Day of the earliest contact assigned to the theme.';
COMMENT ON COLUMN core.themes.updated_at IS 'Last refit that touched the theme (UTC).';

CREATE TABLE IF NOT EXISTS core.theme_runs (
    refit_id VARCHAR PRIMARY KEY,
    data_day DATE NOT NULL
);
COMMENT ON TABLE core.theme_runs IS 'Each refit or birth job and the last day of contacts it saw: the day its lineage rows speak of (a backfill or demo runs months of data in minutes, so the run time says nothing to an official).';
COMMENT ON COLUMN core.theme_runs.refit_id IS 'Identifier of the refit (its UTC time) or birth (birth-<time>), as in core.theme_lineage and core.facet_lineage.';
COMMENT ON COLUMN core.theme_runs.data_day IS 'Refit: the last day of its window. Birth: the day of the newest contact it was born from.';

CREATE TABLE IF NOT EXISTS core.theme_lineage (
    refit_id      VARCHAR NOT NULL,
    change        VARCHAR NOT NULL,
    from_theme_id VARCHAR,
    to_theme_id   VARCHAR,
    similarity    DOUBLE,
    changed_at    TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE core.theme_lineage IS 'What each refit did to the themes: continued, born, died, split or merged.';
COMMENT ON COLUMN core.theme_lineage.refit_id IS 'Identifier of the refit (its UTC time).';
COMMENT ON COLUMN core.theme_lineage.change IS 'continued, born, died, split, merged or dormant (a pinned theme without a match).';
COMMENT ON COLUMN core.theme_lineage.from_theme_id IS 'Theme before the refit (NULL for a birth).';
COMMENT ON COLUMN core.theme_lineage.to_theme_id IS 'Theme after the refit (NULL for a death).';
COMMENT ON COLUMN core.theme_lineage.similarity IS 'Match score between the old and new theme (centroid and key phrases).';
COMMENT ON COLUMN core.theme_lineage.changed_at IS 'When the refit ran (UTC).';

CREATE TABLE IF NOT EXISTS core.contact_themes (
    event_id    VARCHAR PRIMARY KEY,
    theme_id    VARCHAR,
    similarity  DOUBLE,
    assigned_by VARCHAR NOT NULL,
    assigned_at TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE core.contact_themes IS 'The theme of each contact; theme_id NULL means nog onbekend (not yet assigned).';
COMMENT ON COLUMN core.contact_themes.event_id IS 'Key into core.contacts.';
COMMENT ON COLUMN core.contact_themes.theme_id IS 'Key into core.themes: the theme (member subject) of the contact''s facet (core.contact_facets); NULL while no theme fits.';
COMMENT ON COLUMN core.contact_themes.similarity IS 'Cosine similarity to the theme centroid; NULL while no theme model existed to compare with (assigned as soon as one does).';
COMMENT ON COLUMN core.contact_themes.assigned_by IS 'online (nearest theme on arrival), refit (theme discovery), birth (a new theme found among unassigned contacts) or settled (left unthemed on arrival, given its nearest facet by the refit''s rule when its week closed).';
COMMENT ON COLUMN core.contact_themes.assigned_at IS 'When the assignment was made (UTC).';

-- Beside core.contact_themes (not a column of it), so readers of that table are unchanged.
CREATE TABLE IF NOT EXISTS core.contact_facets (
    event_id VARCHAR PRIMARY KEY,
    facet_id VARCHAR
);
COMMENT ON TABLE core.contact_facets IS 'The facet of each contact, written with its theme in core.contact_themes; no row for assignments made before the theme tree.';
COMMENT ON COLUMN core.contact_facets.event_id IS 'Key into core.contacts and core.contact_themes.';
COMMENT ON COLUMN core.contact_facets.facet_id IS 'Key into core.theme_facets: the variation within the contact''s theme; NULL while no theme fits.';

CREATE TABLE IF NOT EXISTS core.theme_facets (
    facet_id   VARCHAR PRIMARY KEY,
    theme_id   VARCHAR NOT NULL,
    name       VARCHAR NOT NULL,
    keyphrases VARCHAR[] NOT NULL,
    status     VARCHAR NOT NULL,
    born_at    TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE core.theme_facets IS 'One row per facet: a variation beneath a theme (one discovered cluster); ids stay stable across refits.';
COMMENT ON COLUMN core.theme_facets.facet_id IS 'Stable facet id, e.g. F0031.';
COMMENT ON COLUMN core.theme_facets.theme_id IS 'Key into core.themes: the theme the facet belongs to now.';
COMMENT ON COLUMN core.theme_facets.name IS 'Dutch name of the facet (from the taxonomy when curated, else from key phrases).';
COMMENT ON COLUMN core.theme_facets.keyphrases IS 'Most distinctive words and phrases of the facet (c-TF-IDF).';
COMMENT ON COLUMN core.theme_facets.status IS 'active (found in the latest refit or born since), inactive (not found in the latest refit).';
COMMENT ON COLUMN core.theme_facets.born_at IS 'When the facet was first discovered (UTC).';
COMMENT ON COLUMN core.theme_facets.updated_at IS 'Last refit or birth that touched the facet (UTC).';

CREATE TABLE IF NOT EXISTS core.facet_lineage (
    refit_id      VARCHAR NOT NULL,
    change        VARCHAR NOT NULL,
    from_facet_id VARCHAR,
    to_facet_id   VARCHAR,
    from_theme_id VARCHAR,
    to_theme_id   VARCHAR,
    similarity    DOUBLE,
    changed_at    TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE core.facet_lineage IS 'What each refit or birth did to the facets: continued, born, died, split, merged or moved to another theme.';
COMMENT ON COLUMN core.facet_lineage.refit_id IS 'Identifier of the refit (its UTC time) or birth (birth-<time>).';
COMMENT ON COLUMN core.facet_lineage.change IS 'continued, born, died, split, merged, dormant or moved (same facet, another theme).';
COMMENT ON COLUMN core.facet_lineage.from_facet_id IS 'Facet before the change (NULL for a birth).';
COMMENT ON COLUMN core.facet_lineage.to_facet_id IS 'Facet after the change (NULL for a death).';
COMMENT ON COLUMN core.facet_lineage.from_theme_id IS 'Theme of the facet before the change (NULL for a birth or where unknown).';
COMMENT ON COLUMN core.facet_lineage.to_theme_id IS 'Theme of the facet after the change (NULL for a death).';
COMMENT ON COLUMN core.facet_lineage.similarity IS 'Match score between the old and new facet (centroid and key phrases).';
COMMENT ON COLUMN core.facet_lineage.changed_at IS 'When the change was made (UTC).';

CREATE TABLE IF NOT EXISTS core.theme_quotes (
    theme_id VARCHAR NOT NULL,
    rank     INTEGER NOT NULL,
    quote    VARCHAR NOT NULL,
    event_id VARCHAR,
    PRIMARY KEY (theme_id, rank)
);
-- Warehouses created before quotes kept their contact get the column (NULL for their old quotes).
ALTER TABLE core.theme_quotes ADD COLUMN IF NOT EXISTS event_id VARCHAR;
COMMENT ON TABLE core.theme_quotes IS 'Anonymised quotes per theme, up to three per ISO week of the refit window (most representative first): redacted, shortened, without health details.';
COMMENT ON COLUMN core.theme_quotes.theme_id IS 'Key into core.themes.';
COMMENT ON COLUMN core.theme_quotes.rank IS 'Order within the theme, 1 = most representative.';
COMMENT ON COLUMN core.theme_quotes.quote IS 'Anonymised quote (redacted text, at most 300 characters).';
COMMENT ON COLUMN core.theme_quotes.event_id IS 'Key into core.contacts: the contact quoted, so a digest can quote from its own week, province and sector. NULL for quotes written before it was kept; a digest never shows those.';

CREATE TABLE IF NOT EXISTS core.alerts (
    alert_id      VARCHAR PRIMARY KEY,
    theme_id      VARCHAR NOT NULL,
    kind          VARCHAR NOT NULL,
    segment_kind  VARCHAR NOT NULL,
    segment_value VARCHAR NOT NULL,
    window_days   INTEGER NOT NULL,
    day           DATE NOT NULL,
    first_seen    DATE NOT NULL,
    observed      INTEGER NOT NULL,
    expected      DOUBLE NOT NULL,
    rate_ratio    DOUBLE,
    p_value       DOUBLE,
    q_value       DOUBLE,
    raised_at     TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE core.alerts IS 'Emerging themes: a surge against the theme''s own baseline, or a newborn theme that grows.';
COMMENT ON COLUMN core.alerts.alert_id IS 'Deterministic id: theme, kind, segment and day.';
COMMENT ON COLUMN core.alerts.theme_id IS 'Key into core.themes.';
COMMENT ON COLUMN core.alerts.kind IS 'surge, new_theme, or new_facet (a new variation within a theme known for longer than the baseline).';
COMMENT ON COLUMN core.alerts.segment_kind IS 'national, province, sector or province_sector.';
COMMENT ON COLUMN core.alerts.segment_value IS 'NL, a province code, a sector, or province|sector.';
COMMENT ON COLUMN core.alerts.window_days IS 'Length of the tested window: 1 (that day) or 7 (the week up to that day).';
COMMENT ON COLUMN core.alerts.day IS 'Day the test fired (Europe/Amsterdam).';
COMMENT ON COLUMN core.alerts.first_seen IS 'First day of the current rise in this segment.';
COMMENT ON COLUMN core.alerts.observed IS 'Contacts observed on that day in the segment (always at least 5).';
COMMENT ON COLUMN core.alerts.expected IS 'Contacts expected from the baseline.';
COMMENT ON COLUMN core.alerts.rate_ratio IS 'observed / expected.';
COMMENT ON COLUMN core.alerts.p_value IS 'One-sided p-value of the surge test.';
COMMENT ON COLUMN core.alerts.q_value IS 'Benjamini-Hochberg adjusted p-value over all segments tested that day.';
COMMENT ON COLUMN core.alerts.raised_at IS 'When the alert was raised (UTC).';

CREATE TABLE IF NOT EXISTS core.alert_facets (
    alert_id VARCHAR PRIMARY KEY,
    facet_id VARCHAR NOT NULL
);
COMMENT ON TABLE core.alert_facets IS 'The new facet of each new_facet alert (beside core.alerts, whose theme_id is the facet''s theme).';
COMMENT ON COLUMN core.alert_facets.alert_id IS 'Key into core.alerts.';
COMMENT ON COLUMN core.alert_facets.facet_id IS 'Key into core.theme_facets: the facet that is new within its theme.';
