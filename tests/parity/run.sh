#!/bin/sh
# make parity: one portable target (tests/parity/target.json) applied to a
# fresh SQLite file, to a throwaway PostgreSQL 15 cluster and to a throwaway
# MariaDB server (CALL premix.premix_migrate); the schema exported from each
# (premix_schema()) and compared with premix_parity, every pair both ways,
# on all three hosts (SQLite extension, PostgreSQL extension, MariaDB UDF),
# and through `premix parity` (SQLite and PostgreSQL; the command reads no
# MariaDB, so for MariaDB's document the same verdict comes from parity_gate
# below: mismatches printed by path, exit 3): no mismatch.  Then deliberate
# mismatches (a column nullable on one side, an index missing, a wider type),
# made with plain SQL on each server after the migration, must each be
# reported by path and make the check fail (exit 3).  Last, README.md's
# "Dialect report" must equal what `make dialect-report` prints.
# Prints one PASS/FAIL line per check (tests/run.sh counts them); exits
# non-zero on any FAIL.
#
# Usage: sh tests/parity/run.sh [OUTDIR]
#   PGTEST_PORT (default 5493) is the throwaway cluster's port.
#   MDB_PARITY_DIR (default tests/results/parity-mariadb) holds the
#   throwaway MariaDB server (tests/mysql/server.sh: datadir, socket, log).
# The PostgreSQL extension is (re)installed only when the built copy
# differs from the installed one (the installed copy is shared).
#
# The target is portable to all three dialects: users.status is varchar(20),
# not text, because it is in an index and MariaDB indexes a TEXT column only
# with a prefix length; there is no partial or expression index (MariaDB has
# neither) and no schema-level enum type.  Its unnamed foreign keys, NO
# ACTION left out, unique indexes and DEFAULT 0 of a numeric(12,2) are what
# MariaDB reads back differently (t_ibfk_1, RESTRICT, a UNIQUE key, 0.00):
# premix_parity must still call the three equivalent.
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
MYDIR=${MDB_PARITY_DIR:-$ROOT/tests/results/parity-mariadb}
case $MYDIR in /*) ;; *) MYDIR=$ROOT/$MYDIR ;; esac
MARIADBD=${MARIADBD:-/usr/sbin/mariadbd}
START=$(date +%s)
npass=0
nfail=0

pass() { npass=$((npass + 1)); echo "PASS $1"; }
fail() { nfail=$((nfail + 1)); echo "FAIL $1"; shift; for l in "$@"; do echo "  $l"; done; }
finish() { echo "parity: $npass passed, $nfail failed ($(($(date +%s) - START)) s)"; [ "$nfail" = 0 ]; exit $?; }

# the throwaway servers, stopped however the script ends
D=""
MY_UP=""
cleanup() {
	if [ -n "$D" ]; then sh tests/pg/cluster.sh stop "$D"; rm -rf "$D"; fi
	if [ -n "$MY_UP" ]; then
		sh tests/mysql/server.sh stop "$MYDIR"
		cp "$MYDIR/error.log" "$OUT/mariadb-error.log" 2>/dev/null
		rm -rf "$MYDIR"			# about 100 MB of data directory
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- build --------------------------------------------------------------------
if ! make -s sqlite cli mysql build/dialect_report >"$OUT/build.log" 2>&1; then
	fail build "$(tail -20 "$OUT/build.log")"; finish
fi
MK="make -s USE_PGXS=1 with_llvm=no"
if [ ! -x "$PGBIN/pg_ctl" ]; then fail pg "no PostgreSQL 15 in $PGBIN"; finish; fi
if [ ! -x "$MARIADBD" ] || ! command -v mariadb >/dev/null; then fail mariadb "no MariaDB server ($MARIADBD) or client (mariadb)"; finish; fi
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
# MariaDB (after the server is up): my_q SQL, the raw output of one batch;
# lit TEXT, TEXT as a string literal of the mariadb client; my_schema, the
# document of database parity; parity_my A B, premix_parity of two document
# files by the UDF (its result is a binary string)
my_q() { $MDB -N -B -r -e "$1" 2>&1; }
lit() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/''/g; s/\\\\/\\\\\\\\/g")"; }
my_schema() { my_q "CALL premix.premix_schema('parity', @js); SELECT @js"; }
parity_my() {
	my_q "SET @a = $(lit "$(cat "$1")"), @b = $(lit "$(cat "$2")");
		SELECT CONVERT(premix_parity(@a, @b) USING utf8mb4)"
}
# parity_gate A B: what `premix parity` does, for two document files (the
# command reads databases, and no MariaDB): each mismatch as its path, why
# and what each side has; exit 0 when equivalent, 3 when not, 1 on an error.
# premix_parity runs in the SQLite extension.
parity_gate() {
	parity_sqlite "$1" "$2" >"$OUT/gate.r" || { cat "$OUT/gate.r"; return 1; }
	case $(head -c 1 "$OUT/gate.r") in
	'[') ;;
	*) cat "$OUT/gate.r"; return 1 ;;
	esac
	n=$(count "$OUT/gate.r")
	[ "$n" -ge 0 ] 2>/dev/null || { cat "$OUT/gate.r"; return 1; }
	sqlite3 -batch :memory: "SELECT 'A: ' || (readfile('$1') ->> 'dialect') || ', ' ||
		json_array_length(readfile('$1'), '\$.tables') || ' tables' || char(10) || 'B: ' ||
		(readfile('$2') ->> 'dialect') || ', ' || json_array_length(readfile('$2'), '\$.tables') || ' tables'"
	sqlite3 -batch :memory: "SELECT char(10) || (value ->> 'path') || char(10) || '    ' || (value ->> 'why') ||
		char(10) || '    A (' || (readfile('$1') ->> 'dialect') || '): ' || (value ->> 'a') ||
		char(10) || '    B (' || (readfile('$2') ->> 'dialect') || '): ' || (value ->> 'b')
		FROM json_each(readfile('$OUT/gate.r')) ORDER BY key"
	echo
	if [ "$n" = 0 ]; then echo "parity: equivalent"; return 0; fi
	if [ "$n" = 1 ]; then echo "parity: 1 mismatch"; else echo "parity: $n mismatches"; fi
	return 3
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
	fail pg-cluster "$(tail -20 "$D/server.log" 2>/dev/null)"; finish
fi
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

# --- the target on MariaDB ----------------------------------------------------
MY_UP=1
if ! env=$(sh tests/mysql/server.sh start "$MYDIR" 2>"$OUT/mariadb-start.log"); then
	fail mariadb-server "$(tail -20 "$OUT/mariadb-start.log")"; finish
fi
eval "$env"
# a new file name, then a rename: a loaded .so is never overwritten in place
cp mysql_premix/premix_udf.so "$MDB_PLUGIN_DIR/.premix_udf.so.new" &&
	mv "$MDB_PLUGIN_DIR/.premix_udf.so.new" "$MDB_PLUGIN_DIR/premix_udf.so"
if ! $MDB <mysql_premix/premix.sql >"$OUT/mariadb-install.log" 2>&1 || [ -s "$OUT/mariadb-install.log" ]; then
	fail mariadb-install "$(head -20 "$OUT/mariadb-install.log")"; finish
fi
my_q "CREATE DATABASE parity; SET @t = $(lit "$(cat "$TARGET")"); CALL premix.premix_migrate('parity', @t, false)" >"$OUT/mariadb-migrate.log"
n=$(sed -n 's/^{"status": "applied", "migration": [0-9]*, "steps": \([0-9]*\),.*/\1/p' "$OUT/mariadb-migrate.log")
if [ "${n:-0}" -gt 0 ] 2>/dev/null; then pass "mariadb-target-applied ($n steps, $(my_q 'SELECT VERSION()'))"
else fail mariadb-target-applied "$(head -c 1500 "$OUT/mariadb-migrate.log")" "$(grep -A12 'got signal' "$MYDIR/error.log" | head -12)"; finish; fi
my_schema >"$OUT/mariadb.json"
cp "$OUT/mariadb.json" "$OUT/mariadb0.json"
# the target once more: what MariaDB holds is the target, nothing to do
my_q "SET @t = $(lit "$(cat "$TARGET")"); CALL premix.premix_migrate('parity', @t, false)" >"$OUT/mariadb-migrate2.log"
if grep -qx '{"status": "unchanged", "steps": 0}' "$OUT/mariadb-migrate2.log"; then pass mariadb-target-again-unchanged
else fail mariadb-target-again-unchanged "$(head -c 1500 "$OUT/mariadb-migrate2.log")"; fi

