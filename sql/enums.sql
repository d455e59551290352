-- enums: enum types are part of the schema premix reads (premix_schema
-- lists them under "enums") and, when a target lists them, manages: new
-- types are created before the tables that use them, new labels are added
-- in place (ADD VALUE BEFORE/AFTER), a drop or reorder of labels is
-- blocked with the way out, a type the target leaves out is dropped only
-- with allow_destructive.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS premix;
RESET client_min_messages;
CREATE SCHEMA t_enums;
SET search_path = t_enums, public;
CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE TYPE unused AS ENUM ('x');
CREATE TABLE p (id integer PRIMARY KEY, m mood DEFAULT 'ok');
INSERT INTO p VALUES (1, 'sad');

SELECT premix_schema() -> 'enums' AS enums;
SELECT premix_diff(premix_schema()) -> 'steps' AS steps;

\set target '{"enums": [{"name": "mood", "values": ["meh", "sad", "ok", "happy"]}, {"name": "color", "values": ["red", "green"]}, {"name": "unused", "values": ["x"]}], "tables": [{"name": "p", "columns": [{"name": "id", "type": "integer", "nullable": false}, {"name": "m", "type": "mood", "default": "''ok''"}, {"name": "c", "type": "color", "default": "''red''"}], "primary_key": {"columns": ["id"]}}]}'
\pset format unaligned
\pset tuples_only on
SELECT premix_preview(:'target');
\pset format aligned
\pset tuples_only off
SELECT premix_migrate(:'target') ->> 'applied' AS applied;
SELECT enum_range(NULL::mood) AS mood, enum_range(NULL::color) AS color;
SELECT * FROM p;
SELECT premix_diff(:'target') -> 'steps' AS rediff;

-- labels dropped or reordered: blocked, nothing changes
SELECT premix_migrate(replace(:'target', '"meh", "sad", "ok", "happy"', '"sad", "meh", "ok", "happy"'));
SELECT premix_migrate(replace(:'target', '"meh", "sad", "ok", "happy"', '"sad", "ok"'));
SELECT enum_range(NULL::mood) AS mood;
-- a type left out of the target: destructive
SELECT premix_migrate(replace(:'target', ', {"name": "unused", "values": ["x"]}', ''));
SELECT premix_migrate(replace(:'target', ', {"name": "unused", "values": ["x"]}', ''), true) ->> 'applied' AS applied;
SELECT typname FROM pg_type WHERE typnamespace = 't_enums'::regnamespace AND typtype = 'e' ORDER BY 1;
-- a target without "enums" leaves the types alone
SELECT premix_diff(premix_schema() - 'enums') -> 'steps' AS steps;
-- duplicate labels are refused
SELECT premix_diff('{"enums": [{"name": "e", "values": ["a", "a"]}], "tables": []}', '{"scope": "listed"}');

-- a text column becomes an enum type the same plan creates: the values
-- are checked against the target's labels, not cast to a type the server
-- does not have yet; a value that is no label blocks the step (and nothing
-- changes), once fixed the column converts with its rows
CREATE SCHEMA t_enum2;
SET search_path = t_enum2, public;
CREATE TABLE feel (id integer PRIMARY KEY, mood text);
INSERT INTO feel VALUES (1, 'ok'), (2, 'sad'), (3, NULL), (4, 'Happy');
\set target2 '{"enums": [{"name": "mood2", "values": ["sad", "ok", "happy"]}], "tables": [{"name": "feel", "columns": [{"name": "id", "type": "integer", "nullable": false}, {"name": "mood", "type": "mood2"}], "primary_key": {"name": "feel_pkey", "columns": ["id"]}}]}'
SELECT s->>'op' AS op, s->>'safety' AS safety, s->>'reason' AS reason FROM jsonb_array_elements(premix_diff(:'target2')->'steps') s;
SELECT premix_migrate(:'target2');
SELECT count(*) AS mood2_types FROM pg_type WHERE typname = 'mood2';
UPDATE feel SET mood = 'happy' WHERE id = 4;
SELECT s->>'op' AS op, s->>'safety' AS safety, s->'checks' AS checks FROM jsonb_array_elements(premix_diff(:'target2')->'steps') s;
SELECT premix_migrate(:'target2') ->> 'applied' AS applied;
SELECT id, mood, pg_typeof(mood) AS type FROM feel ORDER BY id;
SELECT premix_diff(:'target2') -> 'steps' AS rediff;
