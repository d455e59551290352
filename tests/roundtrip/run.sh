#!/bin/sh
# Round-trip property over the scenario corpus (tests/roundtrip/scenarios/):
# for each scenario (a starting schema with rows + a target or plan),
#   set up, snapshot, plan = premix_diff(target), premix_apply(plan, true),
#   run the plan's down SQL (each step's "down", steps in reverse order) in
#   one transaction, snapshot again, compare.
# A snapshot is premix_schema() (one line per table; enums on PostgreSQL),
# the views and triggers (SQLite), and, when every step of the plan is
# "reversible": true, every table's rows (sorted, columns by name). Tables a
# step with "reversible": false names are left out of the schema comparison
# (and no rows are compared): such a step claims nothing.
# Prints one "PASS roundtrip/<dialect>/<scenario>" or "FAIL ..." line per
# scenario, a short diff after a FAIL, and a summary.
# Usage: sh tests/roundtrip/run.sh [sqlite|pg|all]
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
what=${1:-all}
SC=$ROOT/tests/roundtrip/scenarios
T=$(mktemp -d "${RT_TMP:-$( [ -w /dev/shm ] && echo /dev/shm || echo /tmp)}/premix-rt.XXXXXX")
PGD=""
cleanup() {
	if [ -n "$PGD" ]; then sh "$ROOT/tests/pg/cluster.sh" stop "$PGD"; rm -rf "$PGD"; fi
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
pass=0
fail=0
skip=0

ok() { pass=$((pass + 1)); echo "PASS roundtrip/$1"; }
ko() { fail=$((fail + 1)); echo "FAIL roundtrip/$1"; shift; [ $# -gt 0 ] && [ -s "$1" ] && head -${2:-25} "$1" | sed 's/^/    /'; }

# split every scenario of dialect $1 (one awk for all: forks are slow) into
# $T/$1/<name>/ setup.sql, arg.txt (the target or plan), options.txt, kind
split_all() {
	awk -v out="$T/$1" '
	function flush() { if (name == "") return; close(setup); close(arg); close(opt)
		printf "%s\n", kind > (dir "/kind"); close(dir "/kind") }
	FNR == 1 { flush(); name = FILENAME; sub(/.*\//, "", name); sub(/\.sql$/, "", name)
		dir = out "/" name; system("mkdir -p \"" dir "\""); setup = dir "/setup.sql"; arg = dir "/arg.txt"
		opt = dir "/options.txt"; printf "" > opt; part = 0; kind = "" }
	part == 0 && ($0 == "-- @target" || $0 == "-- @plan") { part = 1; kind = substr($0, 5); next }
	part == 0 && /^-- @options / { printf "%s", substr($0, 13) > opt; next }
	part == 0 && /^-- @/ { next }
	part == 0 { print > setup; next }
	{ print > arg }
	END { flush() }' "$SC/$1"/*.sql
}

# ------------------------------------------------------------------ SQLite
# SQL (for the sqlite3 shell) writing a snapshot of the database to $2;
# $1 = work dir, $3 = a prefix for its temp tables
sqlite_snapshot() {
	cat <<EOF
-- tables named by a step that claims no reversibility: no rows compared;
-- and when that step has no down at all, no schema compared either
-- (a table the plan also renames is named by its old name too: the down renames it back)
CREATE TEMP TABLE ${3}_renames AS SELECT lower(json_extract(s.value, '\$.table')) AS t,
       lower(replace(substr(d, instr(d, ' RENAME TO "') + 12, length(d) - instr(d, ' RENAME TO "') - 12), '""', '"')) AS old
  FROM (SELECT s.value, json_extract(s.value, '\$.down[0]') AS d FROM json_each(readfile('$1/plan.json'), '\$.steps') s
         WHERE json_extract(s.value, '\$.op') = 'rename_table') s;
CREATE TEMP TABLE ${3}_norows AS SELECT DISTINCT lower(json_extract(s.value, '\$.table')) AS t
  FROM json_each(readfile('$1/plan.json'), '\$.steps') s WHERE json_extract(s.value, '\$.reversible') = 0;
INSERT INTO ${3}_norows SELECT old FROM ${3}_renames WHERE t IN (SELECT t FROM ${3}_norows);
CREATE TEMP TABLE ${3}_skip AS SELECT DISTINCT lower(json_extract(s.value, '\$.table')) AS t
  FROM json_each(readfile('$1/plan.json'), '\$.steps') s
 WHERE json_extract(s.value, '\$.reversible') = 0 AND json_array_length(s.value, '\$.down') = 0;
INSERT INTO ${3}_skip SELECT old FROM ${3}_renames WHERE t IN (SELECT t FROM ${3}_skip);
.output $1/digest.sql
SELECT 'SELECT ' || quote('rows ' || t.name || ': ') || ' || count(*) || char(10) || ifnull(group_concat(r, char(10)), '''') FROM (SELECT '
  || (SELECT group_concat('quote("' || replace(c.name, '"', '""') || '")', ' || '','' || ')
        FROM (SELECT name FROM pragma_table_info(t.name) ORDER BY name) c)
  || ' AS r FROM "main"."' || replace(t.name, '"', '""') || '" ORDER BY r);'
  FROM main.sqlite_schema t
 WHERE t.type = 'table' AND t.name NOT LIKE 'sqlite\_%' ESCAPE '\' AND t.name NOT LIKE 'premix\_%' ESCAPE '\'
   AND t.sql NOT LIKE 'CREATE VIRTUAL%' AND lower(t.name) NOT IN (SELECT t FROM ${3}_norows)
 ORDER BY t.name;
-- AUTOINCREMENT counters (the next row's key), when there are any
SELECT 'SELECT ''next '' || name || '': '' || seq FROM main.sqlite_sequence WHERE lower(name) NOT IN (SELECT t FROM ${3}_norows) AND name NOT LIKE ''premix\_%'' ESCAPE ''\'' ORDER BY name;'
 WHERE EXISTS (SELECT 1 FROM main.sqlite_schema WHERE name = 'sqlite_sequence');
CREATE TEMP TABLE ${3}_schema AS SELECT premix_schema() AS s;
.output $2
-- one line per table, columns sorted by name (column order is not part of the model's equality)
SELECT 'table ' || json_set(t.value, '\$.columns',
         (SELECT json_group_array(json(c.value)) FROM
            (SELECT value FROM json_each(t.value, '\$.columns') ORDER BY json_extract(value, '\$.name')) c))
  FROM json_each((SELECT s FROM ${3}_schema), '\$.tables') t
 WHERE lower(json_extract(t.value, '\$.name')) NOT IN (SELECT t FROM ${3}_skip) ORDER BY lower(json_extract(t.value, '\$.name'));
SELECT 'schema ' || json_remove(s, '\$.tables') FROM ${3}_schema;
-- views and triggers as SQLite keeps them (a rename rewrites their text with quoted names: quotes ignored)
SELECT type || ' ' || name || ' on ' || tbl_name || ': ' || replace(sql, '"', '') FROM main.sqlite_schema
 WHERE type IN ('view', 'trigger') AND tbl_name NOT LIKE 'premix\_%' ESCAPE '\' AND lower(tbl_name) NOT IN (SELECT t FROM ${3}_skip) ORDER BY type, name;
.read $1/digest.sql
EOF
}

run_sqlite_one() {
	f=$1
	n=${f##*/}
	n=${n%.sql}
	W=$T/sqlite/$n
	read -r kind <"$W/kind"
	opt=NULL
	[ -s "$W/options.txt" ] && opt="readfile('$W/options.txt')"
	if [ "$kind" = plan ]; then q="SELECT readfile('$W/arg.txt');"; else q="SELECT premix_diff(readfile('$W/arg.txt'), $opt);"; fi
	fk=$(grep -i '^PRAGMA foreign_keys = ON;' "$W/setup.sql")
	# 1. set up, plan, snapshot, the down script, the reversibility claims
	{
		echo "PRAGMA synchronous = OFF;"
		cat "$W/setup.sql"
		cat <<EOF
.load $T/premix
.headers off
.mode list
.nullvalue NULL
.output $W/plan.json
$q
$(sqlite_snapshot "$W" "$W/before.txt" rt1)
.output $W/down.sql
SELECT 'BEGIN;';
SELECT d.value || ';' FROM json_each(readfile('$W/plan.json'), '\$.steps') s, json_each(s.value, '\$.down') d
 ORDER BY s.key DESC, d.key;
SELECT 'COMMIT;';
$(if [ "$SCRIPT" = 1 ]; then printf '.output %s/script_down.sql\nSELECT json_extract(premix_script(readfile(%s)), %s);\n' "$W" "'$W/plan.json'" "'\$.down'"; fi)
.output $W/claims.txt
SELECT 'step ' || (s.key + 1) || ' (' || json_extract(s.value, '\$.op') || ' ' || json_extract(s.value, '\$.object')
       || ') is "reversible": true with an empty "down"'
  FROM json_each(readfile('$W/plan.json'), '\$.steps') s
 WHERE json_extract(s.value, '\$.reversible') = 1 AND json_array_length(s.value, '\$.down') = 0;
EOF
	} >"$W/one.sql"
	if ! sqlite3 -bail "$W/db" <"$W/one.sql" >"$W/one.out" 2>&1; then ko "sqlite/$n (setup, diff or snapshot)" "$W/one.out"; return; fi
	if [ -s "$W/claims.txt" ]; then ko "sqlite/$n (plan)" "$W/claims.txt"; return; fi
	if [ "$SCRIPT" = 1 ]; then
		# premix_script's down is the same statements (its comments aside); it is the one run
		grep -v '^--' "$W/script_down.sql" | grep -v '^$' >"$W/script_stmts.txt"
		grep -v '^BEGIN;$' "$W/down.sql" | grep -v '^COMMIT;$' | grep -v '^$' >"$W/plan_stmts.txt"
		if ! diff -u "$W/plan_stmts.txt" "$W/script_stmts.txt" >"$W/script.diff"; then
			ko "sqlite/$n (premix_script down differs from the steps' down)" "$W/script.diff"; return
		fi
		{ echo 'BEGIN;'; cat "$W/script_down.sql"; echo 'COMMIT;'; } >"$W/down.sql"
	fi
	# 2. apply, down (one transaction), snapshot; which phase failed is told by the files it opened.
	# The down runs as premix runs a plan: foreign key enforcement off (else SQLite's DROP TABLE
	# in a rebuild deletes the rows first and fires ON DELETE actions into the children), then
	# PRAGMA foreign_key_check, which must find nothing.
	cat >"$W/two.sql" <<EOF
$fk
.load $T/premix
.headers off
.mode list
.nullvalue NULL
.output $W/apply.out
SELECT premix_apply(readfile('$W/plan.json'), 1);
.output $W/down.out
PRAGMA foreign_keys = OFF;
.read $W/down.sql
.output $W/fkcheck.txt
PRAGMA foreign_key_check;
$(sqlite_snapshot "$W" "$W/after.txt" rt2)
EOF
	if ! sqlite3 -bail "$W/db" <"$W/two.sql" >"$W/two.out" 2>&1; then
		if [ -e "$W/after.txt" ]; then ko "sqlite/$n (snapshot)" "$W/two.out"
		elif [ -e "$W/down.out" ]; then
			{ cat "$W/two.out"; echo "down script:"; cat "$W/down.sql"; } >"$W/why.txt"
			ko "sqlite/$n (down failed)" "$W/why.txt" 40
		else ko "sqlite/$n (apply)" "$W/two.out"; fi
		return
	fi
	if [ -s "$W/fkcheck.txt" ]; then
		{ echo "PRAGMA foreign_key_check after the down:"; cat "$W/fkcheck.txt"; } >"$W/why.txt"
		ko "sqlite/$n (foreign keys)" "$W/why.txt"; return
	fi
	if diff -u "$W/before.txt" "$W/after.txt" >"$W/diff.txt"; then ok "sqlite/$n"
	else
		{ tail -n +3 "$W/diff.txt" | grep '^[-+]' | cut -c1-400; echo "down script:"; cat "$W/down.sql"; } >"$W/why.txt"
		ko "sqlite/$n" "$W/why.txt" 30
	fi
}

# ------------------------------------------------------------------ PostgreSQL
# one scenario; $RT_J = the worker, whose database is rt_$RT_J
run_pg_one() {
	f=$1
	n=${f##*/}
	n=${n%.sql}
	W=$T/pg/$n
	read -r kind <"$W/kind"
	sch=$(sed -n 's/^-- @schema //p' "$f" | head -1)
	qs=\"$(printf '%s' "$sch" | sed 's/"/""/g')\"
	if [ "$kind" = plan ]; then q="SELECT :'arg'::jsonb AS plan \\gset"
	else q="SELECT premix_diff(:'arg'::text, NULLIF(:'opt', '')::jsonb) AS plan \\gset"; fi
	P="psql -X -q -v ON_ERROR_STOP=1 -d rt_$RT_J"
	# 1. set up, plan, snapshot, the down script, premix_script's down, the reversibility claims
	cat >"$W/one.sql" <<EOF
\\pset format unaligned
\\pset tuples_only on
\\o $W/setup.out
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS $qs CASCADE;
RESET client_min_messages;
\\i $W/setup.sql
SET search_path = $qs, public;
\\set arg \`cat $W/arg.txt\`
\\set opt \`cat $W/options.txt\`
$q
\\o $W/plan.json
SELECT :'plan';
\\o $W/before.txt
SELECT rt.snapshot(:'plan', :'sch');
\\o $W/down.sql
SELECT 'BEGIN;';
SELECT rt.down(:'plan');
SELECT 'COMMIT;';
$(if [ "$PGSCRIPT" = 1 ]; then printf '\\o %s/script_down.sql\nSELECT premix_script(:%s) ->> %s;\n' "$W" "'plan'" "'down'"; fi)
\\o $W/claims.txt
SELECT rt.claims(:'plan');
EOF
	if ! $P -v sch="$sch" -f "$W/one.sql" >"$W/one.out" 2>&1; then ko "pg/$n (setup, diff or snapshot)" "$W/one.out"; return; fi
	if [ -s "$W/claims.txt" ]; then ko "pg/$n (plan)" "$W/claims.txt"; return; fi
	if [ "$PGSCRIPT" = 1 ]; then
		grep -v '^--' "$W/script_down.sql" | grep -v '^$' >"$W/script_stmts.txt"
		grep -v '^BEGIN;$' "$W/down.sql" | grep -v '^COMMIT;$' | grep -v '^$' >"$W/plan_stmts.txt"
		if ! diff -u "$W/plan_stmts.txt" "$W/script_stmts.txt" >"$W/script.diff"; then
			ko "pg/$n (premix_script down differs from the steps' down)" "$W/script.diff"; return
		fi
		{ echo 'BEGIN;'; cat "$W/script_down.sql"; echo 'COMMIT;'; } >"$W/down.sql"
	fi
	# 2. apply, down (one transaction), snapshot; which phase failed is told by the files it opened
	cat >"$W/two.sql" <<EOF
\\pset format unaligned
\\pset tuples_only on
SET search_path = $qs, public;
\\set plan \`cat $W/plan.json\`
\\o $W/apply.out
SELECT premix_apply(:'plan', true);
\\o $W/down.out
\\i $W/down.sql
\\o $W/after.txt
SELECT rt.snapshot(:'plan', :'sch');
EOF
	if ! $P -v sch="$sch" -f "$W/two.sql" >"$W/two.out" 2>&1; then
		if [ -e "$W/after.txt" ]; then ko "pg/$n (snapshot)" "$W/two.out"
		elif [ -e "$W/down.out" ]; then
			{ cat "$W/two.out"; echo "down script:"; cat "$W/down.sql"; } >"$W/why.txt"
			ko "pg/$n (down failed)" "$W/why.txt" 40
		else ko "pg/$n (apply)" "$W/two.out"; fi
		return
	fi
	if diff -u "$W/before.txt" "$W/after.txt" >"$W/diff.txt"; then ok "pg/$n"
	else
		{ tail -n +3 "$W/diff.txt" | grep '^[-+]' | cut -c1-400; echo "down script:"; cat "$W/down.sql"; } >"$W/why.txt"
		ko "pg/$n" "$W/why.txt" 30
	fi
}

run_pg() {
	echo "== roundtrip pg"
	if ! command -v pg_config >/dev/null 2>&1 || [ ! -e "$(pg_config --pgxs 2>/dev/null)" ]; then
		skip=$((skip + 1)); echo "SKIP roundtrip/pg (pg_config or PGXS not found)"; return
	fi
	MK="make -s USE_PGXS=1 with_llvm=no"
	# the installed copy is shared: install only when it differs from this build
	# (RT_PG_INSTALLED=1: test the installed extension as it is, e.g. a deliberately broken one)
	if [ "${RT_PG_INSTALLED:-0}" != 1 ]; then
		if ! $MK >"$T/pg-build.log" 2>&1; then ko "pg/build" "$T/pg-build.log"; return; fi
		if ! cmp -s premix.so "$(pg_config --pkglibdir)/premix.so" ||
			! cmp -s pg_premix/premix--0.1.sql "$(pg_config --sharedir)/extension/premix--0.1.sql"; then
			if ! $MK install >>"$T/pg-build.log" 2>&1; then ko "pg/install" "$T/pg-build.log"; return; fi
		fi
	fi
	PGD=$(mktemp -d /tmp/premix-rt-pg.XXXXXX)
	if ! env=$(PGTEST_PORT=${PGTEST_PORT:-5496} sh tests/pg/cluster.sh start "$PGD"); then
		ko "pg/cluster" "$PGD/initdb.log"; return
	fi
	eval "$env"
	j=0
	while [ $j -lt "$JOBS" ]; do
		if ! { psql -X -q -d postgres -c "CREATE DATABASE rt_$j" &&
			psql -X -q -v ON_ERROR_STOP=1 -d "rt_$j" -f tests/roundtrip/snapshot_pg.sql; } >"$T/pg-db.log" 2>&1; then
			ko "pg/database" "$T/pg-db.log"; return
		fi
		j=$((j + 1))
	done
	PGSCRIPT=0
	grep -q premix_script pg_premix/*.sql 2>/dev/null && PGSCRIPT=1
	run_all pg
}

# run every scenario of dialect $1 with run_$1_one, in $JOBS background
# shells (result in each work dir), then print the results in order
run_all() {
	split_all "$1"
	set -- "$1" "$SC/$1"/*.sql
	d=$1
	shift
	j=0
	while [ $j -lt "$JOBS" ]; do
		(
			i=0
			for f in "$@"; do
				if [ $((i % JOBS)) = $j ]; then
					n=${f##*/}
					RT_J=$j "run_${d}_one" "$f" >"$T/$d/${n%.sql}/result" 2>&1
				fi
				i=$((i + 1))
			done
		) &
		j=$((j + 1))
	done
	wait
	for f in "$@"; do
		n=${f##*/}
		r=$T/$d/${n%.sql}/result
		if [ -s "$r" ]; then cat "$r"; else echo "FAIL roundtrip/$d/${n%.sql} (no result)"; fi
	done >"$T/$d.results"
	cat "$T/$d.results"
	# which ops the corpus exercised: "op scenarios" pairs
	{
		for f in "$@"; do
			n=${f##*/}
			printf "SELECT DISTINCT json_extract(value, '\$.op') AS op, '%s' AS s FROM json_each(readfile('%s'), '\$.steps') UNION ALL\n" \
				"${n%.sql}" "$T/$d/${n%.sql}/plan.json"
			# the changes a SQLite rebuild carries
			printf "SELECT DISTINCT 'rebuild:' || json_extract(p.value, '\$.op'), '%s' FROM json_each(readfile('%s'), '\$.steps') s, json_each(s.value, '\$.parts') p UNION ALL\n" \
				"${n%.sql}" "$T/$d/${n%.sql}/plan.json"
		done
		echo "SELECT NULL, NULL WHERE 0) GROUP BY op ORDER BY op);"
	} >"$T/$d.ops.sql"
	{ echo "SELECT 'ops ($d, scenarios each): ' || group_concat(op || ' ' || n, ', ') FROM (SELECT op, count(*) AS n FROM ("
	  cat "$T/$d.ops.sql"; } | sqlite3 :memory: 2>&1
	pass=$((pass + $(grep -c '^PASS ' "$T/$d.results")))
	fail=$((fail + $(grep -c '^FAIL ' "$T/$d.results")))
}

run_sqlite() {
	echo "== roundtrip sqlite"
	# a private copy: the tree's premix.so may be rebuilt while the suite runs
	# (RT_SQLITE_SO: use that build instead, e.g. a deliberately broken one)
	if [ -n "${RT_SQLITE_SO:-}" ]; then cp "$RT_SQLITE_SO" "$T/premix.so"
	elif ! make -s sqlite >"$T/sqlite-build.log" 2>&1 || ! cp sqlite_premix/premix.so "$T/premix.so"; then
		ko "sqlite/build" "$T/sqlite-build.log"; return
	fi
	run_all sqlite
}

JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
# premix_script(plan) -> {"up", "down"}: when the host has it, its down text is run
SCRIPT=0
grep -q premix_script sqlite_premix/*.c 2>/dev/null && SCRIPT=1

case $what in
sqlite) run_sqlite ;;
pg) run_pg ;;
all) run_sqlite; run_pg ;;
*) echo "usage: sh tests/roundtrip/run.sh [sqlite|pg|all]" >&2; exit 2 ;;
esac
echo "roundtrip: $pass passed, $fail failed, $skip skipped"
[ $fail = 0 ]