# --- MariaDB equivalent to both: both ways, on all three hosts ---------------
for other in sqlite pg; do
	o=$OUT/$other.json m=$OUT/mariadb.json
	parity_sqlite "$o" "$m" >"$OUT/r-$other-1"; empty "sqlite-host/$other-vs-mariadb" "$OUT/r-$other-1"
	parity_sqlite "$m" "$o" >"$OUT/r-$other-2"; empty "sqlite-host/mariadb-vs-$other" "$OUT/r-$other-2"
	parity_pg "$o" "$m" >"$OUT/r-$other-3"; empty "pg-host/$other-vs-mariadb" "$OUT/r-$other-3"
	parity_pg "$m" "$o" >"$OUT/r-$other-4"; empty "pg-host/mariadb-vs-$other" "$OUT/r-$other-4"
	parity_my "$o" "$m" >"$OUT/r-$other-5"; empty "mariadb-host/$other-vs-mariadb" "$OUT/r-$other-5"
	parity_my "$m" "$o" >"$OUT/r-$other-6"; empty "mariadb-host/mariadb-vs-$other" "$OUT/r-$other-6"
	parity_gate "$o" "$m" >"$OUT/gate-$other" 2>&1; rc=$?
	if [ $rc = 0 ] && grep -q "parity: equivalent" "$OUT/gate-$other"; then pass "gate-equivalent/$other-vs-mariadb"
	else fail "gate-equivalent/$other-vs-mariadb" "rc=$rc" "$(head -40 "$OUT/gate-$other")"; fi
