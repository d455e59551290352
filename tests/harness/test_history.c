/*
 * test_history.c -- the migration history functions (premix_run,
 * premix_rollback, premix_status, premix_script, premix_purge) through the
 * real libsqlite3 API: what the sqlite3 shell cannot show.  Out of memory
 * and repetition are test_history_oom.c's.
 *
 *  - premix_run applies once, a second call is a no-op, an edited script is
 *    refused (PX001) with the ledger unchanged;
 *  - a hand-written DROP COLUMN is refused (55000) with the schema, the rows
 *    and the ledger unchanged and the connection back in autocommit mode,
 *    then applied with allow_destructive;
 *  - a script that fails on the data (a rebuild to NOT NULL over NULLs) is
 *    blocked (23502) and leaves nothing behind: schema, rows, ledger, no
 *    trash table, no transaction, foreign_keys / legacy_alter_table /
 *    defer_foreign_keys as they were;
 *  - inside the caller's BEGIN ... ROLLBACK premix_run leaves nothing; a
 *    refused call there keeps the caller's transaction and work and leaves
 *    no premix savepoint behind;
 *  - premix_rollback of a premix_migrate that dropped a column and a table
 *    restores the rows exactly (the trash); premix_purge empties the trash
 *    (refused without allow_destructive), after which that rollback fails
 *    and changes nothing;
 *  - premix_status reports drift after a manual ALTER and explains it;
 *  - premix_script's up and down run through premix_run / premix_rollback;
 *  - every function's error paths.
 *
 * Each check prints PASS/FAIL (harness.h); the exit status is 1 on any
 * failure.
 */
#define _POSIX_C_SOURCE 200809L

#include "harness.h"
#include "history.h"

/* json_extract(json, path) contains needle. */
static int
jhas(sqlite3 *db, const char *json, const char *path, const char *needle)
{
	char	   *v = jget(db, json, path);
	int			ok = v && strstr(v, needle);

	free(v);
	return ok;
}

/* No savepoint of this name is open on db (ROLLBACK TO it fails). */
static int
no_savepoint(sqlite3 *db, const char *name)
{
	char	   *sql = sqlite3_mprintf("ROLLBACK TO \"%w\"", name);
	char	   *err = NULL;
	int			rc = h_exec(db, sql, &err);
	int			ok = rc != SQLITE_OK && err && strstr(err, "no such savepoint");

	sqlite3_free(sql);
	sqlite3_free(err);
	return ok;
}

/* ------------------------------------------------------------- tests */

