/*-------------------------------------------------------------------------
 *
 * test_sqlite_ddl.c
 *	  Unit tests of shared/pmx_sqlite_ddl.c: the reader of the CREATE TABLE
 *	  and CREATE INDEX text SQLite keeps in sqlite_schema.
 *
 * Inputs are texts SQLite itself accepts (quoting of every kind, comments,
 * nested parentheses, named constraints, ...) plus truncated and garbage
 * texts, which must give NULL with an error -- never a crash or a read
 * past the end (the suite runs under ASan).
 *
 * IDENTIFICATION
 *	  tests/unit/test_sqlite_ddl.c
 *
 *-------------------------------------------------------------------------
 */
#include "pmx_test.h"

#include "pmx_sql.h"
#include "pmx_sqlite_ddl.h"

/* The canonical spelling of an expression (for comparing CHECK texts). */
static const char *
canon(PmxCtx *ctx, const char *s)
{
	const char *r = pmx_sql_canon_expr(ctx, s, "expected");

	return r ? r : "(canon failed)";
}

/* The n-th constraint of kind k in tab, or NULL. */
static const PmxDdlCons *
nth_cons(const PmxDdlTable *tab, PmxDdlConsKind k, int n)
{
	for (int i = 0; tab && i < tab->ncons; i++)
		if (tab->cons[i].kind == k && n-- == 0)
			return &tab->cons[i];
	return NULL;
}

/* True when a constraint lists exactly the given columns. */
static int
cols_are(char **cols, int ncols, const char *a, const char *b)
{
	int			want = b ? 2 : (a ? 1 : 0);

	return ncols == want && (!a || strcmp(cols[0], a) == 0) &&
		(!b || strcmp(cols[1], b) == 0);
}

/* True when parsing sql as a table fails with PMX_E_INVALID and a message. */
static int
table_rejected(const char *sql)
{
	PmxCtx	   *ctx = test_ctx();
	PmxDdlTable *t = pmx_sqlite_parse_table(ctx, sql);
	const PmxError *e = pmx_ctx_error(ctx);
	int			ok = t == NULL && e->code == PMX_E_INVALID && e->message && *e->message;

	if (!ok)
		printf("  (accepted or wrong error: %s)\n", sql);
	pmx_ctx_free(ctx);
	return ok;
}

/* True when parsing sql as an index fails with PMX_E_INVALID and a message. */
static int
index_rejected(const char *sql)
{
	PmxCtx	   *ctx = test_ctx();
	PmxDdlIndex *ix = pmx_sqlite_parse_index(ctx, sql);
	const PmxError *e = pmx_ctx_error(ctx);
	int			ok = ix == NULL && e->code == PMX_E_INVALID && e->message && *e->message;

	if (!ok)
		printf("  (accepted or wrong error: %s)\n", sql);
	pmx_ctx_free(ctx);
	return ok;
}

/* Table and column names in every quoting style SQLite accepts. */
TEST(table_quoted_names)
{
	PmxCtx	   *ctx = test_ctx();
	PmxDdlTable *t = pmx_sqlite_parse_table(ctx,
											"CREATE TABLE \"my \"\"table\"\"\" ([a b] INTEGER, `c``d` TEXT, \"e\" REAL,"
											" 'f' BLOB, g, \"select\" TEXT, naïve TEXT)");

	CHECK(t != NULL);
	if (!t)
	{
		pmx_ctx_free(ctx);
		return;
	}
	CHECK(strcmp(t->name, "my \"table\"") == 0);
	CHECK(t->ncols == 7);
	CHECK(t->ncols == 7 && strcmp(t->cols[0].name, "a b") == 0);
	CHECK(t->ncols == 7 && strcmp(t->cols[1].name, "c`d") == 0);
	CHECK(t->ncols == 7 && strcmp(t->cols[2].name, "e") == 0);
	CHECK(t->ncols == 7 && strcmp(t->cols[3].name, "f") == 0);
	CHECK(t->ncols == 7 && strcmp(t->cols[4].name, "g") == 0);
	CHECK(t->ncols == 7 && strcmp(t->cols[5].name, "select") == 0);
	CHECK(t->ncols == 7 && strcmp(t->cols[6].name, "naïve") == 0);
	CHECK(t->ncons == 0);
	CHECK(t->unmodelled == NULL);
	CHECK(!t->strict && !t->without_rowid);
	pmx_ctx_free(ctx);
}

