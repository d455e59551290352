#!/bin/sh
# make parity: one portable target (tests/parity/target.json) applied to a
# fresh SQLite file and to a throwaway PostgreSQL 15 cluster; premix_schema()
# exported from both and compared with premix_parity both ways, on both
# hosts and through `premix parity`: no mismatch.  Then deliberate
# mismatches (a column nullable on one side, an index missing, a wider type)
# must each be reported and make the check fail (exit 3).  Last, README.md's
# "Dialect report" must equal what `make dialect-report` prints.
# Prints one PASS/FAIL line per check (tests/run.sh counts them); exits
# non-zero on any FAIL.
#
# Usage: sh tests/parity/run.sh [OUTDIR]
#   PGTEST_PORT (default 5493) is the throwaway cluster's port.
# The PostgreSQL extension is (re)installed only when the built copy
# differs from the installed one (the installed copy is shared).
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
OUT=${1:-tests/results/parity}
rm -rf "$OUT"; mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd)
EXT=$ROOT/sqlite_premix/premix
export PREMIX_SQLITE_EXT=$EXT
unset PREMIX_DB
export PGTEST_PORT=${PGTEST_PORT:-5493}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
TARGET=$ROOT/tests/parity/target.json
START=$(date +%s)
npass=0
nfail=0

pass() { npass=$((npass + 1)); echo "PASS $1"; }
fail() { nfail=$((nfail + 1)); echo "FAIL $1"; shift; for l in "$@"; do echo "  $l"; done; }
finish() { echo "parity: $npass passed, $nfail failed ($(($(date +%s) - START)) s)"; [ "$nfail" = 0 ]; exit $?; }

# --- build --------------------------------------------------------------------
if ! make -s sqlite cli build/dialect_report >"$OUT/build.log" 2>&1; then
	fail build "$(tail -20 "$OUT/build.log")"; finish
fi
MK="make -s USE_PGXS=1 with_llvm=no"
if [ ! -x "$PGBIN/pg_ctl" ]; then fail pg "no PostgreSQL 15 in $PGBIN"; finish; fi
if ! $MK >>"$OUT/build.log" 2>&1; then fail pg-build "$(tail -20 "$OUT/build.log")"; finish; fi
if ! cmp -s premix.so "$(pg_config --pkglibdir)/premix.so" ||
	! cmp -s pg_premix/premix--0.1.sql "$(pg_config --sharedir)/extension/premix--0.1.sql"; then
	if ! $MK install >>"$OUT/build.log" 2>&1; then fail pg-install "$(tail -20 "$OUT/build.log")"; finish; fi
fi
pass build

# --- helpers ------------------------------------------------------------------
# sqlite_db FILE: a fresh SQLite file holding the target
sqlite_db() {
	rm -f "$1"
	sqlite3 -batch "$1" ".load $EXT" "SELECT json_extract(premix_migrate(readfile('$TARGET')), '\$.applied')" 2>&1
}
sqlite_schema() { sqlite3 -batch "$1" ".load $EXT" "SELECT premix_schema()" 2>&1; }
pg_schema() { psql -X -q -A -t -d parity -c "SELECT premix_schema()" 2>&1; }
pg_q() { psql -X -q -A -t -d parity -c "$1" 2>&1; }
# parity_sqlite A B / parity_pg A B: premix_parity of two document files on each host
parity_sqlite() { sqlite3 -batch :memory: ".load $EXT" "SELECT premix_parity(readfile('$1'), readfile('$2'))" 2>&1; }
parity_pg() {
	echo "SELECT premix_parity(:'a', :'b')" |
		psql -X -q -A -t -d parity -v a="$(cat "$1")" -v b="$(cat "$2")" 2>&1
}
# has FILE PATH WHY: the mismatch list in FILE reports PATH with reason WHY
has() {
	[ "$(sqlite3 -batch :memory: "SELECT count(*) FROM json_each(readfile('$1'))
		WHERE value->>'path' = '$2' AND value->>'why' = '$3'")" = 1 ]
}
# count FILE: number of mismatches in FILE (-1 when it is not a JSON array)
count() { sqlite3 -batch :memory: "SELECT CASE WHEN json_type(readfile('$1')) = 'array' THEN json_array_length(readfile('$1')) ELSE -1 END" 2>/dev/null || echo -1; }
# empty NAME FILE: PASS when FILE is exactly []
empty() { if [ "$(cat "$2")" = "[]" ]; then pass "$1"; else fail "$1" "expected [], got: $(head -c 600 "$2")"; fi; }

# --- the target on both sides -------------------------------------------------
S=$OUT/target.db
n=$(sqlite_db "$S")
if [ "$n" -gt 0 ] 2>/dev/null; then pass "sqlite-target-applied ($n steps)"; else fail sqlite-target-applied "$n"; finish; fi
sqlite_schema "$S" >"$OUT/sqlite.json"

D=$(mktemp -d /tmp/premix-parity-pg.XXXXXX)
if ! env=$(sh tests/pg/cluster.sh start "$D"); then
	fail pg-cluster "$(tail -20 "$D/server.log" 2>/dev/null)"; rm -rf "$D"; finish