done
parity_my "$OUT/sqlite.json" "$OUT/pg.json" >"$OUT/r5"; empty mariadb-host/sqlite-vs-pg "$OUT/r5"
parity_my "$OUT/pg.json" "$OUT/sqlite.json" >"$OUT/r6"; empty mariadb-host/pg-vs-sqlite "$OUT/r6"
cp "$OUT/sqlite.json" "$OUT/sqlite0.json"

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

# MariaDB, with plain SQL after the migration, against the first exports:
# users.email nullable, users_born_idx dropped, users.age int (was
# smallint) and posts.title varchar(300) (was varchar(200))
my_q "USE parity;
	ALTER TABLE users MODIFY email varchar(255) NULL;
	DROP INDEX users_born_idx ON users;
	ALTER TABLE users MODIFY age int NULL;
	ALTER TABLE posts MODIFY title varchar(300) NOT NULL DEFAULT 'untitled'" >"$OUT/mariadb-alter.log"
my_schema >"$OUT/mariadb.json"
parity_sqlite "$OUT/sqlite0.json" "$OUT/mariadb.json" >"$OUT/my1"
parity_pg "$OUT/pg0.json" "$OUT/mariadb.json" >"$OUT/my2"
parity_my "$OUT/mariadb.json" "$OUT/pg0.json" >"$OUT/my3"
parity_my "$OUT/mariadb0.json" "$OUT/mariadb.json" >"$OUT/my4"
mycheck() {
	name=$1; shift
	if "$@"; then pass "$name"; else
		fail "$name" "alter: $(head -c 300 "$OUT/mariadb-alter.log")" "my1 (sqlite vs mariadb): $(head -c 1500 "$OUT/my1")" \
			"my2 (pg vs mariadb): $(head -c 1500 "$OUT/my2")" "my3 (mariadb vs pg, MariaDB host): $(head -c 1500 "$OUT/my3")" \
			"my4 (mariadb before vs after): $(head -c 1500 "$OUT/my4")"
	fi
}
mycheck mariadb-mismatch/nullable has "$OUT/my1" users.email.nullable "NULL allowed on one side only"
mycheck mariadb-mismatch/index-missing has "$OUT/my1" "users.index (born)" "index only in A"
mycheck mariadb-mismatch/wider-varchar has "$OUT/my1" posts.title.type "string length differs: 200 vs 300"
mycheck mariadb-mismatch/sqlite-no-integer-width [ "$(count "$OUT/my1")" = 3 ]
mycheck mariadb-mismatch/pg-wider-integer has "$OUT/my2" users.age.type "integer width differs: 16 vs 32 bits"
mycheck mariadb-mismatch/pg-nullable has "$OUT/my2" users.email.nullable "NULL allowed on one side only"
mycheck mariadb-mismatch/pg-count [ "$(count "$OUT/my2")" = 4 ]
mycheck mariadb-mismatch/mariadb-host-index-missing has "$OUT/my3" "users.index (born)" "index only in B"
mycheck mariadb-mismatch/mariadb-host-count [ "$(count "$OUT/my3")" = 4 ]
mycheck mariadb-mismatch/mariadb-vs-itself has "$OUT/my4" users.age.type "integer width differs: 16 vs 32 bits"
mycheck mariadb-mismatch/mariadb-vs-itself-count [ "$(count "$OUT/my4")" = 4 ]
for other in sqlite pg; do
	[ $other = sqlite ] && k=3 || k=4
	parity_gate "$OUT/${other}0.json" "$OUT/mariadb.json" >"$OUT/gate-mismatch-$other" 2>&1; rc=$?
	if [ $rc = 3 ] && grep -q "^users.email.nullable$" "$OUT/gate-mismatch-$other" &&
		grep -q "^users.index (born)$" "$OUT/gate-mismatch-$other" && grep -q "^posts.title.type$" "$OUT/gate-mismatch-$other" &&
		grep -q "B (mysql): true" "$OUT/gate-mismatch-$other" && grep -q "^parity: $k mismatches$" "$OUT/gate-mismatch-$other"; then
		pass "gate-mismatch-exit-3/$other-vs-mariadb"
	else fail "gate-mismatch-exit-3/$other-vs-mariadb" "rc=$rc" "$(head -40 "$OUT/gate-mismatch-$other")"; fi
done

if grep -Eqi 'got signal|assertion|stack trace|segmentation' "$MYDIR/error.log"; then
	fail "mariadb-server-log (no crash)" "$(grep -Ei -A12 'got signal|assertion' "$MYDIR/error.log" | head -14)"
else pass "mariadb-server-log (no crash)"; fi

# --- README: the dialect report is the program's output -----------------------
build/dialect_report >"$OUT/dialect_report.md" 2>&1; rc=$?
sed -n '/^<!-- dialect-report:begin -->$/,/^<!-- dialect-report:end -->$/p' README.md | sed '1d;$d' >"$OUT/readme_report.md"
if [ $rc = 0 ] && [ -s "$OUT/dialect_report.md" ] && diff -u "$OUT/readme_report.md" "$OUT/dialect_report.md" >"$OUT/report.diff"; then
	pass readme-dialect-report
else fail readme-dialect-report "README.md differs from make dialect-report (paste its output between the markers):" "$(head -20 "$OUT/report.diff")"; fi

finish