/* TEMP, IF NOT EXISTS and a schema-qualified name. */
TEST(table_header_variants)
{
	PmxCtx	   *ctx = test_ctx();
	PmxDdlTable *t;

	t = pmx_sqlite_parse_table(ctx, "create temp table if not exists main.\"T1\" (a)");
	CHECK(t && strcmp(t->name, "T1") == 0 && t->ncols == 1);
	t = pmx_sqlite_parse_table(ctx, "CREATE TEMPORARY TABLE [x](a);");
	CHECK(t && strcmp(t->name, "x") == 0);
	pmx_ctx_free(ctx);
}

/* Comments anywhere, including ones holding commas, quotes and parens. */
TEST(table_comments)
{
	PmxCtx	   *ctx = test_ctx();
	PmxDdlTable *t = pmx_sqlite_parse_table(ctx,
											"CREATE /* c */ TABLE t -- the table\n"
											"( a INT /* , b INT ) ' */,\n"
											"  -- , c INT,\n"
											"  d TEXT CHECK (d <> /* ) */ 'x') -- end\n"
											")");

	CHECK(t && t->ncols == 2);
	CHECK(t && t->ncols == 2 && strcmp(t->cols[0].name, "a") == 0 && strcmp(t->cols[1].name, "d") == 0);
	CHECK(t && t->ncons == 1 && strcmp(t->cons[0].expr, "d <> 'x'") == 0);
	pmx_ctx_free(ctx);
}

/* Nested parentheses in types, CHECKs and DEFAULTs; expressions canonical. */
TEST(table_nested_parens)
{
	PmxCtx	   *ctx = test_ctx();
	PmxDdlTable *t = pmx_sqlite_parse_table(ctx,
											"CREATE TABLE t(a INT CHECK ((a > 0) AND (a < (10 * (2 + 3)))),"
											" b TEXT DEFAULT (lower(hex(randomblob(4)))) NOT NULL,"
											" c NUMERIC(10, 2) DEFAULT -1,"
											" d TEXT DEFAULT 'a,b)' CHECK (d IN ('x', 'y,)')),"
											" CHECK (length(b) IN (1, 2, (3))))");
	const PmxDdlCons *c0 = nth_cons(t, PMX_DDL_CHECK, 0);
	const PmxDdlCons *c1 = nth_cons(t, PMX_DDL_CHECK, 1);
	const PmxDdlCons *c2 = nth_cons(t, PMX_DDL_CHECK, 2);

	CHECK(t && t->ncols == 4);
	CHECK(c0 && c0->column == 0 &&
		  strcmp(c0->expr, canon(ctx, "(a > 0) AND (a < (10 * (2 + 3)))")) == 0);
	CHECK(c1 && c1->column == 3 && strcmp(c1->expr, "d in ('x', 'y,)')") == 0);
	CHECK(c2 && c2->column == -1 && strcmp(c2->expr, "length(b) in (1, 2, (3))") == 0);
	CHECK(t && t->unmodelled == NULL);
	pmx_ctx_free(ctx);
}

