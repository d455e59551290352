#!/bin/sh
# premix benchmark driver (figures, not a test); `make bench` runs it.
#
#   sh bench/run.sh [bench options]   build bench/out/bench, run it for
#                                     100, 1000, 10000 tables, print the table
#                                     and write bench/RESULTS.md
#   sh bench/run.sh profile [N]       callgrind of one premix_diff(premix_schema())
#                                     on N tables (default 1000); inclusive
#                                     costs of premix's functions go to
#                                     bench/out/profile_N.txt
#
# Bench options (see bench/bench.c): -n 100,1000 (sizes), -f (regenerate the
# databases), -b SECONDS (time budget per figure, default 40).
# Everything generated (program, databases, targets, plans, profiles) stays
# in bench/out/, which git ignores.
set -eu
cd "$(dirname "$0")/.."
OUT=bench/out
mkdir -p "$OUT"

if [ ! -f sqlite_premix/premix.so ]; then
	echo "bench: sqlite_premix/premix.so is missing; run 'make sqlite' (or 'make bench')" >&2
	exit 1
fi

${CC:-gcc} -std=c11 -O2 -g -Wall -Wextra -o "$OUT/bench" bench/bench.c -lsqlite3

if [ "${1:-}" = profile ]; then
	N=${2:-1000}
	command -v valgrind >/dev/null || { echo "bench: valgrind is not installed" >&2; exit 1; }
	# make sure the database exists before profiling (not part of the profile)
	"$OUT/bench" -o "$OUT" -n "$N" -b 0 -r "$OUT/results_profile.md" >/dev/null
	valgrind --tool=callgrind --callgrind-out-file="$OUT/callgrind.$N" \
		"$OUT/bench" -o "$OUT" -p "$N" 2>"$OUT/valgrind.log"
	callgrind_annotate --inclusive=yes --threshold=100 "$OUT/callgrind.$N" 2>/dev/null |
		grep -E 'PROGRAM TOTALS|time_text_query|/(shared|sqlite_premix)/|sqlite3_exec|jansson|nettle' |
		head -80 >"$OUT/profile_$N.txt"
	cat "$OUT/profile_$N.txt"
	echo "bench: full profile: callgrind_annotate --inclusive=yes $OUT/callgrind.$N" >&2
	exit 0
fi

exec "$OUT/bench" -e sqlite_premix/premix -o "$OUT" -r bench/RESULTS.md "$@"
