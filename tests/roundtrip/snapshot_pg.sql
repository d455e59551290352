-- tests/roundtrip/snapshot_pg.sql: helpers of run.sh pg, in each worker database.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS premix;
RESET client_min_messages;
CREATE SCHEMA rt;

-- A snapshot of schema sch: premix_schema() one line per table (columns
-- sorted by name: a down that re-adds a column appends it), the rest of
-- premix_schema() (enums), and every table's rows (sorted, as jsonb: keys in
-- jsonb's order, not the columns').  Tables named by a step of plan that is
-- not "reversible": true: no rows; when that step has no down: no schema
-- (likewise an enum type such a step names).
CREATE FUNCTION rt.snapshot(plan jsonb, sch text) RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
	norows text[] := ARRAY(SELECT DISTINCT s ->> 'table' FROM jsonb_array_elements(plan -> 'steps') s
						   WHERE (s ->> 'reversible')::boolean IS NOT TRUE);
	noschema text[] := ARRAY(SELECT DISTINCT s ->> 'table' FROM jsonb_array_elements(plan -> 'steps') s
							 WHERE (s ->> 'reversible')::boolean IS NOT TRUE
							   AND jsonb_array_length(coalesce(s -> 'down', '[]')) = 0);
	model jsonb := public.premix_schema(jsonb_build_object('schemas', jsonb_build_array(sch)));
	-- a table the plan also renames is named by its old name too: the down renames it back
	renames jsonb := coalesce((SELECT jsonb_object_agg(s ->> 'table',
				replace(substring(s -> 'down' ->> 0 FROM ' RENAME TO "(.*)"$'), '""', '"'))
		FROM jsonb_array_elements(plan -> 'steps') s WHERE s ->> 'op' = 'rename_table'), '{}');
	t jsonb;
	r record;
	q record;
	line text;
BEGIN
	norows := norows || ARRAY(SELECT renames ->> n FROM unnest(norows) n WHERE renames ? n);
	noschema := noschema || ARRAY(SELECT renames ->> n FROM unnest(noschema) n WHERE renames ? n);
	FOR t IN SELECT x FROM jsonb_array_elements(model -> 'tables') x ORDER BY x ->> 'name' LOOP
		CONTINUE WHEN t ->> 'name' = ANY (noschema);
		RETURN NEXT 'table ' || jsonb_set(t, '{columns}',
			coalesce((SELECT jsonb_agg(c ORDER BY c ->> 'name') FROM jsonb_array_elements(t -> 'columns') c), '[]'))::text;
	END LOOP;
	-- enum types too: one a step without a down changed (labels added) is not compared
	IF model ? 'enums' THEN
		model := jsonb_set(model, '{enums}', coalesce((SELECT jsonb_agg(e) FROM jsonb_array_elements(model -> 'enums') e
													   WHERE NOT (e ->> 'name' = ANY (noschema))), '[]'));
	END IF;
	RETURN NEXT 'schema ' || (model - 'tables')::text;
	FOR r IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			  WHERE n.nspname = sch AND c.relkind IN ('r', 'p') AND NOT (c.relname = ANY (norows))
			  ORDER BY c.relname LOOP
		EXECUTE format('SELECT count(*) FROM %I.%I', sch, r.relname) INTO line;
		RETURN NEXT 'rows ' || r.relname || ': ' || line;
		-- where the table's identity or serial sequences stand (the next row's key)
		FOR q IN SELECT a.attname, pg_get_serial_sequence(format('%I.%I', sch, r.relname), a.attname) AS seq
				   FROM pg_attribute a
				  WHERE a.attrelid = format('%I.%I', sch, r.relname)::regclass AND a.attnum > 0 AND NOT a.attisdropped
				  ORDER BY a.attname LOOP
			CONTINUE WHEN q.seq IS NULL;
			EXECUTE format('SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM %s', q.seq) INTO line;
			RETURN NEXT '  next ' || q.attname || ': ' || line;
		END LOOP;
		FOR line IN EXECUTE format('SELECT to_jsonb(t)::text AS j FROM %I.%I t ORDER BY 1', sch, r.relname) LOOP
			RETURN NEXT '  ' || line;
		END LOOP;
	END LOOP;
END $$;

-- The down script of plan: each step's "down", steps in reverse order.
CREATE FUNCTION rt.down(plan jsonb) RETURNS SETOF text
LANGUAGE sql AS $$
	SELECT d.x || ';'
	  FROM jsonb_array_elements(plan -> 'steps') WITH ORDINALITY s(v, i),
		   jsonb_array_elements_text(coalesce(s.v -> 'down', '[]')) WITH ORDINALITY d(x, j)
	 ORDER BY s.i DESC, d.j
$$;

-- Steps that claim to be reversible without a down.
CREATE FUNCTION rt.claims(plan jsonb) RETURNS SETOF text
LANGUAGE sql AS $$
	SELECT format('step %s (%s %s) is "reversible": true with an empty "down"', s.i, s.v ->> 'op', s.v ->> 'object')
	  FROM jsonb_array_elements(plan -> 'steps') WITH ORDINALITY s(v, i)
	 WHERE (s.v ->> 'reversible')::boolean AND jsonb_array_length(coalesce(s.v -> 'down', '[]')) = 0
$$;
