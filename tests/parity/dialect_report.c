/*-------------------------------------------------------------------------
 *
 * dialect_report.c
 *	  The "Dialect report" of README.md, printed from the core's own type
 *	  table: for each portable type of shared/pmx_types.c (its portable[]
 *	  table, read here by including that file), the SQLite spelling
 *	  (pmx_sqlite_type_render: declared type and marker CHECK), the
 *	  PostgreSQL spelling (pmx_pg_type_render) and the MySQL/MariaDB
 *	  spelling (pmx_mysql_type_render), with notes where a dialect cannot
 *	  keep the promise the others keep; then what each dialect does with
 *	  the features that are not types (features[]).
 *
 *	  make dialect-report     (prints the Markdown table)
 *
 * tests/parity/run.sh checks that README.md holds exactly this output
 * between its dialect-report markers.  Another dialect is one more entry
 * in dialects[] (its render function) and its notes in notes[].
 *
 * IDENTIFICATION
 *	  tests/parity/dialect_report.c
 *
 *-------------------------------------------------------------------------
 */
#include "pmx_types.c"			/* the portable[] table and its functions */

#include <stdio.h>
#include <stdlib.h>

/* parameters shown as letters: rendered with these, then replaced */
#define PARAM_N "4711"
#define PARAM_S "13"

static void *
rep_alloc(void *ud, size_t n)
{
	(void) ud;
	return malloc(n);
}

static void
rep_free(void *ud, void *p)
{
	(void) ud;
	free(p);
}

/* s with every PARAM_N as "n" (or "p" for numeric) and PARAM_S as "s" */
static char *
letters(PmxCtx *ctx, const char *s, bool numeric)
{
	PmxBuf		b;

	pmx_buf_init(&b, ctx);
	while (*s)
	{
		if (strncmp(s, PARAM_N, strlen(PARAM_N)) == 0)
		{
			pmx_buf_putc(&b, numeric ? 'p' : 'n');
			s += strlen(PARAM_N);
		}
		else if (numeric && strncmp(s, PARAM_S, strlen(PARAM_S)) == 0)
		{
			pmx_buf_putc(&b, 's');
			s += strlen(PARAM_S);
		}
		else
			pmx_buf_putc(&b, *s++);
	}
	return pmx_buf_finish(&b);
}

/* the SQLite cell: declared type, then the marker CHECK when there is one */
static char *
sqlite_cell(PmxCtx *ctx, const char *type)
{
	const char *decl;
	char	   *marker;

	if (pmx_sqlite_type_render(ctx, type, false, "c", false, &decl, &marker) != PMX_OK)
		return NULL;
	return marker ? pmx_sprintf(ctx, "%s CHECK (%s)", decl, marker) : pmx_strdup(ctx, decl);
}

/* the PostgreSQL cell */
static char *
pg_cell(PmxCtx *ctx, const char *type)
{
	return pmx_pg_type_render(ctx, type);
}

/* the dialects, in column order */
static const struct
{
	const char *name;
	char	   *(*render) (PmxCtx *ctx, const char *type);
}			dialects[] = {
	{"SQLite", sqlite_cell},
	{"PostgreSQL", pg_cell},
	{"MySQL/MariaDB", pmx_mysql_type_render},
};

#define NDIALECTS (sizeof(dialects) / sizeof(dialects[0]))

/* where a dialect cannot keep the promise the others keep */
static const struct
{
	PmxTypeKind kind;
	const char *note;
}			notes[] = {
	{PMX_T_SMALLINT, "SQLite: every integer is 64-bit, the width is not enforced"},
	{PMX_T_INTEGER, "SQLite: every integer is 64-bit, the width is not enforced"},
	{PMX_T_BIGINT, "SQLite: every integer is 64-bit, the width is not enforced"},
	{PMX_T_BOOLEAN, "SQLite: 0 and 1, kept by the CHECK; a default true/false is 1/0"},
	{PMX_T_REAL, "SQLite: every float is 64-bit, the width is not enforced"},
	{PMX_T_NUMERIC, "SQLite: precision and scale are not enforced (NUMERIC affinity: an integer or a 64-bit float)"},
	{PMX_T_VARCHAR, "SQLite: the length limit is a CHECK counting characters"},
	{PMX_T_CHAR, "SQLite: neither padded nor limited to n"},
	{PMX_T_DATE, "SQLite: ISO-8601 text, the format is not checked"},
	{PMX_T_TIME, "SQLite: ISO-8601 text, the format is not checked"},
	{PMX_T_TIMESTAMP, "SQLite: ISO-8601 text, the format is not checked"},
	{PMX_T_TIMESTAMPTZ, "SQLite: no time zones: ISO-8601 text (write UTC), reported back as text; premix warns"},
	{PMX_T_UUID, "SQLite: the CHECK keeps the length, not the format"},
	{PMX_T_JSON, "SQLite: text kept valid by the CHECK"},
	{PMX_T_JSONB, "SQLite: text kept valid by the CHECK, no binary form; reported back as json"},
	{PMX_T_BOOLEAN, "MySQL/MariaDB: TINYINT(1) holds -128 to 127, not only 0 and 1"},
	{PMX_T_NUMERIC, "MySQL/MariaDB: no unbounded decimal; numeric without (p,s) is DECIMAL(65,30)"},
	{PMX_T_TEXT, "MySQL/MariaDB: indexed only with a prefix length (use varchar(n) in keys)"},
	{PMX_T_BYTES, "MySQL/MariaDB: indexed only with a prefix length"},
	{PMX_T_TIMESTAMP, "MySQL/MariaDB: DATETIME of any precision reads back as timestamp"},
	{PMX_T_TIMESTAMPTZ, "MySQL/MariaDB: stored in UTC, shown in the session's time zone, 1970 to 2038 only"},
	{PMX_T_UUID, "MariaDB: 10.7 and later; MySQL has no UUID type"},
	{PMX_T_JSON, "MariaDB: LONGTEXT kept valid by a CHECK (json_valid)"},
	{PMX_T_JSONB, "MariaDB: LONGTEXT kept valid by a CHECK (json_valid), no binary form; reported back as json"},
};

