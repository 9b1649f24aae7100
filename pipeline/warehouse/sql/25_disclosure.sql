-- disclosure: the one place where published counts are made (pipeline/disclosure.py
-- fills the ${...} values; docs/warehouse.md, "Disclosure control", says why).
CREATE SCHEMA IF NOT EXISTS marts;

-- The salt of the record keys. It stays in the restricted warehouse: without it nobody can
-- compute a cell's key, so nobody can tell its noise.
CREATE TABLE IF NOT EXISTS core.cell_key_salt (salt VARCHAR NOT NULL);
INSERT INTO core.cell_key_salt SELECT '${new_salt}' WHERE NOT EXISTS (SELECT 1 FROM core.cell_key_salt);
COMMENT ON TABLE core.cell_key_salt IS 'Secret salt of the record keys of cell-key perturbation (one row, made once); never leaves the warehouse.';
COMMENT ON COLUMN core.cell_key_salt.salt IS '64 random hex digits.';

-- A fixed pseudo-random key in [0, 2^32) for a record (a contact, or an alert cell).
CREATE OR REPLACE MACRO marts.record_key(id) AS
    ('0x' || sha256((SELECT min(salt) FROM core.cell_key_salt) || id)[1:8])::UBIGINT;
-- The writer stores each contact's key as it lands (core.contacts.record_key); contacts landed
-- before it did get theirs here, once.
UPDATE core.contacts SET record_key = marts.record_key(event_id) WHERE record_key IS NULL;

-- The noise of a cell with key `cell_key` (the sum of its records' keys).
CREATE OR REPLACE MACRO marts.noise(cell_key) AS
    (${noise_table})[(cell_key % ${noise_slots})::INTEGER + 1];

-- The published count: count plus noise, NULL unless both are at least ${min_cell_size}.
CREATE OR REPLACE MACRO marts.publish(n, cell_key) AS
    CASE WHEN n >= ${min_cell_size} AND n + marts.noise(cell_key) >= ${min_cell_size}
         THEN n + marts.noise(cell_key) END;
