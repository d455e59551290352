#!/bin/sh
# tests/crash/run.sh OUTDIR -- SIGKILL crash test of premix_migrate on SQLite.
#
# Called by tests/run.sh from the repository root after `make sqlite`.
# Builds tests/crash/crash.c into OUTDIR with gcc -O2, then runs it there:
# it kills a child process at random points of a large table rebuild, in
# rollback-journal (DELETE) and WAL mode, and checks after each kill that the
# database is intact and wholly before or wholly after the migration.
# Prints PASS/FAIL lines (one per kill, plus a summary); exit 1 on failure.
#
# Environment: PREMIX_EXT (extension to load; default sqlite_premix/premix
# of this repository), CRASH_SEED, CRASH_ITERS, CRASH_ROWS, CRASH_KEEP (see
# the header of crash.c).  Databases of failed iterations stay in OUTDIR.
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
OUT=${1:-$ROOT/tests/results/crash}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
EXT=${PREMIX_EXT:-$ROOT/sqlite_premix/premix}

if [ -z "${PREMIX_EXT:-}" ] && [ ! -e "$ROOT/sqlite_premix/premix.so" ]; then
	if ! make -s sqlite >"$OUT/make.log" 2>&1; then
		echo "FAIL build (make sqlite)"; cat "$OUT/make.log"; exit 1
	fi
fi
if ! gcc -std=c11 -O2 -Wall -Wextra -o "$OUT/crash" tests/crash/crash.c -lsqlite3 2>"$OUT/crash.build"; then
	echo "FAIL build (tests/crash/crash.c)"; cat "$OUT/crash.build"; exit 1
fi
# leftovers of an earlier run (kept databases of failed iterations)
rm -f "$OUT"/*.db "$OUT"/*.db-journal "$OUT"/*.db-wal "$OUT"/*.db-shm
exec "$OUT/crash" "$OUT" "$EXT"
