#!/bin/sh
# The premix demo: a throwaway SQLite database in demo/demo.db.
set -eu
cd "$(dirname "$0")/.."
rm -f demo/demo.db
# stdbuf: keep premix errors (stderr) in order with the results (stdout)
stdbuf -o0 -e0 sqlite3 demo/demo.db < demo/demo.sql 2>&1