/* CONSTRAINT names on column and table constraints of every kind. */
TEST(table_named_constraints)
{
	PmxCtx	   *ctx = test_ctx();
	PmxDdlTable *t = pmx_sqlite_parse_table(ctx,
											"CREATE TABLE t (id INTEGER CONSTRAINT pk PRIMARY KEY AUTOINCREMENT,"
											" a TEXT CONSTRAINT a_nn NOT NULL CONSTRAINT \"a uq\" UNIQUE,"
											" b INT CONSTRAINT b_ck CHECK (b > 0),"
											" c INT,"
											" CONSTRAINT b_pos CHECK (b > 1),"
											" CONSTRAINT uq_ab UNIQUE (a, b),"
											" CONSTRAINT [fk b] FOREIGN KEY (b) REFERENCES other(id) ON DELETE CASCADE ON UPDATE SET NULL,"
											" UNIQUE (c))");
	const PmxDdlCons *pk = nth_cons(t, PMX_DDL_PK, 0);
	const PmxDdlCons *u0 = nth_cons(t, PMX_DDL_UNIQUE, 0);
	const PmxDdlCons *u1 = nth_cons(t, PMX_DDL_UNIQUE, 1);
	const PmxDdlCons *u2 = nth_cons(t, PMX_DDL_UNIQUE, 2);
	const PmxDdlCons *k0 = nth_cons(t, PMX_DDL_CHECK, 0);
	const PmxDdlCons *k1 = nth_cons(t, PMX_DDL_CHECK, 1);
	const PmxDdlCons *fk = nth_cons(t, PMX_DDL_FK, 0);

	CHECK(t && t->ncols == 4 && t->ncons == 7);
	CHECK(t && t->ncols == 4 && t->cols[0].autoincrement && !t->cols[1].autoincrement);
	CHECK(pk && pk->name && strcmp(pk->name, "pk") == 0 && pk->column == 0 &&
		  cols_are(pk->cols, pk->ncols, "id", NULL));
	CHECK(u0 && u0->name && strcmp(u0->name, "a uq") == 0 && u0->column == 1 &&
		  cols_are(u0->cols, u0->ncols, "a", NULL));
	CHECK(k0 && k0->name && strcmp(k0->name, "b_ck") == 0 && k0->column == 2 &&
		  strcmp(k0->expr, "b > 0") == 0);
	CHECK(k1 && k1->name && strcmp(k1->name, "b_pos") == 0 && k1->column == -1 &&
		  strcmp(k1->expr, "b > 1") == 0);
	CHECK(u1 && u1->name && strcmp(u1->name, "uq_ab") == 0 && u1->column == -1 &&
		  cols_are(u1->cols, u1->ncols, "a", "b"));
	CHECK(u2 && u2->name == NULL && cols_are(u2->cols, u2->ncols, "c", NULL));
	CHECK(fk && fk->name && strcmp(fk->name, "fk b") == 0 && fk->column == -1 &&
		  cols_are(fk->cols, fk->ncols, "b", NULL) && strcmp(fk->ref_table, "other") == 0 &&
		  cols_are(fk->ref_cols, fk->nref_cols, "id", NULL));
	CHECK(t && t->unmodelled == NULL);
	pmx_ctx_free(ctx);
}

/* A table-level PRIMARY KEY over two columns, named. */
TEST(table_composite_primary_key)
{
	PmxCtx	   *ctx = test_ctx();
	PmxDdlTable *t = pmx_sqlite_parse_table(ctx,
											"CREATE TABLE t(a, \"B\", CONSTRAINT t_pk PRIMARY KEY (a, \"B\"))");
	const PmxDdlCons *pk = nth_cons(t, PMX_DDL_PK, 0);

	CHECK(pk && strcmp(pk->name, "t_pk") == 0 && pk->column == -1 &&
		  cols_are(pk->cols, pk->ncols, "a", "B"));
	CHECK(t && t->unmodelled == NULL);
	/* DESC in a key is not modelled */
	t = pmx_sqlite_parse_table(ctx, "CREATE TABLE t(a, b, PRIMARY KEY (a DESC, b))");
	CHECK(t && t->unmodelled != NULL);
	pmx_ctx_free(ctx);
}