/* Run once, then the same call again (a no-op), then an edited script (PX001). */
static void
test_run_once(void)
{
	sqlite3    *db = fresh();
	char	   *r,
			   *err,
			   *before,
			   *after,
			   *checksum;

	r = run(db, "20260101000100", "add_phone", "ALTER TABLE users ADD COLUMN phone TEXT;",
			"ALTER TABLE users DROP COLUMN phone;", 0, &err);
	CHECK("run once: applied", r && !err && jis(db, r, "$.applied", "1"));
	if (err)
		printf("    error: %s\n", err);
	free(err);
	CHECK("run once: ledger_id 1", jis(db, r, "$.ledger_id", "1"));
	CHECK("run once: effect is one add_column", jis(db, r, "$.effect[0].op", "add_column") &&
		  jis(db, r, "$.effect[0].object", "phone") && jis(db, r, "$.effect[1]", NULL));
	checksum = jget(db, r, "$.checksum");
	CHECK("run once: checksum is a SHA-256 in hex", checksum && strlen(checksum) == 64 &&
		  strspn(checksum, "0123456789abcdef") == 64);
	CHECK("run once: column added", h_int(db, "SELECT count(*) FROM pragma_table_info('users') WHERE name = 'phone'") == 1);
	{
		char	   *row = h_text(db, "SELECT version || '|' || name || '|' || kind || '|' || checksum || '|' || "
								 "down_sql || '|' || steps || '|' || ifnull(rolled_back_at, 'NULL') FROM premix_migrations", NULL);
		char		want[400];

		snprintf(want, sizeof(want), "20260101000100|add_phone|run|%s|ALTER TABLE users DROP COLUMN phone;|1|NULL",
				 checksum ? checksum : "?");
		CHECK("run once: the ledger row", ledger_rows(db) == 1 && same_str(row, want));
		if (!same_str(row, want))
			printf("    ledger row: %s\n", row ? row : "(none)");
		free(row);
	}
	CHECK("run once: autocommit", sqlite3_get_autocommit(db) == 1);
	free(r);

	/* the same call again: nothing to do, nothing recorded */
	before = dump(db);
	r = run(db, "20260101000100", "add_phone", "ALTER TABLE users ADD COLUMN phone TEXT;",
			"ALTER TABLE users DROP COLUMN phone;", 0, &err);
	after = dump(db);
	CHECK("run again: a no-op", r && !err && jis(db, r, "$.applied", "0") && jis(db, r, "$.ledger_id", "1") &&
		  jis(db, r, "$.effect", "[]") && jhas(db, r, "$.message", "already applied"));
	CHECK("run again: database unchanged", same_str(before, after));
	free(r);
	free(err);
	free(after);

	/* edited after it was applied: PX001 naming both checksums */
	r = run(db, "20260101000100", "add_phone", "ALTER TABLE users ADD COLUMN phone TEXT NOT NULL DEFAULT '';",
			"ALTER TABLE users DROP COLUMN phone;", 1, &err);
	after = dump(db);
	CHECK("edited: refused with PX001", !r && has_state(err, "PX001") && err && strstr(err, "was edited"));
	CHECK("edited: the error names the recorded checksum", err && checksum && strstr(err, checksum));
	CHECK("edited: the error names the new checksum",
		  err && strstr(err, "this up SQL has checksum ") &&
		  strspn(strstr(err, "this up SQL has checksum ") + 25, "0123456789abcdef") == 64);
	CHECK("edited: ledger and schema unchanged", same_str(before, after));
	CHECK("edited: autocommit", sqlite3_get_autocommit(db) == 1);
	free(r);
	free(err);
	free(after);

	/* an older version: out of order, refused; with the option, applied */
	r = run(db, "20260101000050", "early", "CREATE TABLE early (id INTEGER PRIMARY KEY);", "DROP TABLE early;", 0, &err);
	after = dump(db);
	CHECK("out of order: refused with PX001", !r && has_state(err, "PX001") && strstr(err, "older than"));
	CHECK("out of order: database unchanged", same_str(before, after));
	free(r);
	free(err);
	free(after);
	r = q4(db, &err, NULL, "SELECT premix_run(?1, ?2, ?3, ?4, 0, '{\"out_of_order\": true}')",
		   "20260101000050", "early", "CREATE TABLE early (id INTEGER PRIMARY KEY);", "DROP TABLE early;");
	CHECK("out of order with the option: applied", r && !err && jis(db, r, "$.applied", "1") &&
		  h_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'early'") == 1);
	free(r);
	free(err);
	free(before);
	free(checksum);
	sqlite3_close(db);
}

/*
 * A hand-written DROP COLUMN: refused without allow_destructive (55000),
 * nothing changed, no transaction left; applied with it.  Foreign keys
 * are on and legacy_alter_table is on: both come back.
 */
static void
test_drop_column(void)
{
	sqlite3    *db = fresh();
	char	   *r,
			   *err,
			   *before,
			   *after;
	long long	p0;

	h_exec(db, "PRAGMA foreign_keys = ON; PRAGMA legacy_alter_table = ON", NULL);
	p0 = pragmas(db);
	before = dump(db);
	r = run(db, "20260101000200", "drop_legacy", "ALTER TABLE users DROP COLUMN legacy;",
			"ALTER TABLE users ADD COLUMN legacy TEXT;", 0, &err);
	after = dump(db);
	CHECK("drop column: refused with 55000", !r && has_state(err, "55000"));
	CHECK("drop column: the error counts the values", err && strstr(err, "drop_column users.legacy") &&
		  strstr(err, "holds 2 non-NULL values in 3 rows"));
	CHECK("drop column: schema, rows and ledger unchanged", same_str(before, after));
	CHECK("drop column: legacy still there with its values",
		  h_int(db, "SELECT count(*) FROM users WHERE legacy IS NOT NULL") == 2);
	CHECK("drop column: no ledger table created", ledger_rows(db) == 0 &&
		  h_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'premix_migrations'") == 0);
	CHECK("drop column: sqlite3_get_autocommit() is 1", sqlite3_get_autocommit(db) == 1);
	CHECK("drop column: pragmas as before", pragmas(db) == p0);
	free(r);
	free(err);
	free(after);

	r = run(db, "20260101000200", "drop_legacy", "ALTER TABLE users DROP COLUMN legacy;",
			"ALTER TABLE users ADD COLUMN legacy TEXT;", 1, &err);
	CHECK("drop column allowed: applied", r && !err && jis(db, r, "$.applied", "1"));
	if (err)
		printf("    error: %s\n", err);
	CHECK("drop column allowed: effect is a destructive drop_column",
		  jis(db, r, "$.effect[0].op", "drop_column") && jis(db, r, "$.effect[0].safety", "destructive"));
	CHECK("drop column allowed: legacy gone", h_int(db, "SELECT count(*) FROM pragma_table_info('users') WHERE name = 'legacy'") == 0);
	{
		char	   *rows = rows_of(db, "users");

		CHECK("drop column allowed: the other values kept",
			  same_str(rows, "i:1|t:ann|t:a@x\ni:2|null|b:00ff\ni:3|t:cy|t:3.5\n"));
		if (!same_str(rows, "i:1|t:ann|t:a@x\ni:2|null|b:00ff\ni:3|t:cy|t:3.5\n"))
			printf("    rows: %s", rows ? rows : "(none)\n");
		free(rows);
	}
	CHECK("drop column allowed: children kept (foreign keys on)", h_int(db, "SELECT count(*) FROM posts") == 2);
	CHECK("drop column allowed: ledger row", ledger_rows(db) == 1);
	CHECK("drop column allowed: autocommit, pragmas as before", sqlite3_get_autocommit(db) == 1 && pragmas(db) == p0);
	free(r);
	free(err);
	free(before);
	sqlite3_close(db);
}

/*
 * A rebuild script making name NOT NULL over a NULL: blocked (23502) with
 * the count, even with allow_destructive, and nothing left behind.
 */
static void
test_blocked_script(void)
{
	sqlite3    *db = fresh();
	char	   *r,
			   *err,
			   *before,
			   *after;
	long long	p0;

	h_exec(db, "PRAGMA foreign_keys = ON; PRAGMA legacy_alter_table = ON", NULL);
	/* a ledger with one row already, so "unchanged" is about its content */
	free(run(db, "20260101000100", "add_phone", "ALTER TABLE users ADD COLUMN phone TEXT;",
			 "ALTER TABLE users DROP COLUMN phone;", 0, &err));
	free(err);
	p0 = pragmas(db);
	before = dump(db);
	r = run(db, "20260101000500", "name_not_null",
			"CREATE TABLE users_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL, legacy TEXT, email TEXT, phone TEXT);\n"
			"INSERT INTO users_new SELECT id, name, legacy, email, phone FROM users;\n"
			"DROP TABLE users;\n"
			"ALTER TABLE users_new RENAME TO users;\n", NULL, 1, &err);
	after = dump(db);
	CHECK("blocked script: refused with 23502", !r && has_state(err, "23502"));
	CHECK("blocked script: the error says blocked, with the count", err && strstr(err, "is blocked") &&
		  strstr(err, "1 row holds NULL"));
	if (!has_state(err, "23502"))
		printf("    got: %s\n", err ? err : "(no error)");
	CHECK("blocked script: schema, rows and ledger unchanged", same_str(before, after));
	CHECK("blocked script: no users_new left", h_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'users_new'") == 0);
	CHECK("blocked script: no premix_trash_ table", trash_tables(db) == 0);
	CHECK("blocked script: children kept", h_int(db, "SELECT count(*) FROM posts") == 2);
	CHECK("blocked script: no transaction open", sqlite3_get_autocommit(db) == 1);
	CHECK("blocked script: foreign_keys, legacy_alter_table, defer_foreign_keys as before", pragmas(db) == p0);
	if (pragmas(db) != p0)
		printf("    pragmas %03lld, were %03lld\n", pragmas(db), p0);
	CHECK("blocked script: integrity", h_int(db, "SELECT count(*) FROM pragma_foreign_key_check") == 0);
	free(r);
	free(err);
	free(after);

	/* a script failing otherwise (no such table) keeps SQLite's message */
	r = run(db, "20260101000600", "typo", "ALTER TABLE userz ADD COLUMN x TEXT;", NULL, 0, &err);
	after = dump(db);
	CHECK("failing script: premix error with the database's message", !r && is_premix_error(err) &&
		  strstr(err, "no such table"));
	CHECK("failing script: nothing changed", same_str(before, after) && sqlite3_get_autocommit(db) == 1 &&
		  pragmas(db) == p0);
	free(r);
	free(err);
	free(after);

	/* the second statement fails: the first is undone too */
	r = run(db, "20260101000600", "half", "ALTER TABLE users ADD COLUMN fax TEXT; ALTER TABLE userz ADD COLUMN x TEXT;", NULL, 0, &err);
	after = dump(db);
	CHECK("failing second statement: nothing changed", !r && is_premix_error(err) && same_str(before, after) &&
		  sqlite3_get_autocommit(db) == 1);
	free(r);
	free(err);
	free(after);
	free(before);
	sqlite3_close(db);
}

/*
 * premix_run inside the caller's BEGIN ... ROLLBACK: the migration is part
 * of the caller's transaction.  A refused call there keeps the transaction
 * and the caller's work and leaves no savepoint of premix's.
 */
static void
test_in_transaction(void)
{
	sqlite3    *db = fresh();
	char	   *r,
			   *err,
			   *before,
			   *after,
			   *inside;

	before = dump(db);
	h_exec(db, "BEGIN", NULL);
	h_exec(db, "INSERT INTO audit VALUES (10, 'caller')", NULL);
	r = run(db, "20260101000100", "add_phone", "ALTER TABLE users ADD COLUMN phone TEXT;",
			"ALTER TABLE users DROP COLUMN phone;", 0, &err);
	CHECK("in BEGIN: applied", r && !err && jis(db, r, "$.applied", "1"));
	CHECK("in BEGIN: still in the caller's transaction", sqlite3_get_autocommit(db) == 0);
	CHECK("in BEGIN: column and ledger row visible inside",
		  h_int(db, "SELECT count(*) FROM pragma_table_info('users') WHERE name = 'phone'") == 1 && ledger_rows(db) == 1);
	CHECK("in BEGIN: no premix savepoint left", no_savepoint(db, "premix_apply") && no_savepoint(db, "premix_probe"));
	free(r);
	free(err);

	/* a script that needs the rows (drop): probe rolled back, second run, still inside */
	r = run(db, "20260101000200", "drop_legacy", "ALTER TABLE users DROP COLUMN legacy;",
			"ALTER TABLE users ADD COLUMN legacy TEXT;", 1, &err);
	CHECK("in BEGIN: a drop applied (probe and second run)", r && !err && jis(db, r, "$.applied", "1") &&
		  h_int(db, "SELECT count(*) FROM pragma_table_info('users') WHERE name = 'legacy'") == 0);
	free(r);
	free(err);

	/* refused inside: the transaction stays open with everything so far */
	inside = dump(db);
	r = run(db, "20260101000300", "drop_email", "ALTER TABLE users DROP COLUMN email;", NULL, 0, &err);
	after = dump(db);
	CHECK("in BEGIN, refused: 55000", !r && has_state(err, "55000"));
	CHECK("in BEGIN, refused: transaction still open", sqlite3_get_autocommit(db) == 0);
	CHECK("in BEGIN, refused: the caller's work and the earlier runs kept", same_str(inside, after) &&
		  h_int(db, "SELECT count(*) FROM audit WHERE id = 10") == 1);
	CHECK("in BEGIN, refused: no premix savepoint left", no_savepoint(db, "premix_apply") && no_savepoint(db, "premix_probe"));
	free(r);
	free(err);
	free(after);

	/* a blocked one inside (fails on the data, explained over emptied tables) */
	r = run(db, "20260101000400", "name_not_null",
			"CREATE TABLE users_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT, phone TEXT);\n"
			"INSERT INTO users_new SELECT id, name, email, phone FROM users;\n"
			"DROP TABLE users;\n"
			"ALTER TABLE users_new RENAME TO users;\n", NULL, 1, &err);
	after = dump(db);
	CHECK("in BEGIN, blocked: 23502", !r && has_state(err, "23502"));
	CHECK("in BEGIN, blocked: everything so far kept, rows not emptied", same_str(inside, after));
	CHECK("in BEGIN, blocked: no premix savepoint left", no_savepoint(db, "premix_apply") && no_savepoint(db, "premix_probe") &&
		  sqlite3_get_autocommit(db) == 0);
	CHECK("in BEGIN, blocked: defer_foreign_keys off", h_int(db, "PRAGMA defer_foreign_keys") == 0);
	free(r);
	free(err);
	free(after);
	free(inside);

	h_exec(db, "ROLLBACK", NULL);
	after = dump(db);
	CHECK("in BEGIN ... ROLLBACK: nothing left (schema, rows, no ledger)", same_str(before, after) && ledger_rows(db) == 0);
	CHECK("in BEGIN ... ROLLBACK: autocommit", sqlite3_get_autocommit(db) == 1);
	free(after);

	/* foreign keys on inside a transaction: a DROP TABLE script is refused (25000) */
	h_exec(db, "PRAGMA foreign_keys = ON; BEGIN", NULL);
	r = run(db, "20260101000500", "drop_audit", "DROP TABLE audit;", NULL, 1, &err);
	CHECK("in BEGIN, foreign keys on: DROP TABLE refused with 25000", !r && has_state(err, "25000"));
	CHECK("in BEGIN, foreign keys on: transaction open, nothing changed", sqlite3_get_autocommit(db) == 0 &&
		  h_int(db, "SELECT count(*) FROM audit") == 2);
	free(r);
	free(err);
	h_exec(db, "ROLLBACK", NULL);
	free(before);
	sqlite3_close(db);
}

/*
 * premix_migrate drops users.email and table audit (allow_destructive):
 * both go to the trash; premix_rollback brings back the structure and
 * exactly the rows.  Then premix_purge.
 */
static void
test_trash_rollback_purge(void)
{
	sqlite3    *db = fresh();
	char	   *r,
			   *err,
			   *plan,
			   *schema0,
			   *users0,
			   *audit0,
			   *migrated,
			   *after;

	h_exec(db, "PRAGMA foreign_keys = ON", NULL);
	schema0 = h_text(db, "SELECT premix_schema()", NULL);
	users0 = rows_of(db, "users");
	audit0 = rows_of(db, "audit");
	plan = q4(db, &err, NULL, "SELECT premix_diff(?1)", T_DROP_EMAIL_AUDIT, NULL, NULL, NULL);
	CHECK("trash: plan made", plan && !err);
	{
		char	   *ops = NULL;
		char	   *e2 = NULL;

		ops = q4(db, &e2, NULL, "SELECT group_concat(json_extract(value, '$.op') || ' ' || json_extract(value, '$.object'), ', ') "
				 "FROM json_each(?1, '$.steps')", plan, NULL, NULL, NULL);
		CHECK("trash: the plan's steps", same_str(ops, "drop_table audit, drop_column email") ||
			  same_str(ops, "drop_column email, drop_table audit"));
		if (!same_str(ops, "drop_table audit, drop_column email") && !same_str(ops, "drop_column email, drop_table audit"))
			printf("    steps: %s\n", ops ? ops : "(none)");
		free(ops);
		free(e2);
	}
	free(err);
	r = q4(db, &err, NULL, "SELECT premix_migrate(?1, 1)", T_DROP_EMAIL_AUDIT, NULL, NULL, NULL);
	CHECK("trash: migrate applied both steps", r && !err && jis(db, r, "$.applied", "2"));
	if (err)
		printf("    error: %s\n", err);
	free(r);
	free(err);
	CHECK("trash: email and audit gone", h_int(db, "SELECT count(*) FROM pragma_table_info('users') WHERE name = 'email'") == 0 &&
		  h_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'audit'") == 0);
	CHECK("trash: premix_trash_audit and premix_trash_users__email",
		  h_int(db, "SELECT count(*) FROM sqlite_schema WHERE name IN ('premix_trash_audit', 'premix_trash_users__email')") == 2 &&
		  trash_tables(db) == 2);
	CHECK("trash: audit's index dropped (names are database-wide)",
		  h_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'audit_msg_idx'") == 0);
	CHECK("trash: premix_schema shows no trash", h_int(db, "SELECT instr(premix_schema(), 'premix_trash') = 0") == 1);
	CHECK("trash: no drift", h_int(db, "SELECT json_extract(premix_status(), '$.drift')") == 0);
	migrated = dump(db);

	/* rows written after the migration get the default; old rows get their values back */
	r = h_text(db, "SELECT premix_rollback()", &err);
	CHECK("trash rollback: rolled back the migrate", r && !err && jis(db, r, "$.rolled_back[0].ledger_id", "1") &&
		  jis(db, r, "$.rolled_back[1]", NULL));
	if (err)
		printf("    error: %s\n", err);
	free(r);
	free(err);
	after = h_text(db, "SELECT premix_schema()", NULL);
	CHECK("trash rollback: schema exactly as before", same_str(after, schema0));
	free(after);
	after = rows_of(db, "users");
	CHECK("trash rollback: users rows exactly (text, blob, real, NULL)", same_str(after, users0));
	if (!same_str(after, users0))
		printf("    users: %s    were: %s", after, users0);
	free(after);
	after = rows_of(db, "audit");
	CHECK("trash rollback: audit rows exactly", same_str(after, audit0));
	free(after);
	CHECK("trash rollback: audit's index back", h_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'audit_msg_idx'") == 1);
	CHECK("trash rollback: trash empty", trash_tables(db) == 0);
	CHECK("trash rollback: ledger row marked, kept", ledger_rows(db) == 1 &&
		  h_int(db, "SELECT count(*) FROM premix_migrations WHERE rolled_back_at IS NOT NULL") == 1);
	CHECK("trash rollback: children kept, foreign keys on", h_int(db, "SELECT count(*) FROM posts") == 2 &&
		  h_int(db, "PRAGMA foreign_keys") == 1 && sqlite3_get_autocommit(db) == 1);
	CHECK("trash rollback: nothing left to roll back",
		  h_int(db, "SELECT json_array_length(premix_rollback(), '$.rolled_back')") == 0);

	/* again, then the purge */
	r = q4(db, &err, NULL, "SELECT premix_migrate(?1, 1)", T_DROP_EMAIL_AUDIT, NULL, NULL, NULL);
	CHECK("purge: migrated again", r && !err && trash_tables(db) == 2);
	free(r);
	free(err);
	free(migrated);
	migrated = dump(db);
	r = h_text(db, "SELECT premix_purge()", &err);
	after = dump(db);
	CHECK("purge without allow_destructive: 55000 naming tables and rows",
		  !r && has_state(err, "55000") && strstr(err, "2 trash tables holding 5 rows"));
	if (!has_state(err, "55000"))
		printf("    got: %s\n", err ? err : r);
	CHECK("purge refused: nothing changed", same_str(migrated, after) && sqlite3_get_autocommit(db) == 1);
	free(r);
	free(err);
	free(after);
	r = h_text(db, "SELECT premix_purge('20000101000000', 1)", &err);
	after = dump(db);
	CHECK("purge older than 2000: nothing purged", r && !err && jis(db, r, "$.purged", "[]") &&
		  jis(db, r, "$.rows", "0") && same_str(migrated, after));
	free(r);
	free(err);
	free(after);
	r = h_text(db, "SELECT premix_purge(NULL, 1)", &err);
	CHECK("purge: both trash tables, 5 rows", r && !err && jis(db, r, "$.rows", "5") &&
		  jis(db, r, "$.purged", "[\"premix_trash_audit\",\"premix_trash_users__email\"]"));
	if (err)
		printf("    error: %s\n", err);
	CHECK("purge: trash empty", trash_tables(db) == 0);
	CHECK("purge: nothing else changed", h_int(db, "SELECT count(*) FROM users") == 3 && h_int(db, "SELECT count(*) FROM posts") == 2 &&
		  sqlite3_get_autocommit(db) == 1);
	free(r);
	free(err);
	free(migrated);
	migrated = dump(db);
	r = h_text(db, "SELECT premix_rollback()", &err);
	after = dump(db);
	CHECK("rollback after purge: refused (its down SQL reads the trash)", !r && is_premix_error(err) &&
		  strstr(err, "down SQL"));
	CHECK("rollback after purge: nothing changed", same_str(migrated, after) && sqlite3_get_autocommit(db) == 1 &&
		  h_int(db, "PRAGMA foreign_keys") == 1);
	free(r);
	free(err);
	free(after);
	r = h_text(db, "SELECT premix_purge(NULL, 1)", &err);
	CHECK("purge of an empty trash: nothing", r && !err && jis(db, r, "$.purged", "[]"));
	free(r);
	free(err);

	/* a trash table that no migration of this history put there is not purged */
	h_exec(db, "CREATE TABLE premix_trash_mine (x)", NULL);
	r = h_text(db, "SELECT premix_purge(NULL, 1)", &err);
	CHECK("purge: a premix_trash_ table of the user's is kept", r && !err && jis(db, r, "$.purged", "[]") &&
		  h_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'premix_trash_mine'") == 1);
	free(r);
	free(err);
	free(migrated);
	free(plan);
	free(schema0);
	free(users0);
	free(audit0);
	sqlite3_close(db);
}

/* premix_status: empty, in sync, drift after a manual ALTER, explained, undone. */
static void
test_status(void)
{
	sqlite3    *db = fresh();
	char	   *r,
			   *err;

	r = h_text(db, "SELECT premix_status()", &err);
	CHECK("status, no ledger: empty, no drift", r && !err && jis(db, r, "$.migrations", "[]") &&
		  jis(db, r, "$.drift", "0") && jis(db, r, "$.expected", NULL));
	CHECK("status, no ledger: creates none", h_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'premix_migrations'") == 0);
	free(r);
	free(err);
	free(run(db, "20260101000100", "add_phone", "ALTER TABLE users ADD COLUMN phone TEXT;",
			 "ALTER TABLE users DROP COLUMN phone;", 0, &err));
	free(err);
	r = h_text(db, "SELECT premix_status()", &err);
	CHECK("status: one migration, no drift", r && !err && jis(db, r, "$.migrations[0].version", "20260101000100") &&
		  jis(db, r, "$.migrations[0].kind", "run") && jis(db, r, "$.migrations[1]", NULL) &&
		  jis(db, r, "$.drift", "0") && jis(db, r, "$.explain", NULL));
	{
		char	   *e = jget(db, r, "$.expected"),
				   *a = jget(db, r, "$.actual");

		CHECK("status: expected = actual", e && same_str(e, a));
		free(e);
		free(a);
	}
	free(r);
	free(err);

	h_exec(db, "ALTER TABLE users ADD COLUMN zz TEXT", NULL);
	r = h_text(db, "SELECT premix_status()", &err);
	CHECK("status after a manual ALTER: drift", r && !err && jis(db, r, "$.drift", "1"));
	{
		char	   *e = jget(db, r, "$.expected"),
				   *a = jget(db, r, "$.actual");

		CHECK("status after a manual ALTER: expected != actual", e && a && !same_str(e, a));
		free(e);
		free(a);
	}
	CHECK("status after a manual ALTER: explain names the column", jhas(db, r, "$.explain", "zz") &&
		  jhas(db, r, "$.explain", "20260101000100"));
	free(r);
	free(err);
	h_exec(db, "ALTER TABLE users DROP COLUMN zz", NULL);
	r = h_text(db, "SELECT premix_status()", &err);
	CHECK("status after undoing it: no drift", r && !err && jis(db, r, "$.drift", "0"));
	free(r);
	free(err);

	/* a rollback: drift compares with the schema before the first migration */
	free(h_text(db, "SELECT premix_rollback()", NULL));
	r = h_text(db, "SELECT premix_status()", &err);
	CHECK("status after rolling back all: no drift, marked rolled back", r && !err && jis(db, r, "$.drift", "0") &&
		  jhas(db, r, "$.migrations[0].rolled_back_at", "T"));
	free(r);
	free(err);
	h_exec(db, "CREATE TABLE manual (x)", NULL);
	r = h_text(db, "SELECT premix_status()", &err);
	CHECK("status, all rolled back, manual table: drift", r && !err && jis(db, r, "$.drift", "1"));
	free(r);
	free(err);
	CHECK("status: autocommit", sqlite3_get_autocommit(db) == 1);
	sqlite3_close(db);
}

/* premix_script of a plan: its up through premix_run, its down through premix_rollback. */
static void
test_script(void)
{
	sqlite3    *db = fresh();
	char	   *plan,
			   *script,
			   *up,
			   *down,
			   *r,
			   *err,
			   *schema0,
			   *users0;
	static const char target[] =
		"{\"tables\":[{\"name\":\"users\",\"columns\":[{\"name\":\"id\",\"type\":\"integer\"},"
		"{\"name\":\"username\",\"type\":\"text\",\"renamed_from\":\"name\"},{\"name\":\"legacy\",\"type\":\"text\"},"
		"{\"name\":\"email\",\"type\":\"text\"},{\"name\":\"active\",\"type\":\"integer\"}],"
		"\"primary_key\":{\"columns\":[\"id\"]},\"indexes\":[{\"name\":\"users_username_idx\",\"columns\":[\"username\"]}]}]}";

	schema0 = h_text(db, "SELECT premix_schema()", NULL);
	users0 = rows_of(db, "users");
	plan = q4(db, &err, NULL, "SELECT premix_diff(?1, '{\"scope\":\"listed\"}')", target, NULL, NULL, NULL);
	free(err);
	script = q4(db, &err, NULL, "SELECT premix_script(?1)", plan, NULL, NULL, NULL);
	CHECK("script: made", script && !err && jis(db, script, "$.steps", "3") && jis(db, script, "$.blocked", "0"));
	if (err)
		printf("    error: %s\n", err);
	free(err);
	up = jget(db, script, "$.up");
	down = jget(db, script, "$.down");
	CHECK("script: up and down name the steps", up && down && strstr(up, "users_username_idx") && strstr(down, "users_username_idx"));
	r = run(db, "20260101001000", "script_plan", up, down, 0, &err);
	CHECK("script: up runs through premix_run", r && !err && jis(db, r, "$.applied", "1"));
	if (err)
		printf("    error: %s\n", err);
	free(r);
	free(err);
	r = q4(db, &err, NULL, "SELECT json_array_length(premix_diff(?1, '{\"scope\":\"listed\"}'), '$.steps')", target, NULL, NULL, NULL);
	CHECK("script: target reached", same_str(r, "0"));
	free(r);
	free(err);
	r = h_text(db, "SELECT premix_rollback()", &err);
	CHECK("script: down runs through premix_rollback", r && !err && jis(db, r, "$.rolled_back[0].name", "script_plan"));
	free(r);
	free(err);
	r = h_text(db, "SELECT premix_schema()", NULL);
	CHECK("script: schema back exactly", same_str(r, schema0));
	free(r);
	r = rows_of(db, "users");
	CHECK("script: rows back exactly", same_str(r, users0));
	free(r);
	free(plan);
	free(script);
	free(up);
	free(down);

	/* a blocked plan has no script */
	plan = q4(db, &err, NULL, "SELECT premix_diff(?1, '{\"scope\":\"listed\"}')",
			  "{\"tables\":[{\"name\":\"users\",\"columns\":[{\"name\":\"id\",\"type\":\"integer\"},"
			  "{\"name\":\"name\",\"type\":\"text\",\"nullable\":false},{\"name\":\"legacy\",\"type\":\"text\"},"
			  "{\"name\":\"email\",\"type\":\"text\"}],\"primary_key\":{\"columns\":[\"id\"]}}]}", NULL, NULL, NULL);
	free(err);
	script = q4(db, &err, NULL, "SELECT premix_script(?1)", plan, NULL, NULL, NULL);
	CHECK("script of a blocked plan: refused", !script && is_premix_error(err));
	free(script);
	free(err);
	free(plan);
	free(schema0);
	free(users0);
	sqlite3_close(db);
}

/* Every function's error paths: premix errors, nothing changed. */
static void
test_error_paths(void)
{
	sqlite3    *db = fresh();
	char	   *before,
			   *after;
	static const char *const must_fail[] = {
		/* premix_run */
		"SELECT premix_run(NULL, 'n', 'CREATE TABLE a (x)')",
		"SELECT premix_run('abc', 'n', 'CREATE TABLE a (x)')",
		"SELECT premix_run('', 'n', 'CREATE TABLE a (x)')",
		"SELECT premix_run('-1', 'n', 'CREATE TABLE a (x)')",
		"SELECT premix_run('123456789012345678901234567890123', 'n', 'CREATE TABLE a (x)')",
		"SELECT premix_run(20260101, 'n', 'CREATE TABLE a (x)', NULL, 'maybe')",
		"SELECT premix_run('20260101', NULL, 'CREATE TABLE a (x)')",
		"SELECT premix_run('20260101', '', 'CREATE TABLE a (x)')",
		"SELECT premix_run('20260101', 'n', NULL)",
		"SELECT premix_run('20260101', 'n', '')",
		"SELECT premix_run('20260101', 'n', '  -- only a comment\n/* and another */ ')",
		"SELECT premix_run('20260101', 'n', ';;;')",
		"SELECT premix_run('20260101', 'n', 'BEGIN; CREATE TABLE a (x); COMMIT;')",
		"SELECT premix_run('20260101', 'n', 'CREATE TABLE a (x); SAVEPOINT s; RELEASE s;')",
		"SELECT premix_run('20260101', 'n', 'CREATE TABLE a (x);' || char(10) || '-- premix:after-commit' || char(10) || 'CREATE INDEX a_x ON a (x);')",
		"SELECT premix_run('20260101', 'n', 'CREATE TABLE a (x);', NULL, 0, '{')",
		"SELECT premix_run('20260101', 'n', 'CREATE TABLE a (x);', NULL, 0, '{\"nope\": 1}')",
		"SELECT premix_run('20260101', 'n', 'CREATE TABLE a (x);', NULL, 0, '{\"out_of_order\": \"yes\"}')",
		"SELECT premix_run('20260101', 'n', 'CREATE TABLE a (x')",
		"SELECT premix_run('20260101', 'n', 'CREATE TABLE users (x)')",
		"SELECT premix_run('20260101', 'n', 'DROP TABLE audit')",
		"SELECT premix_run('20260101', 'n', 'SELECT nosuchfunction()')",
		"SELECT premix_run('20260101', 'n', 'INSERT INTO users (id) VALUES (1)')",
		/* premix_rollback */
		"SELECT premix_rollback('20991231000000')",
		/* premix_purge */
		"SELECT premix_purge('bad')",
		"SELECT premix_purge('2026')",
		"SELECT premix_purge(NULL, 'maybe')",
		/* premix_script */
		"SELECT premix_script(NULL)",
		"SELECT premix_script('')",
		"SELECT premix_script('{')",
		"SELECT premix_script(42)",
		"SELECT premix_script('{\"tables\":[]}')",
		"SELECT premix_script('{\"format\":1,\"dialect\":\"sqlite\",\"steps\":5}')",
		"SELECT premix_script(x'00')",
		NULL
	};
	static const char *const wrong_arity[] = {
		"SELECT premix_run()",
		"SELECT premix_run('1', 'a')",
		"SELECT premix_run('1', 'a', 'b', 'c', 0, '{}', 7)",
		"SELECT premix_rollback('1', '2')",
		"SELECT premix_status(1)",
		"SELECT premix_purge(NULL, 1, 2)",
		"SELECT premix_script()",
		"SELECT premix_script('a', 'b')",
		NULL
	};

	before = dump(db);
	for (int i = 0; must_fail[i]; i++)
	{
		char		name[400];
		int			rc;
		char	   *err;
		char	   *r = q4(db, &err, &rc, must_fail[i], NULL, NULL, NULL, NULL);

		snprintf(name, sizeof(name), "error path: %s", must_fail[i]);
		CHECK(name, !r && is_premix_error(err) && rc == SQLITE_ERROR);
		if (!is_premix_error(err))
			printf("    got: %s\n", err ? err : r ? r : "(no error)");
		free(r);
		free(err);
	}
	for (int i = 0; wrong_arity[i]; i++)
	{
		char		name[300];
		char	   *err;
		char	   *r = q4(db, &err, NULL, wrong_arity[i], NULL, NULL, NULL, NULL);

		snprintf(name, sizeof(name), "wrong arity refused by SQLite: %s", wrong_arity[i]);
		CHECK(name, !r && err && strstr(err, "wrong number of arguments"));
		free(r);
		free(err);
	}
	after = dump(db);
	CHECK("error paths: nothing changed (no ledger either)", same_str(before, after));
	CHECK("error paths: autocommit", sqlite3_get_autocommit(db) == 1);
	free(after);

	/* an embedded NUL in the up SQL: refused, not cut short */
	{
		static const char up[] = "ALTER TABLE users ADD COLUMN a TEXT;\0DROP TABLE audit;";
		sqlite3_stmt *st = NULL;

		sqlite3_prepare_v2(db, "SELECT premix_run('20260101', 'nul', ?1)", -1, &st, NULL);
		sqlite3_bind_text(st, 1, up, (int) sizeof(up) - 1, SQLITE_STATIC);
		CHECK("embedded NUL in up_sql: refused", sqlite3_step(st) == SQLITE_ERROR && is_premix_error(sqlite3_errmsg(db)));
		sqlite3_finalize(st);
	}

	/* from a statement that is reading (another statement busy): refused */
	{
		sqlite3_stmt *st = NULL;
		char	   *err;
		char	   *r;

		sqlite3_prepare_v2(db, "SELECT id FROM users ORDER BY id", -1, &st, NULL);
		sqlite3_step(st);
		r = run(db, "20260101000100", "busy", "ALTER TABLE users ADD COLUMN a TEXT;", NULL, 0, &err);
		CHECK("premix_run while another statement runs: refused", !r && has_state(err, "25000"));
		free(r);
		free(err);
		r = h_text(db, "SELECT premix_rollback()", &err);
		CHECK("premix_rollback while another statement runs: refused", !r && has_state(err, "25000"));
		free(r);
		free(err);
		r = h_text(db, "SELECT premix_purge(NULL, 1)", &err);
		CHECK("premix_purge while another statement runs: refused", !r && has_state(err, "25000"));
		free(r);
		free(err);
		r = h_text(db, "SELECT json_extract(premix_status(), '$.drift')", &err);
		CHECK("premix_status while another statement runs: works", same_str(r, "0") && !err);
		free(r);
		free(err);
		sqlite3_finalize(st);
	}

	/* from a trigger: SQLITE_DIRECTONLY */
	{
		char	   *err = NULL;

		h_exec(db, "CREATE TABLE t_trg (v TEXT); CREATE TRIGGER trg_run AFTER INSERT ON t_trg BEGIN "
			   "SELECT premix_run('20260101', 'trg', new.v); END", NULL);
		h_exec(db, "INSERT INTO t_trg VALUES ('CREATE TABLE a (x)')", &err);
		CHECK("premix_run from a trigger is refused", err && strstr(err, "unsafe use of premix_run"));
		sqlite3_free(err);
		h_exec(db, "DROP TABLE t_trg", NULL);
	}
	after = dump(db);
	CHECK("error paths: still nothing changed", same_str(before, after));
	free(after);
	free(before);
	sqlite3_close(db);
}

int
main(void)
{
	const char *tmp = getenv("TMPDIR");
	sqlite3    *anchor;

	snprintf(dbpath, sizeof(dbpath), "%s/premix_test_history_%d.db", tmp ? tmp : "/tmp", (int) getpid());
	/* keeps the extension loaded while connections come and go */
	anchor = h_open(":memory:");
	test_run_once();
	test_drop_column();
	test_blocked_script();
	test_in_transaction();
	test_trash_rollback_purge();
	test_status();
	test_script();
	test_error_paths();
	sqlite3_close(anchor);
	remove_file_db(dbpath);
	return h_done();
}
