-- catalog_order: premix's column query has no ORDER BY (sorting the rows
-- cost the server a quarter of the query); columns come back in attnum
-- order whatever order the server's plan returns the rows in.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS premix;
RESET client_min_messages;
CREATE SCHEMA t_order;
SET search_path = t_order, public;

CREATE TABLE a (x integer, y text, z date);
CREATE TABLE b (p integer, q integer);
SELECT format('CREATE TABLE c (%s)', string_agg(format('c%s integer', i), ', ' ORDER BY i))
  FROM generate_series(1, 24) i \gexec
-- new row versions of a.x, b.p and every other column of c: later in
-- pg_attribute than their siblings, so a scan of pg_attribute meets them
-- after y, z, q and c's even columns
ALTER TABLE a ALTER COLUMN x SET NOT NULL;
ALTER TABLE b ALTER COLUMN p SET NOT NULL;
SELECT format('ALTER TABLE c ALTER COLUMN c%s SET NOT NULL', i) FROM generate_series(1, 24, 2) i \gexec
ALTER TABLE a ADD COLUMN w boolean;

-- hash joins over sequential scans: rows in the catalog's physical order
-- (the session's first premix call prepares premix's plans with these)
SET enable_indexscan = off;
SET enable_bitmapscan = off;
SET enable_nestloop = off;
SET enable_mergejoin = off;
SET enable_sort = off;
-- the server's own order for a scan of these columns, for comparison
SELECT c.relname, string_agg(a.attname, ', ') AS columns FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
 WHERE c.relnamespace = 't_order'::regnamespace AND a.attnum > 0 GROUP BY 1 ORDER BY 1;
SELECT t->>'name' AS "table", string_agg(col->>'name', ', ' ORDER BY o) AS columns
  FROM jsonb_array_elements(premix_schema()->'tables') t,
       jsonb_array_elements(t->'columns') WITH ORDINALITY AS x(col, o)
 GROUP BY 1 ORDER BY 1;
SELECT jsonb_array_length(premix_diff(premix_schema())->'steps') AS steps;
RESET enable_indexscan;
RESET enable_bitmapscan;
RESET enable_nestloop;
RESET enable_mergejoin;
RESET enable_sort;

SET client_min_messages = warning;
DROP SCHEMA t_order CASCADE;