/* Column-level REFERENCES with actions, MATCH and deferrable clauses. */
TEST(table_column_references)
{
	PmxCtx	   *ctx = test_ctx();
	PmxDdlTable *t = pmx_sqlite_parse_table(ctx,
											"CREATE TABLE c (id INTEGER PRIMARY KEY,"
											" p INTEGER REFERENCES \"Parent\"(id) ON DELETE SET DEFAULT ON UPDATE NO ACTION MATCH SIMPLE,"
											" q INTEGER NOT NULL CONSTRAINT q_fk REFERENCES parent ON UPDATE RESTRICT NOT DEFERRABLE,"
											" r INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY IMMEDIATE)");
	const PmxDdlCons *f0 = nth_cons(t, PMX_DDL_FK, 0);
	const PmxDdlCons *f1 = nth_cons(t, PMX_DDL_FK, 1);
	const PmxDdlCons *f2 = nth_cons(t, PMX_DDL_FK, 2);

	CHECK(t && t->ncols == 4);
	CHECK(f0 && f0->column == 1 && f0->name == NULL && cols_are(f0->cols, f0->ncols, "p", NULL) &&
		  strcmp(f0->ref_table, "Parent") == 0 && cols_are(f0->ref_cols, f0->nref_cols, "id", NULL));
	CHECK(f1 && f1->column == 2 && f1->name && strcmp(f1->name, "q_fk") == 0 &&
		  strcmp(f1->ref_table, "parent") == 0 && f1->nref_cols == 0);
	CHECK(f2 && f2->column == 3);
	CHECK(t && t->unmodelled == NULL);
	/* DEFERRABLE INITIALLY DEFERRED changes behaviour: flagged */
	t = pmx_sqlite_parse_table(ctx, "CREATE TABLE c (p INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)");
	CHECK(t && t->unmodelled != NULL);
	t = pmx_sqlite_parse_table(ctx, "CREATE TABLE c (p, FOREIGN KEY (p) REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)");
	CHECK(t && t->unmodelled != NULL);
	pmx_ctx_free(ctx);
}

/* COLLATE on a column is read and upper-cased. */
TEST(table_collate)
{
	PmxCtx	   *ctx = test_ctx();
	PmxDdlTable *t = pmx_sqlite_parse_table(ctx,
											"CREATE TABLE t(name TEXT COLLATE nocase NOT NULL, b TEXT COLLATE \"rtrim\", c TEXT)");

	CHECK(t && t->ncols == 3);
	CHECK(t && t->ncols == 3 && t->cols[0].collate && strcmp(t->cols[0].collate, "NOCASE") == 0);
	CHECK(t && t->ncols == 3 && t->cols[1].collate && strcmp(t->cols[1].collate, "RTRIM") == 0);
	CHECK(t && t->ncols == 3 && t->cols[2].collate == NULL);
	pmx_ctx_free(ctx);
}

/* WITHOUT ROWID and STRICT table options, alone and together. */
TEST(table_options)
{
	PmxCtx	   *ctx = test_ctx();
	PmxDdlTable *t;

	t = pmx_sqlite_parse_table(ctx, "CREATE TABLE t(a INT PRIMARY KEY) WITHOUT ROWID");
	CHECK(t && t->without_rowid && !t->strict);
	t = pmx_sqlite_parse_table(ctx, "CREATE TABLE t(a INT) STRICT");
	CHECK(t && !t->without_rowid && t->strict);
	t = pmx_sqlite_parse_table(ctx, "CREATE TABLE t(a INT PRIMARY KEY) without rowid , strict");
	CHECK(t && t->without_rowid && t->strict);
	t = pmx_sqlite_parse_table(ctx, "CREATE TABLE t(a INT PRIMARY KEY) STRICT, WITHOUT ROWID");
	CHECK(t && t->without_rowid && t->strict);
	pmx_ctx_free(ctx);
}

