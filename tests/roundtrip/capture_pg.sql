-- tests/roundtrip/capture_pg.sql: used only by extract.py pg, in a database
-- where a pg_regress test (sql/*.sql) then runs.  Wrappers in pg_catalog
-- (searched before the extension's schema, whatever the test's search_path)
-- take premix_diff / premix_preview / premix_apply / premix_migrate calls:
-- each writes to the server log a line "RTCAPTURE <json>" holding the call's
-- target or plan and options, the schema it works on, premix_schema() of
-- that schema and every table's rows, then calls the real function in
-- public.  A capture that fails (a role without rights) is logged as
-- "RTCAPTURE-FAILED" and the call goes on as the test expects.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS premix;
RESET client_min_messages;

-- SECURITY DEFINER (the superuser): a test's role without rights is captured too
CREATE FUNCTION pg_catalog.rt_capture(fn text, arg text, options jsonb) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
	sch text := coalesce(options -> 'schemas' ->> 0, current_schema());
	model jsonb;
	rows jsonb := '{}';
	r record;
	t jsonb;
BEGIN
	model := public.premix_schema(jsonb_build_object('schemas', jsonb_build_array(sch)));
	FOR r IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			  WHERE n.nspname = sch AND c.relkind IN ('r', 'p') ORDER BY c.relname LOOP
		EXECUTE format('SELECT coalesce(jsonb_agg(to_jsonb(t)), ''[]'') FROM %I.%I t', sch, r.relname) INTO t;
		rows := rows || jsonb_build_object(r.relname, t);
	END LOOP;
	RAISE LOG 'RTCAPTURE %', jsonb_build_object('db', current_database(), 'fn', fn, 'arg', arg,
		'options', options, 'schema', sch, 'model', model, 'rows', rows)::text;
EXCEPTION WHEN others THEN
	RAISE LOG 'RTCAPTURE-FAILED %', jsonb_build_object('db', current_database(), 'fn', fn, 'error', SQLERRM)::text;
END $$;

CREATE FUNCTION pg_catalog.premix_diff(target text, options jsonb DEFAULT NULL) RETURNS jsonb
LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_catalog.rt_capture('premix_diff', target, options);
	RETURN public.premix_diff(target, options); END $$;
CREATE FUNCTION pg_catalog.premix_diff(target jsonb, options jsonb DEFAULT NULL) RETURNS jsonb
LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_catalog.rt_capture('premix_diff', target::text, options);
	RETURN public.premix_diff(target, options); END $$;
CREATE FUNCTION pg_catalog.premix_preview(target_or_plan text, options jsonb DEFAULT NULL) RETURNS text
LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_catalog.rt_capture('premix_preview', target_or_plan, options);
	RETURN public.premix_preview(target_or_plan, options); END $$;
CREATE FUNCTION pg_catalog.premix_preview(target_or_plan jsonb, options jsonb DEFAULT NULL) RETURNS text
LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_catalog.rt_capture('premix_preview', target_or_plan::text, options);
	RETURN public.premix_preview(target_or_plan, options); END $$;
CREATE FUNCTION pg_catalog.premix_apply(plan jsonb, allow_destructive boolean DEFAULT false) RETURNS jsonb
LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_catalog.rt_capture('premix_apply', plan::text, NULL);
	RETURN public.premix_apply(plan, allow_destructive); END $$;
CREATE FUNCTION pg_catalog.premix_migrate(target text, allow_destructive boolean DEFAULT false,
										  options jsonb DEFAULT NULL) RETURNS jsonb
LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_catalog.rt_capture('premix_migrate', target, options);
	RETURN public.premix_migrate(target, allow_destructive, options); END $$;
CREATE FUNCTION pg_catalog.premix_migrate(target jsonb, allow_destructive boolean DEFAULT false,
										  options jsonb DEFAULT NULL) RETURNS jsonb
LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_catalog.rt_capture('premix_migrate', target::text, options);
	RETURN public.premix_migrate(target, allow_destructive, options); END $$;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA pg_catalog TO PUBLIC;