/*
 * What each host does with what is not a column type.  These are facts of
 * the hosts (their planners and README sections), written once, here; the
 * README holds this program's output.
 */
static const struct
{
	const char *feature;
	const char *by_dialect[3];	/* in dialects[] order */
}			features[] = {
	{"DDL in a transaction",
	 {"yes: premix_migrate is all or nothing",
	  "yes: premix_migrate runs in the caller's transaction",
	  "no: every DDL statement commits on its own; the plan warns, premix_migrate records each step, a failure is resumed or rolled back step by step"}},
	{"enums",
	 {"none: \"enums\" refused (a text column with a CHECK)",
	  "CREATE TYPE ... AS ENUM (\"enums\"); labels added in place, sorted in declaration order",
	  "a column type enum('a', 'b'), \"enums\" refused; labels appended at the end instantly, sorted in declaration order, removing one is a narrowing"}},
	{"collations",
	 {"per column (BINARY, NOCASE, RTRIM)",
	  "per column, any collation the server has",
	  "per column and per table; premix_schema lists a column's only where it differs from its table's"}},
	{"varchar(n) length",
	 {"n characters, kept by a CHECK",
	  "n characters",
	  "n characters; the row limit (65,535 bytes) and the instant-widening rule count bytes by character set (utf8mb4: up to 4 a character)"}},
	{"indexes",
	 {"columns, expressions, partial",
	  "columns, expressions, partial, INCLUDE, any method",
	  "columns and prefixes (\"title(50)\"); expression, partial and INCLUDE refused"}},
	{"schema changes while others write",
	 {"one writer at a time: the migration holds the database's write lock",
	  "each step's lock level in the plan; lock_timeout bounds the wait",
	  "ALGORITHM=INSTANT / INPLACE with LOCK=NONE where premix promises it (the server refuses rather than copy), else a copy under LOCK=SHARED"}},
	{"rollback restores data",
	 {"yes: the trash keeps dropped tables and columns",
	  "yes: the trash keeps dropped tables and columns",
	  "structure only (no trash): take a dump before a destructive migration"}},
};

/* every note for kind, joined with "; ", or "" */
static const char *
note_of(PmxCtx *ctx, PmxTypeKind kind)
{
	const char *out = "";

	for (size_t i = 0; i < sizeof(notes) / sizeof(notes[0]); i++)
		if (notes[i].kind == kind)
			out = *out ? pmx_sprintf(ctx, "%s; %s", out, notes[i].note) : notes[i].note;
	return out;
}

/* a Markdown table cell: code, with | escaped */
static void
code_cell(const char *s)
{
	fputs(" `", stdout);
	for (; *s; s++)
		fputs(*s == '|' ? "\\|" : (char[2]) {*s, '\0'}, stdout);
	fputs("` |", stdout);
}

int
main(void)
{
	PmxAllocator a = {NULL, rep_alloc, rep_free};
	PmxCtx	   *ctx = pmx_ctx_new(&a);

	if (!ctx)
		return 1;
	printf("| portable |");
	for (size_t d = 0; d < NDIALECTS; d++)
		printf(" %s |", dialects[d].name);
	printf(" where a dialect cannot keep the promise |\n|---|");
	for (size_t d = 0; d < NDIALECTS; d++)
		printf("---|");
	printf("---|\n");
	for (size_t i = 0; i < NPORTABLE; i++)
	{
		bool		numeric = portable[i].params == 2;
		const char *type = portable[i].params == 1 ? pmx_sprintf(ctx, "%s(" PARAM_N ")", portable[i].name)
			: numeric ? pmx_sprintf(ctx, "%s(" PARAM_N "," PARAM_S ")", portable[i].name)
			: portable[i].name;

		/* the table and the parser agree, or the report is wrong */
		if (pmx_type_parse(type).kind != portable[i].kind)
		{
			fprintf(stderr, "dialect_report: %s does not parse as itself\n", type);
			return 1;
		}
		printf("|");
		code_cell(letters(ctx, type, numeric));
		for (size_t d = 0; d < NDIALECTS; d++)
		{
			char	   *cell = dialects[d].render(ctx, type);

			if (!cell)
			{
				fprintf(stderr, "dialect_report: %s cannot render %s\n", dialects[d].name, type);
				return 1;
			}
			code_cell(letters(ctx, cell, numeric));
		}
		printf(" %s |\n", note_of(ctx, portable[i].kind));
	}
	printf("\n| feature |");
	for (size_t d = 0; d < NDIALECTS; d++)
		printf(" %s |", dialects[d].name);
	printf("\n|---|");
	for (size_t d = 0; d < NDIALECTS; d++)
		printf("---|");
	printf("\n");
	for (size_t i = 0; i < sizeof(features) / sizeof(features[0]); i++)
	{
		printf("| %s |", features[i].feature);
		for (size_t d = 0; d < NDIALECTS; d++)
			printf(" %s |", features[i].by_dialect[d]);
		printf("\n");
	}
	pmx_ctx_free(ctx);
	return 0;
}