/* Generated columns, ON CONFLICT and CREATE TABLE AS are flagged unmodelled. */
TEST(table_unmodelled_constructs)
{
	PmxCtx	   *ctx = test_ctx();
	PmxDdlTable *t;

	t = pmx_sqlite_parse_table(ctx, "CREATE TABLE t(a INT, b INT GENERATED ALWAYS AS (a * 2) STORED)");
	CHECK(t && t->ncols == 2 && !t->cols[0].generated && t->cols[1].generated);
	CHECK(t && t->unmodelled != NULL);
	t = pmx_sqlite_parse_table(ctx, "CREATE TABLE t(a INT, b AS (a + (1)) VIRTUAL, c TEXT)");
	CHECK(t && t->ncols == 3 && t->cols[1].generated && !t->cols[2].generated);
	CHECK(t && t->unmodelled != NULL);
	t = pmx_sqlite_parse_table(ctx, "CREATE TABLE t(a INT NOT NULL ON CONFLICT REPLACE)");
	CHECK(t && t->unmodelled != NULL);
	t = pmx_sqlite_parse_table(ctx, "CREATE TABLE t(a INT, UNIQUE (a) ON CONFLICT IGNORE)");
	CHECK(t && t->unmodelled != NULL);
	t = pmx_sqlite_parse_table(ctx, "CREATE TABLE t(a INT PRIMARY KEY ON CONFLICT ROLLBACK)");
	CHECK(t && t->unmodelled != NULL);
	t = pmx_sqlite_parse_table(ctx, "CREATE TABLE t AS SELECT 1 AS a");
	CHECK(t && t->unmodelled != NULL);
	/* and an ordinary table is not */
	t = pmx_sqlite_parse_table(ctx, "CREATE TABLE t(a INT NOT NULL DEFAULT 0 UNIQUE)");
	CHECK(t && t->unmodelled == NULL);
	pmx_ctx_free(ctx);
}

/* Default values of every shape are skipped correctly. */
TEST(table_defaults)
{
	PmxCtx	   *ctx = test_ctx();
	PmxDdlTable *t = pmx_sqlite_parse_table(ctx,
											"CREATE TABLE t(a INT DEFAULT -1, b REAL DEFAULT +1.5e3, c TEXT DEFAULT 'x,y',"
											" d BLOB DEFAULT x'00', e TEXT DEFAULT CURRENT_TIMESTAMP, f DEFAULT NULL,"
											" g INT DEFAULT (1 + (2)), h TEXT DEFAULT \"ident\", i INT DEFAULT TRUE)");

	CHECK(t && t->ncols == 9);
	CHECK(t && t->ncols == 9 && strcmp(t->cols[8].name, "i") == 0);
	CHECK(t && t->ncons == 0);
	pmx_ctx_free(ctx);
}

