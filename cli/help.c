/*-------------------------------------------------------------------------
 *
 * help.c
 *	  man-style help: `premix --help` and `premix CMD --help`.
 *
 * IDENTIFICATION
 *	  cli/help.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

#define EXIT_STATUS \
"EXIT STATUS\n" \
"    0  success (also: nothing to do)\n" \
"    1  error: bad arguments, a file or the database could not be read,\n" \
"       an applied migration was edited, a migration failed\n" \
"    2  refused: a destructive step without --allow-destructive (SQLSTATE\n" \
"       55000), or a step blocked by the rows that are there (23502 not null,\n" \
"       23505 unique, 23503 foreign key, 23514 check, 2BP01 dependent view)\n" \
"    3  drift (status): the schema is not what the ledger recorded;\n" \
"       parity: the two schemas differ\n"

#define DB_OPTION \
"    --db URL\n" \
"        postgres://user@host/db, postgresql://..., any libpq connection\n" \
"        string (\"host=/tmp dbname=app\"), or sqlite:PATH (sqlite:app.db,\n" \
"        sqlite:///var/lib/app.db).  Default: $PREMIX_DB.  PostgreSQL needs\n" \
"        CREATE EXTENSION premix; SQLite loads the extension from\n" \
"        $PREMIX_SQLITE_EXT, else \"premix\" from the system library path.\n"

#define DIR_OPTION \
"    --dir DIR\n" \
"        the migration directory (default: migrations)\n"

typedef struct HelpPage
{
	const char *cmd;
	const char *text;
} HelpPage;

static const HelpPage pages[] = {
	{NULL,
		"NAME\n"
		"    premix - schema migrations, planned and applied inside the database\n"
		"\n"
		"SYNOPSIS\n"
		"    premix new NAME --db URL --target FILE [--dir DIR] [--stamp VERSION]\n"
		"    premix up      --db URL [--dir DIR] [--allow-destructive] [--dry-run]\n"
		"                   [--allow-out-of-order]\n"
		"    premix down    --db URL [--to VERSION] [--dry-run]\n"
		"    premix status  --db URL [--dir DIR]\n"
		"    premix diff    --db URL --target FILE\n"
		"    premix preview --db URL --target FILE\n"
		"    premix parity  --db URL --db2 URL\n"
		"    premix [CMD] --help | --version\n"
		"\n"
		"DESCRIPTION\n"
		"    premix keeps migrations as files, VERSION_NAME.up.sql and\n"
		"    VERSION_NAME.down.sql (VERSION: the UTC time YYYYMMDDHHMMSS), and\n"
		"    leaves every decision to the premix functions of the database:\n"
		"    premix_diff and premix_script write new files, premix_run applies a\n"
		"    file once (recorded with its SHA-256 in the ledger; an applied file\n"
		"    that was edited is refused), premix_rollback runs the recorded down\n"
		"    SQL, premix_status reads the ledger and checks for drift.\n"
		"\n"
		"    new      write a migration from the difference between the database\n"
		"             and a target schema (JSON or CREATE TABLE statements)\n"
		"    up       apply the directory's migrations not applied yet, in order\n"
		"    down     roll back the newest migration, or --to VERSION and after\n"
		"    status   the ledger, pending files, drift\n"
		"    diff     the plan for a target, as JSON\n"
		"    preview  the plan for a target, as text\n"
		"    parity   compare the schemas of two databases, of any dialects\n"
		"\n"
		"    `premix CMD --help` describes each command.\n"
		"\n"
		"OPTIONS\n"
		DB_OPTION
		DIR_OPTION
		"    --help     this page, or the command's\n"
		"    --version  the version of this command\n"
		"\n"
		EXIT_STATUS
		"\n"
		"EXAMPLES\n"
		"    premix new create_users --db sqlite:app.db --target schema.json\n"
		"    premix up --db sqlite:app.db --dry-run\n"
		"    premix up --db postgres://app@localhost/app\n"
		"    premix status --db postgres://app@localhost/app\n"
		"    premix down --db sqlite:app.db\n"},
	{"new",
		"NAME\n"
		"    premix new - write the next migration from a target schema\n"
		"\n"
		"SYNOPSIS\n"
		"    premix new NAME --db URL --target FILE [--dir DIR] [--stamp VERSION]\n"
		"\n"
		"DESCRIPTION\n"
		"    Plans the target against the database (premix_diff), turns the plan\n"
		"    into migration text (premix_script) and writes\n"
		"    DIR/VERSION_NAME.up.sql and DIR/VERSION_NAME.down.sql, VERSION being\n"
		"    the current UTC time YYYYMMDDHHMMSS.  The directory is created when\n"
		"    missing.  An existing file is never overwritten, and a version already\n"
		"    in the directory is refused.  When the database already matches the\n"
		"    target, prints \"nothing to do\" and writes nothing.  Steps the down\n"
		"    file cannot undo (a drop: the data is gone) are reported.\n"
		"\n"
		"    NAME is lower-case letters, digits and underscores ([a-z0-9_]+).\n"
		"    A SQLite file that does not exist yet is read as an empty database\n"
		"    (nothing is created).  Files of DIR not applied to the database\n"
		"    yet are reported: the new migration would repeat their changes.\n"
		"\n"
		"OPTIONS\n"
		DB_OPTION
		"    --target FILE\n"
		"        the schema you want: target JSON, or CREATE TABLE / CREATE INDEX\n"
		"        statements\n"
		DIR_OPTION
		"    --stamp VERSION\n"
		"        use VERSION (14+ digits) instead of the current UTC time\n"
		"\n"
		EXIT_STATUS
		"\n"
		"EXAMPLES\n"
		"    premix new add_users --db sqlite:app.db --target schema.json\n"
		"    premix new add_orders --db postgres:///app --target schema.sql --dir db/migrations\n"},
	{"up",
		"NAME\n"
		"    premix up - apply the migrations not applied yet\n"
		"\n"
		"SYNOPSIS\n"
		"    premix up --db URL [--dir DIR] [--allow-destructive] [--dry-run]\n"
		"              [--allow-out-of-order]\n"
		"\n"
		"DESCRIPTION\n"
		"    Lists DIR/*.up.sql in version order and calls, for each,\n"
		"    premix_run(version, name, up SQL, down SQL or NULL, allow_destructive,\n"
		"    options).  A migration already applied with the same checksum is\n"
		"    skipped by the database; one that was edited after it was applied is\n"
		"    an error naming both checksums.  Each migration commits on its own;\n"
		"    up stops at the first failure, and the migrations before it stay\n"
		"    applied.  A file not named VERSION_NAME.up.sql is an error.\n"
		"\n"
		"    PostgreSQL: statements after a line \"-- premix:after-commit\" of an up\n"
		"    file (e.g. CREATE INDEX CONCURRENTLY) run after the migration's\n"
		"    transaction has committed, one by one, outside any transaction; the\n"
		"    ledger then records the completion.  If one fails, the ledger keeps\n"
		"    the after-commit part pending: run the statements not done yet by\n"
		"    hand, then `premix up` again records the completion.\n"
		"\n"
		"OPTIONS\n"
		DB_OPTION
		DIR_OPTION
		"    --allow-destructive\n"
		"        let steps that can lose data run (drop table, drop column, ...)\n"
		"    --dry-run\n"
		"        BEGIN, every migration, ROLLBACK: prints what would be applied,\n"
		"        each step's class, after-commit statements (\"would run after\n"
		"        commit\") and any refusal; leaves nothing behind\n"
		"    --allow-out-of-order\n"
		"        apply a migration older than the newest applied one (options\n"
		"        {\"out_of_order\": true}); refused otherwise\n"
		"\n"
		EXIT_STATUS
		"\n"
		"EXAMPLES\n"
		"    premix up --db sqlite:app.db --dry-run\n"
		"    premix up --db postgres://app@db/app --allow-destructive\n"},
	{"down",
		"NAME\n"
		"    premix down - roll back applied migrations\n"
		"\n"
		"SYNOPSIS\n"
		"    premix down --db URL [--to VERSION] [--dry-run]\n"
		"\n"
		"DESCRIPTION\n"
		"    Runs the down SQL recorded in the ledger (premix_rollback): of the\n"
		"    newest applied migration, or with --to of VERSION and every\n"
		"    migration applied after it, newest first, in one transaction.  A\n"
		"    migration without down SQL is an error and nothing is rolled back.\n"
		"    The files are not read: the ledger holds the SQL that was applied.\n"
		"\n"
		"OPTIONS\n"
		DB_OPTION
		"    --to VERSION\n"
		"        roll back VERSION and everything applied after it\n"
		"    --dry-run\n"
		"        BEGIN, rollback, ROLLBACK: prints what would be rolled back\n"
		"\n"
		EXIT_STATUS
		"\n"
		"EXAMPLES\n"
		"    premix down --db sqlite:app.db\n"
		"    premix down --db postgres:///app --to 20260101120000 --dry-run\n"},
	{"status",
		"NAME\n"
		"    premix status - the ledger, pending files and drift\n"
		"\n"
		"SYNOPSIS\n"
		"    premix status --db URL [--dir DIR]\n"
		"\n"
		"DESCRIPTION\n"
		"    Prints the ledger (premix_status) as a table: version, name, kind,\n"
		"    applied_at, rolled_back_at and a summary of each migration's steps by\n"
		"    safety class; then the files of DIR not applied yet (pending); then\n"
		"    drift: whether the schema is still what the last migration left\n"
		"    (a change made by hand, outside premix, is drift).\n"
		"\n"
		"OPTIONS\n"
		DB_OPTION
		DIR_OPTION
		"\n"
		EXIT_STATUS
		"\n"
		"EXAMPLES\n"
		"    premix status --db sqlite:app.db || echo \"drift or error: $?\"\n"},
	{"diff",
		"NAME\n"
		"    premix diff - the plan for a target, as JSON\n"
		"\n"
		"SYNOPSIS\n"
		"    premix diff --db URL --target FILE\n"
		"\n"
		"DESCRIPTION\n"
		"    Prints premix_diff(target): every step with its SQL, down SQL,\n"
		"    safety class and reason.  Changes nothing.\n"
		"\n"
		"OPTIONS\n"
		DB_OPTION
		"    --target FILE\n"
		"        target JSON, or CREATE TABLE / CREATE INDEX statements\n"
		"\n"
		EXIT_STATUS
		"\n"
		"EXAMPLES\n"
		"    premix diff --db sqlite:app.db --target schema.json > plan.json\n"},
	{"preview",
		"NAME\n"
		"    premix preview - the plan for a target, as text\n"
		"\n"
		"SYNOPSIS\n"
		"    premix preview --db URL --target FILE\n"
		"\n"
		"DESCRIPTION\n"
		"    Prints premix_preview(target): one line per step with its class,\n"
		"    then its SQL (destructive and blocked SQL commented out).  Changes\n"
		"    nothing.\n"
		"\n"
		"OPTIONS\n"
		DB_OPTION
		"    --target FILE\n"
		"        target JSON, or CREATE TABLE / CREATE INDEX statements\n"
		"\n"
		EXIT_STATUS
		"\n"
		"EXAMPLES\n"
		"    premix preview --db postgres:///app --target schema.json\n"},
	{"parity",
		"NAME\n"
		"    premix parity - do two databases hold the same schema?\n"
		"\n"
		"SYNOPSIS\n"
		"    premix parity --db URL --db2 URL\n"
		"\n"
		"DESCRIPTION\n"
		"    Reads premix_schema() from both databases (A: --db, B: --db2), which\n"
		"    may be of different dialects (a SQLite file and a PostgreSQL\n"
		"    database), and compares them with premix_parity(a, b) under the\n"
		"    portable type mapping: tables, columns (type family and limits,\n"
		"    nullability, default, identity), primary keys, UNIQUE constraints,\n"
		"    foreign keys with their actions, and indexes by definition.  Names\n"
		"    of constraints and indexes, CHECK constraints, collations and\n"
		"    comments are not compared.  premix_parity runs on a SQLite side when\n"
		"    there is one, else on the other side, else in a private in-memory\n"
		"    SQLite database.  Changes nothing.\n"
		"\n"
		"    Each mismatch is printed as its path (table.column.what, or\n"
		"    table.key definition), the reason, and what each side has.\n"
		"\n"
		"OPTIONS\n"
		DB_OPTION
		"    --db2 URL\n"
		"        the second database, in the same forms as --db (no default)\n"
		"\n"
		EXIT_STATUS
		"\n"
		"EXAMPLES\n"
		"    premix parity --db sqlite:app.db --db2 postgres://app@localhost/app\n"
		"    premix parity --db postgres:///staging --db2 postgres:///production || echo \"differ: $?\"\n"},
};

/* true when cmd names a command */
bool
px_known_command(const char *cmd)
{
	for (size_t i = 1; i < sizeof(pages) / sizeof(pages[0]); i++)
		if (strcmp(pages[i].cmd, cmd) == 0)
			return true;
	return false;
}

/* prints the help page of cmd (NULL: the overview) on stdout; returns 0 */
int
px_help(const char *cmd)
{
	for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++)
		if ((cmd == NULL && pages[i].cmd == NULL) ||
			(cmd && pages[i].cmd && strcmp(pages[i].cmd, cmd) == 0))
		{
			fputs(pages[i].text, stdout);
			return PX_EXIT_OK;
		}
	return px_help(NULL);
}

/* the line after a usage error: where to read more */
void
px_usage_hint(const char *cmd)
{
	fprintf(stderr, "Try \"premix %s%s--help\".\n", cmd ? cmd : "", cmd ? " " : "");
}