fi
trap 'sh tests/pg/cluster.sh stop "$D"; rm -rf "$D"' EXIT
eval "$env"
createdb parity && psql -X -q -d parity -c "CREATE EXTENSION premix" >/dev/null 2>&1
n=$(echo "SELECT premix_migrate(:'target') ->> 'applied'" | psql -X -q -A -t -d parity -v target="$(cat "$TARGET")" 2>&1)
if [ "$n" -gt 0 ] 2>/dev/null; then pass "pg-target-applied ($n steps)"; else fail pg-target-applied "$n"; finish; fi
pg_schema >"$OUT/pg.json"
cp "$OUT/pg.json" "$OUT/pg0.json"

# --- equivalent: both ways, on both hosts, through the command ----------------
parity_sqlite "$OUT/sqlite.json" "$OUT/pg.json" >"$OUT/r1"; empty sqlite-host/sqlite-vs-pg "$OUT/r1"
parity_sqlite "$OUT/pg.json" "$OUT/sqlite.json" >"$OUT/r2"; empty sqlite-host/pg-vs-sqlite "$OUT/r2"
parity_pg "$OUT/sqlite.json" "$OUT/pg.json" >"$OUT/r3"; empty pg-host/sqlite-vs-pg "$OUT/r3"
parity_pg "$OUT/pg.json" "$OUT/sqlite.json" >"$OUT/r4"; empty pg-host/pg-vs-sqlite "$OUT/r4"
PGURL="postgresql:///parity?host=$PGHOST&port=$PGPORT&user=$PGUSER"
cli/premix parity --db "sqlite:$S" --db2 "$PGURL" >"$OUT/cli1" 2>&1; rc=$?
if [ $rc = 0 ] && grep -q "parity: equivalent" "$OUT/cli1"; then pass cli-equivalent
else fail cli-equivalent "rc=$rc" "$(head -20 "$OUT/cli1")"; fi
cli/premix parity --db "$PGURL" --db2 "sqlite:$S" >"$OUT/cli2" 2>&1; rc=$?
if [ $rc = 0 ]; then pass cli-equivalent-swapped; else fail cli-equivalent-swapped "rc=$rc" "$(head -20 "$OUT/cli2")"; fi

# --- deliberate mismatches ----------------------------------------------------
# PostgreSQL: display_name NOT NULL (nullable on one side), email varchar(320)
# and age integer (wider types); SQLite: users_born_idx dropped (missing)
pg_q "ALTER TABLE users ALTER COLUMN display_name SET NOT NULL;
	ALTER TABLE users ALTER COLUMN email TYPE varchar(320);
	ALTER TABLE users ALTER COLUMN age TYPE integer" >"$OUT/alter.log"
sqlite3 -batch "$S" "DROP INDEX users_born_idx" >>"$OUT/alter.log" 2>&1
sqlite_schema "$S" >"$OUT/sqlite.json"
pg_schema >"$OUT/pg.json"
parity_sqlite "$OUT/sqlite.json" "$OUT/pg.json" >"$OUT/m1"
parity_pg "$OUT/pg.json" "$OUT/sqlite.json" >"$OUT/m2"
parity_sqlite "$OUT/pg0.json" "$OUT/pg.json" >"$OUT/m3"
check() {
	name=$1; shift
	if "$@"; then pass "$name"; else fail "$name" "m1: $(head -c 1500 "$OUT/m1")" "m2: $(head -c 1500 "$OUT/m2")" "m3: $(head -c 1500 "$OUT/m3")"; fi
}
check mismatch/nullable has "$OUT/m1" users.display_name.nullable "NULL allowed on one side only"
check mismatch/index-missing has "$OUT/m1" "users.index (born)" "index only in B"
check mismatch/wider-varchar has "$OUT/m1" users.email.type "string length differs: 255 vs 320"
# SQLite keeps no integer width: smallint -> integer is no difference there ...
check mismatch/sqlite-no-integer-width [ "$(count "$OUT/m1")" = 3 ]
# ... but between two PostgreSQL schemas it is
check mismatch/pg-wider-integer has "$OUT/m3" users.age.type "integer width differs: 16 vs 32 bits"
check mismatch/swapped-pg-host has "$OUT/m2" "users.index (born)" "index only in A"
check mismatch/swapped-same-count [ "$(count "$OUT/m2")" = 3 ]
cli/premix parity --db "sqlite:$S" --db2 "$PGURL" >"$OUT/cli3" 2>&1; rc=$?
if [ $rc = 3 ] && grep -q "^users.display_name.nullable" "$OUT/cli3" && grep -q "^users.index (born)" "$OUT/cli3" &&
	grep -q "^users.email.type" "$OUT/cli3" && grep -q "parity: 3 mismatches" "$OUT/cli3"; then pass cli-mismatch-exit-3
else fail cli-mismatch-exit-3 "rc=$rc" "$(head -30 "$OUT/cli3")"; fi

# --- README: the dialect report is the program's output -----------------------
build/dialect_report >"$OUT/dialect_report.md" 2>&1; rc=$?
sed -n '/^<!-- dialect-report:begin -->$/,/^<!-- dialect-report:end -->$/p' README.md | sed '1d;$d' >"$OUT/readme_report.md"
if [ $rc = 0 ] && [ -s "$OUT/dialect_report.md" ] && diff -u "$OUT/readme_report.md" "$OUT/dialect_report.md" >"$OUT/report.diff"; then
	pass readme-dialect-report
else fail readme-dialect-report "README.md differs from make dialect-report (paste its output between the markers):" "$(head -20 "$OUT/report.diff")"; fi

finish