/* Truncated and garbage texts: NULL with PMX_E_INVALID, never a crash. */
TEST(table_garbage)
{
	static const char *const bad[] = {
		"", "   ", "CREATE", "CREATE TABLE", "CREATE TABLE t", "CREATE TABLE t(",
		"CREATE TABLE t(a", "CREATE TABLE t(a,", "CREATE TABLE t(a CHECK (",
		"CREATE TABLE t(a CHECK (a > 0)", "CREATE TABLE t(a CHECK a > 0)",
		"CREATE TABLE t(a) garbage", "CREATE TABLE t('unterminated)",
		"CREATE TABLE t(a /* open", "SELECT 1", "CREATE INDEX i ON t(a)",
		"CREATE TABLE t(a REFERENCES)", "CREATE TABLE t(CONSTRAINT)",
		"CREATE TABLE t(a CONSTRAINT c)", "CREATE TABLE t(a DEFAULT)",
		"CREATE TABLE t(a DEFAULT -)", "CREATE TABLE t(PRIMARY KEY)",
		"CREATE TABLE t(a, PRIMARY KEY ())", "CREATE TABLE t(a, FOREIGN KEY (a) REFERENCES)",
		"CREATE TABLE t(a, FOREIGN KEY a REFERENCES p)", "CREATE TABLE t(a REFERENCES p ON DROP CASCADE)",
		"CREATE TABLE t(a REFERENCES p ON DELETE SET)", "CREATE TABLE t(a REFERENCES p ON DELETE EXPLODE)",
		"CREATE TABLE t(a GENERATED ALWAYS)", "CREATE TABLE t(a GENERATED AS (a))",
		"CREATE TABLE t(a) WITHOUT", "CREATE TABLE t(a) WITHOUT ROWID STRICT junk",
		"CREATE TABLE t(a NOT)", "CREATE TABLE t(a PRIMARY)", "CREATE TABLE t(a CHECK ())",
		"CREATE TABLE t(a NOT NULL ON CONFLICT)", "CREATE TABLE (a)", "CREATE TABLE t.(a)",
		"CREATE TABLE t(a COLLATE)", "CREATE TABLE t(a)) ", "CREATE TABLE t(a, UNIQUE)",
		"CREATE TABLE t(a, CHECK)", "CREATE TABLE t(a, FOREIGN)", "CREATE TABLE t(a, CONSTRAINT x)",
		"\x01\x02\x03", "CREATE TABLE IF t(a)",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(table_rejected(bad[i]));
}

/* Every proper prefix of a full CREATE TABLE is rejected cleanly. */
TEST(table_every_prefix)
{
	const char *full =
		"CREATE TABLE \"o\"\"k\" (id INTEGER CONSTRAINT pk PRIMARY KEY AUTOINCREMENT,"
		" [n m] TEXT COLLATE NOCASE NOT NULL DEFAULT 'x' CHECK (length(\"n m\") > (1)),"
		" p INT REFERENCES par(id) ON DELETE CASCADE, g AS (id * 2),"
		" /* c */ UNIQUE (p, id), FOREIGN KEY (p) REFERENCES par(id) -- x\n)";
	size_t		len = strlen(full);
	char	   *buf = malloc(len + 1);
	PmxCtx	   *ctx = test_ctx();

	CHECK(pmx_sqlite_parse_table(ctx, full) != NULL);
	pmx_ctx_free(ctx);
	for (size_t n = 0; n < len; n++)
	{
		/* every proper prefix lacks the final ')' */
		memcpy(buf, full, n);
		buf[n] = '\0';
		CHECK(table_rejected(buf));
	}
	free(buf);
}

/* CREATE INDEX with expressions, COLLATE, DESC, quoting and WHERE. */
TEST(index_full)
{
	PmxCtx	   *ctx = test_ctx();
	PmxDdlIndex *ix = pmx_sqlite_parse_index(ctx,
											 "CREATE UNIQUE INDEX IF NOT EXISTS main.\"ix \"\"q\"\"\" ON \"T\" ("
											 "lower(\"Email\") COLLATE NOCASE DESC, b, [c d] ASC, a + 1, \"Weird Name\")"
											 " WHERE a IS NOT NULL AND (b > 0)");

	CHECK(ix != NULL);
	if (!ix)
	{
		pmx_ctx_free(ctx);
		return;
	}
	CHECK(ix->unique);
	CHECK(strcmp(ix->name, "ix \"q\"") == 0);
	CHECK(strcmp(ix->table, "T") == 0);
	CHECK(ix->nelems == 5);
	CHECK(ix->nelems == 5 && strcmp(ix->elems[0], "lower(email) collate nocase desc") == 0);
	CHECK(ix->nelems == 5 && strcmp(ix->elems[1], "b") == 0);
	CHECK(ix->nelems == 5 && strcmp(ix->elems[2], "\"c d\" asc") == 0);
	CHECK(ix->nelems == 5 && strcmp(ix->elems[3], "a + 1") == 0);
	CHECK(ix->nelems == 5 && strcmp(ix->elems[4], "Weird Name") == 0);
	CHECK(ix->where && strcmp(ix->where, "a is not null and (b > 0)") == 0);
	pmx_ctx_free(ctx);
}

/* A plain index: one column, not unique, no predicate. */
TEST(index_plain)
{
	PmxCtx	   *ctx = test_ctx();
	PmxDdlIndex *ix = pmx_sqlite_parse_index(ctx, "create index i on t(a);");

	CHECK(ix && !ix->unique && ix->nelems == 1 && strcmp(ix->elems[0], "a") == 0);
	CHECK(ix && ix->where == NULL && strcmp(ix->name, "i") == 0 && strcmp(ix->table, "t") == 0);
	ix = pmx_sqlite_parse_index(ctx, "CREATE INDEX i ON t(a) WHERE b = 'x;y' ;");
	CHECK(ix && ix->where && strcmp(ix->where, "b = 'x;y'") == 0);
	pmx_ctx_free(ctx);
}

/* Truncated and garbage CREATE INDEX texts: NULL with an error. */
TEST(index_garbage)
{
	static const char *const bad[] = {
		"", "CREATE", "CREATE INDEX", "CREATE INDEX i", "CREATE INDEX i ON",
		"CREATE INDEX i ON t", "CREATE INDEX i ON t(", "CREATE INDEX i ON t()",
		"CREATE INDEX i ON t(a", "CREATE INDEX i ON t(a,", "CREATE INDEX i ON t(a, )",
		"CREATE INDEX i ON t(a) WHERE", "CREATE INDEX i ON t(a) WHERE (",
		"CREATE INDEX i ON t((a)", "CREATE INDEX i ON t(a; b)", "CREATE TABLE t(a)",
		"CREATE UNIQUE TABLE t(a)", "CREATE INDEX 'open ON t(a)", "CREATE INDEX i ON t(a /*)",
		"CREATE INDEX IF EXISTS i ON t(a)", "CREATE INDEX i t(a)",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(index_rejected(bad[i]));
}

/* Every prefix of a CREATE INDEX: a result or an error, never both/neither. */
TEST(index_every_prefix)
{
	const char *full = "CREATE UNIQUE INDEX \"i\" ON t(lower(a) COLLATE NOCASE, [b] DESC) WHERE (a > 0) AND b IS NULL";
	size_t		len = strlen(full);
	char	   *buf = malloc(len + 1);

	for (size_t n = 0; n <= len; n++)
	{
		PmxCtx	   *ctx = test_ctx();
		PmxDdlIndex *ix;

		memcpy(buf, full, n);
		buf[n] = '\0';
		ix = pmx_sqlite_parse_index(ctx, buf);
		CHECK((ix != NULL) == (pmx_ctx_error(ctx)->code == PMX_E_NONE));
		/* before the closing parenthesis of the column list, nothing is complete */
		if (n < (size_t) (strstr(full, ") WHERE") - full) + 1)
			CHECK(ix == NULL);
		pmx_ctx_free(ctx);
	}
	free(buf);
}

/* pmx_sqlite_stmt_kind: the first keywords, lower-cased. */
TEST(stmt_kind)
{
	PmxCtx	   *ctx = test_ctx();

	CHECK(strcmp(pmx_sqlite_stmt_kind(ctx, "CREATE TABLE t(a)"), "create table") == 0);
	CHECK(strcmp(pmx_sqlite_stmt_kind(ctx, "  /* c */ Create Unique Index i ON t(a)"), "create unique index") == 0);
	CHECK(strcmp(pmx_sqlite_stmt_kind(ctx, "CREATE TEMP TABLE t(a)"), "create temp table") == 0);
	CHECK(strcmp(pmx_sqlite_stmt_kind(ctx, "create view v as select 1"), "create view") == 0);
	CHECK(strcmp(pmx_sqlite_stmt_kind(ctx, "DROP TABLE x"), "drop table") == 0);
	CHECK(strcmp(pmx_sqlite_stmt_kind(ctx, "(select 1)"), "") == 0);
	pmx_ctx_free(ctx);
}

int
main(void)
{
	RUN(table_quoted_names);
	RUN(table_header_variants);
	RUN(table_comments);
	RUN(table_nested_parens);
	RUN(table_named_constraints);
	RUN(table_composite_primary_key);
	RUN(table_column_references);
	RUN(table_collate);
	RUN(table_options);
	RUN(table_unmodelled_constructs);
	RUN(table_defaults);
	RUN(table_garbage);
	RUN(table_every_prefix);
	RUN(index_full);
	RUN(index_plain);
	RUN(index_garbage);
	RUN(index_every_prefix);
	RUN(stmt_kind);
	return TEST_DONE();
}
