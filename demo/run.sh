#!/bin/sh
# The premix demo: a throwaway SQLite database in demo/demo.db.
# The shell exits 1 because step 3 is refused on purpose; the outcome is
# checked explicitly afterwards instead.
set -eu
cd "$(dirname "$0")/.."
rm -f demo/demo.db
# stdbuf: keep premix errors (stderr) in order with the results (stdout)
stdbuf -o0 -e0 sqlite3 demo/demo.db < demo/demo.sql 2>&1 || true
ok=$(sqlite3 demo/demo.db "SELECT (SELECT count(*) FROM users WHERE status = 'active') = 3
  AND (SELECT group_concat(username, ',') FROM users) = 'alice,bob,carol'
  AND (SELECT count(*) FROM premix_migrations) = 1;")
if [ "$ok" = 1 ]; then
	echo
	echo "demo: OK (rows intact, one migration recorded)"
else
	echo "demo: FAILED (unexpected final state)" >&2
	exit 1
fi
