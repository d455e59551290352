/*-------------------------------------------------------------------------
 *
 * pmx_normalize.c
 *	  Turn the target (JSON or plain DDL) into a model spelled by the
 *	  engine itself: render it, create it in a private shadow database,
 *	  introspect the shadow with the same code as the live database.
 *
 * So both sides of the diff come from one reader, and a target the engine
 * would refuse fails here, before the live database is touched.  Hints
 * the shadow cannot carry (renamed_from) are copied back afterwards.  A
 * target table identical to its live table is taken from the live model,
 * and the rest goes through the shadow in chunks (see load_json).
 *
 * A DDL target may hold only CREATE TABLE and CREATE [UNIQUE] INDEX
 * statements; it runs in the shadow, which cannot attach files.
 *
 * IDENTIFICATION
 *	  shared/pmx_normalize.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "pmx_plan.h"
#include "pmx_render_pg.h"
#include "pmx_render_sqlite.h"
#include "pmx_shadow_trim.h"
#include "pmx_sql.h"
#include "pmx_sqlite_ddl.h"
#include "pmx_types.h"
#include "pmx_validate.h"

/* Portable spellings of defaults, per dialect: now() on SQLite. */
static void
portable_defaults(PmxSchema *s)
{
	if (s->dialect != PMX_DIALECT_SQLITE)
		return;
	for (int i = 0; i < s->ntables; i++)
		for (int c = 0; c < s->tables[i]->ncols; c++)
		{
			PmxColumn  *col = &s->tables[i]->cols[c];

			/* now() is not SQLite; CURRENT_TIMESTAMP is, and stays as written */
			if (col->default_expr && strcmp(col->default_expr, "now()") == 0)
				col->default_expr = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";
		}
}

/* Turn the database's error for sql into "the target was rejected". */
static int
shadow_refused(PmxCtx *ctx, PmxDb *sh, const char *sql, const char *what)
{
	if (ctx->err.code == PMX_E_NOMEM)
		return PMX_ERROR;
	{
		const char *dbmsg = ctx->err.message;
		const char *dbhint = ctx->err.hint;	/* the host's advice, if any */

		pmx_error_clear(ctx);
		pmx_error(ctx, PMX_E_INVALID, "the target was rejected by %s: %s",
				  sh->dialect == PMX_DIALECT_POSTGRES ? "PostgreSQL" : "SQLite", dbmsg);
		pmx_error_detail(ctx, "While creating %s: %s", what, sql);
		if (dbhint)
			pmx_error_hint(ctx, "%s Nothing was changed.", dbhint);
		else
			pmx_error_hint(ctx, "Fix that object in the target: the database's message says what it refused; nothing was changed.");
	}
	return PMX_ERROR;
}

/* Run sql in the shadow, wrapping its error as a refused target. */
static int
shadow_exec(PmxCtx *ctx, PmxDb *sh, const char *sql, const char *what)
{
	if (sh->exec(sh->ud, ctx, sql) == PMX_OK)
		return PMX_OK;
	return shadow_refused(ctx, sh, sql, what);
}

/* Check that SQLite can evaluate each non-literal default. */
static int
check_defaults(PmxCtx *ctx, PmxDb *sh, PmxSchema *s)
{
	for (int i = 0; i < s->ntables; i++)
	{
		PmxTable   *t = s->tables[i];

		for (int c = 0; c < t->ncols; c++)
		{
			const char *d = t->cols[c].default_expr;
			char	   *sql;

			if (!d || pmx_sql_expr_is_literal(d))
				continue;
			if (!(sql = pmx_sprintf(ctx, "SELECT (%s)", d)))
				return PMX_ERROR;
			if (sh->query(sh->ud, ctx, sql, NULL, NULL) != PMX_OK)
			{
				const char *dbmsg = ctx->err.message;

				pmx_error_clear(ctx);
				pmx_error(ctx, PMX_E_INVALID, "default of column \"%s\".\"%s\" cannot be evaluated: %s",
						  t->name, t->cols[c].name, dbmsg);
				pmx_error_detail(ctx, "Default: %s", d);
				return pmx_error_hint(ctx, "On SQLite write the current time as now() or CURRENT_TIMESTAMP.");
			}
		}
	}
	return PMX_OK;
}

/*
 * PostgreSQL: tables first (without foreign keys, so their order does not
 * matter), then indexes, then the foreign keys.  A key to a table the
 * shadow does not hold resolves, through search_path, to the live table
 * of that name, which is what the target means by it.
 */
/* unmodelled marker of the stub parents add_stub_parents() adds to a chunk */
static const char STUB[] = "premix stub";

/* The statements a PostgreSQL shadow runs, each with what it creates. */
typedef struct ShadowBatch
{
	PmxCtx	   *ctx;
	char	  **sql;
	char	  **what;
	int			n,
				cap,
				capw;
	const char *cur_what;		/* label of the statements being added */
} ShadowBatch;

/* Add one statement (NULL = OOM) to the batch. */
static int
batch_add(void *arg, const char *sql)
{
	ShadowBatch *b = arg;
	int			n = b->n;

	if (!sql || !b->cur_what ||
		!PMX_PUSH(b->ctx, b->what, n, b->capw) ||
		!PMX_PUSH(b->ctx, b->sql, b->n, b->cap))
		return PMX_ERROR;
	b->sql[b->n - 1] = (char *) sql;
	b->what[b->n - 1] = (char *) b->cur_what;
	return PMX_OK;
}

/* batch_add with the label given: pmx_shadow_declare_checks' callback. */
static int
batch_add_what(void *arg, const char *sql, const char *what)
{
	((ShadowBatch *) arg)->cur_what = what;
	return batch_add(arg, sql);
}

/*
 * Statement i of batch b failed.  From checks_from on the statements are
 * the sort checks of declared keys and indexes: the server's words there
 * are about a query premix made, so the error says what they mean.
 */
static int
shadow_failed(PmxCtx *ctx, PmxDb *sh, const ShadowBatch *b, int i, int checks_from)
{
	const char *dbmsg;

	if (i < checks_from || ctx->err.code == PMX_E_NOMEM)
		return shadow_refused(ctx, sh, b->sql[i], b->what[i]);
	dbmsg = ctx->err.message;
	pmx_error_clear(ctx);
	pmx_error(ctx, PMX_E_INVALID, "the target was rejected by PostgreSQL: %s needs btree ordering of its columns: %s",
			  b->what[i], dbmsg);
	pmx_error_detail(ctx, "Checked with: %s", b->sql[i]);
	return pmx_error_hint(ctx, "A btree index or a key needs a column type PostgreSQL can sort (json, xml and point cannot); index another column or an expression of it, or use another method. Nothing was changed.");
}

/*
 * PostgreSQL: tables first (without foreign keys, so their order does not
 * matter), then indexes, then the foreign keys, NOT VALID (the tables are
 * empty: the server's initial check would only cost a query plan each).
 * A key to a table the shadow does not hold resolves, through search_path,
 * to the live table of that name (or to its stub, see add_stub_parents).
 * The statements go to the host as one batch when it can run one (one
 * subtransaction for all of them), else one by one.
 */
static int
shadow_create_pg(PmxCtx *ctx, PmxDb *sh, PmxSchema *s, const PmxMap *declared)
{
	ShadowBatch b;
	int			failed_at = -1,
				checks_from;

	memset(&b, 0, sizeof(b));
	b.ctx = ctx;
	/* enum types the target adds or changes, before the tables using them */
	for (int i = 0; i < s->nenums; i++)
	{
		b.cur_what = pmx_sprintf(ctx, "enum type \"%s\"", s->enums[i].name);
		if (batch_add(&b, pmx_pg_create_enum(ctx, &s->enums[i])) != PMX_OK)
			return PMX_ERROR;
	}
	for (int i = 0; i < s->ntables; i++)
	{
		PmxTable   *t = s->tables[i];

		b.cur_what = pmx_sprintf(ctx, "table \"%s\"", t->name);
		if (batch_add(&b, pmx_pg_create_table(ctx, t, false)) != PMX_OK ||
			pmx_pg_table_comments(ctx, t, batch_add, &b) != PMX_OK)
			return PMX_ERROR;
	}
	for (int i = 0; i < s->ntables; i++)
	{
		PmxTable   *t = s->tables[i];

		for (int k = 0; k < t->nindexes; k++)
		{
			b.cur_what = pmx_sprintf(ctx, "index \"%s\"", t->indexes[k].name);
			if (batch_add(&b, pmx_pg_create_index(ctx, t, &t->indexes[k])) != PMX_OK)
				return PMX_ERROR;
		}
		b.cur_what = pmx_sprintf(ctx, "a foreign key of table \"%s\"", t->name);
		for (int k = 0; k < t->nfks; k++)
		{
			PmxBuf		q;

			pmx_buf_init(&q, ctx);
			pmx_buf_append(&q, "ALTER TABLE ");
			pmx_buf_ident(&q, t->name);
			pmx_buf_appendf(&q, " ADD %s NOT VALID", pmx_pg_fk_def(ctx, &t->fks[k]));
			if (batch_add(&b, pmx_buf_finish(&q)) != PMX_OK)
				return PMX_ERROR;
		}
	}
	/* last, the declared keys and indexes: their columns must sort */
	checks_from = b.n;
	for (int i = 0; i < s->ntables; i++)
	{
		const PmxKept *k = s->tables[i]->unmodelled == STUB ? NULL
			: pmx_map_get(declared, s->tables[i]->name);

		if (k && pmx_shadow_declare_checks(ctx, s->tables[i]->name, k, batch_add_what, &b) != PMX_OK)
			return PMX_ERROR;
	}
	if (!sh->exec_batch)
	{
		for (int i = 0; i < b.n; i++)
			if (sh->exec(sh->ud, ctx, b.sql[i]) != PMX_OK)
				return shadow_failed(ctx, sh, &b, i, checks_from);
		return PMX_OK;
	}
	if (b.n == 0 || sh->exec_batch(sh->ud, ctx, b.sql, b.n, &failed_at) == PMX_OK)
		return PMX_OK;
	if (failed_at < 0 || failed_at >= b.n)
		return PMX_ERROR;
	return shadow_failed(ctx, sh, &b, failed_at, checks_from);
}

/*
 * Create every table and index of s in the shadow (one transaction);
 * declared: PostgreSQL's tables whose plain keys and indexes are taken as
 * declared (pmx_shadow_declare), only checked there.
 */
static int
shadow_create(PmxCtx *ctx, PmxDb *sh, PmxSchema *s, const PmxMap *declared)
{
	if (sh->dialect == PMX_DIALECT_POSTGRES)
		return shadow_create_pg(ctx, sh, s, declared);
	if (sh->exec(sh->ud, ctx, "BEGIN") != PMX_OK)
		return PMX_ERROR;
	for (int i = 0; i < s->ntables; i++)
	{
		PmxTable   *t = s->tables[i];
		char	   *sql = pmx_sqlite_create_table(ctx, t, NULL);

		if (!sql || shadow_exec(ctx, sh, sql, pmx_sprintf(ctx, "table \"%s\"", t->name)) != PMX_OK)
			return PMX_ERROR;
	}
	for (int i = 0; i < s->ntables; i++)
	{
		PmxTable   *t = s->tables[i];

		for (int k = 0; k < t->nindexes; k++)
		{
			char	   *sql = pmx_sqlite_create_index(ctx, t, &t->indexes[k]);

			if (!sql || shadow_exec(ctx, sh, sql,
									pmx_sprintf(ctx, "index \"%s\"", t->indexes[k].name)) != PMX_OK)
				return PMX_ERROR;
		}
	}
	if (check_defaults(ctx, sh, s) != PMX_OK)
		return PMX_ERROR;
	return sh->exec(sh->ud, ctx, "COMMIT");
}

/*
 * Target table jt and live table lt have the same canonical JSON text: 1
 * if so, 0 if not, -1 on OOM.  Both are compared in the fingerprint's form
 * (the columns by name, pmx_table_fp_write), the column order apart; the
 * live table's text is the one pmx_fingerprint_both kept when there is
 * one, else written into wb.
 */
static int
same_text(PmxCtx *ctx, PmxJsonWriter *wa, PmxJsonWriter *wb, const PmxTable *jt,
		  const PmxTable *lt, PmxColumn **scratch, int *cap)
{
	const char *live = lt->fp_text;

	if (jt->ncols != lt->ncols)
		return 0;
	for (int c = 0; c < jt->ncols; c++)
		if (strcmp(jt->cols[c].name, lt->cols[c].name) != 0)
			return 0;
	if (!live)
	{
		if (pmx_table_fp_write(ctx, wb, lt, scratch, cap) != PMX_OK)
			return -1;
		live = wb->buf.data;
	}
	if (pmx_table_fp_write(ctx, wa, jt, scratch, cap) != PMX_OK)
		return -1;
	return strcmp(wa->buf.data, live) == 0;
}

/* The table (or a column or index of it) carries a renamed_from hint. */
static bool
has_hints(const PmxTable *t)
{
	if (t->renamed_from)
		return true;
	for (int i = 0; i < t->ncols; i++)
		if (t->cols[i].renamed_from)
			return true;
	for (int i = 0; i < t->nindexes; i++)
		if (t->indexes[i].renamed_from)
			return true;
	return false;
}

/*
 * Copy renamed_from hints from the JSON model onto the normalized one,
 * which has none of its own (it comes from a shadow, the live model or a
 * server's document).
 */
void
pmx_copy_hints(PmxCtx *ctx, PmxSchema *from, PmxSchema *to)
{
	for (int i = 0; i < from->ntables; i++)
	{
		PmxTable   *a = from->tables[i];
		PmxTable   *b;

		/* without hints, the normalized table has none either */
		if (!has_hints(a) || !(b = pmx_schema_find(ctx, to, a->name)))
			continue;
		b->renamed_from = a->renamed_from;
		for (int c = 0; c < a->ncols; c++)
		{
			PmxColumn  *bc = pmx_table_find_column(ctx, to->dialect, b, a->cols[c].name);

			if (bc)
				bc->renamed_from = a->cols[c].renamed_from;
		}
		for (int k = 0; k < a->nindexes; k++)
		{
			PmxIndex   *bi = pmx_table_find_index(b, to->dialect, a->indexes[k].name);

			if (bi)
				bi->renamed_from = a->indexes[k].renamed_from;
		}
	}
}

/* The JSON table names a constraint called name (any kind). */
static bool
names_constraint(const PmxTable *a, const char *name)
{
	if (a->pk && pmx_streq_null(a->pk->name, name))
		return true;
	for (int k = 0; k < a->nuniques; k++)
		if (pmx_streq_null(a->uniques[k].name, name))
			return true;
	for (int k = 0; k < a->nfks; k++)
		if (pmx_streq_null(a->fks[k].name, name))
			return true;
	for (int k = 0; k < a->nchecks; k++)
		if (pmx_streq_null(a->checks[k].name, name))
			return true;
	return false;
}

/*
 * PostgreSQL names every constraint; the shadow gave the ones the target
 * left unnamed the server's default name.  Mark those implicit, so the
 * diff matches them with a live constraint of any name.
 */
void
pmx_mark_implicit_names(PmxCtx *ctx, PmxSchema *from, PmxSchema *to)
{
	if (to->dialect == PMX_DIALECT_SQLITE)
		return;
	for (int i = 0; i < from->ntables; i++)
	{
		PmxTable   *a = from->tables[i];
		PmxTable   *b = pmx_schema_find(ctx, to, a->name);

		if (!b)
			continue;
		if (b->pk)
			b->pk->implicit = !names_constraint(a, b->pk->name);
		for (int k = 0; k < b->nuniques; k++)
			b->uniques[k].implicit = !names_constraint(a, b->uniques[k].name);
		for (int k = 0; k < b->nfks; k++)
			b->fks[k].implicit = !names_constraint(a, b->fks[k].name);
		for (int k = 0; k < b->nchecks; k++)
			b->checks[k].implicit = !names_constraint(a, b->checks[k].name);
	}
}

/* Append note (NULL = OOM) to the schema's notes. */
static int
add_note(PmxCtx *ctx, PmxSchema *s, char *note)
{
	if (!note || !PMX_PUSH(ctx, s->notes, s->nnotes, s->capnotes))
		return PMX_ERROR;
	s->notes[s->nnotes - 1] = note;
	return PMX_OK;
}

/*
 * Note where SQLite cannot keep a portable type's promise, as warnings
 * the plan carries: no time zones; json and jsonb are the same text.
 */
static int
note_dialect_gaps(PmxCtx *ctx, PmxSchema *json_model, PmxSchema *out)
{
	if (out->dialect != PMX_DIALECT_SQLITE)
		return PMX_OK;
	for (int i = 0; i < json_model->ntables; i++)
	{
		PmxTable   *t = json_model->tables[i];

		if (t->comment && add_note(ctx, out, pmx_sprintf(ctx, "table %s: SQLite has no comments: the comment is not stored",
														t->name)) != PMX_OK)
			return PMX_ERROR;
		for (int c = 0; c < t->ncols; c++)
		{
			const char *ty = t->cols[c].type;
			const char *note = NULL;

			if (strcmp(ty, "timestamptz") == 0)
				note = "SQLite has no time zones: timestamptz is stored as ISO-8601 text (write it in UTC) and is reported back as text";
			else if (t->cols[c].identity == PMX_IDENTITY_ALWAYS)
				note = "SQLite cannot refuse explicit values for an identity column: \"always\" behaves as \"by default\"";
			else if (strcmp(ty, "jsonb") == 0)
				note = "SQLite stores jsonb as JSON text (TEXT + CHECK json_valid), reported back as json";
			if (note && add_note(ctx, out, pmx_sprintf(ctx, "column %s.%s: %s", t->name, t->cols[c].name, note)) != PMX_OK)
				return PMX_ERROR;
			if (t->cols[c].comment &&
				add_note(ctx, out, pmx_sprintf(ctx, "column %s.%s: SQLite has no comments: the comment is not stored",
											   t->name, t->cols[c].name)) != PMX_OK)
				return PMX_ERROR;
		}
	}
	return PMX_OK;
}

/* Run a DDL target's statements in the shadow, refusing other kinds. */
static int
shadow_run_ddl(PmxCtx *ctx, PmxDb *sh, const char *text)
{
	char	  **stmts;
	int			n = pmx_sql_split(ctx, text, &stmts);

	if (n < 0)
		return PMX_ERROR;
	if (n == 0)
		return pmx_error(ctx, PMX_E_INVALID, "the target is empty"),
			pmx_error_hint(ctx, "Give a JSON target {\"tables\": [...]} or CREATE TABLE statements.");
	for (int i = 0; i < n; i++)
	{
		char	   *kind = pmx_sqlite_stmt_kind(ctx, stmts[i]);

		if (!kind)
			return PMX_ERROR;
		if (strcmp(kind, "create table") != 0 && strcmp(kind, "create index") != 0 &&
			strcmp(kind, "create unique index") != 0)
		{
			pmx_error(ctx, PMX_E_INVALID, "a DDL target may hold only CREATE TABLE and CREATE INDEX statements");
			pmx_error_detail(ctx, "Statement %d is: %s", i + 1, pmx_clip(ctx, stmts[i], 200));
			return pmx_error_hint(ctx, "premix does not manage views, triggers or data; keep them out of the target.");
		}
	}
	if (sh->dialect == PMX_DIALECT_SQLITE && sh->exec(sh->ud, ctx, "BEGIN") != PMX_OK)
		return PMX_ERROR;
	for (int i = 0; i < n; i++)
		if (shadow_exec(ctx, sh, stmts[i], pmx_sprintf(ctx, "statement %d", i + 1)) != PMX_OK)
			return PMX_ERROR;
	return sh->dialect == PMX_DIALECT_SQLITE ? sh->exec(sh->ud, ctx, "COMMIT") : PMX_OK;
}

/*
 * Tables per PostgreSQL shadow subtransaction: it holds a lock on every
 * table, index and sequence it creates until it is rolled back, and the
 * server's lock table is sized by max_locks_per_transaction (64 per
 * connection by default); keys that cross chunks get stubs.
 */
#define PG_SHADOW_CHUNK 500

/* Tables per private :memory: shadow connection (see load_json). */
#define SHADOW_CHUNK 100

/*
 * Stubs for the parents a chunk's foreign keys point at but the chunk does
 * not create: a table the target changes or adds that another chunk
 * creates (from the target's own definition), and, in a temp_only shadow
 * (PostgreSQL's fallback: the session's temporary schema, where a
 * temporary table may reference only temporary tables), a live table the
 * target keeps as it is (from the live model).  A stub serves the key
 * only: columns and keys, no foreign keys, checks or indexes.  A scratch-
 * schema shadow reaches kept live tables through search_path.  chunk->tables is replaced by a longer copy
 * whose stubs follow the real tables, marked unmodelled == STUB so that
 * append_tables() leaves them out of the result.
 */
static int
add_stub_parents(PmxCtx *ctx, PmxSchema *rest, PmxSchema *live, bool temp_only,
				 PmxSchema *chunk)
{
	PmxTable  **v;
	int			n = chunk->ntables,
				cap = chunk->ntables * 2 + 4;

	if (!(v = pmx_alloc(ctx, sizeof(PmxTable *) * (size_t) cap)))
		return PMX_ERROR;
	memcpy(v, chunk->tables, sizeof(PmxTable *) * (size_t) n);
	for (int i = 0; i < chunk->ntables; i++)
		for (int k = 0; k < chunk->tables[i]->nfks; k++)
		{
			const char *ref = chunk->tables[i]->fks[k].ref_table;
			PmxTable   *lt;
			bool		have = false;

			for (int j = 0; j < n && !have; j++)
				have = strcmp(v[j]->name, ref) == 0;
			if (have)
				continue;
			/* the target's own parent when the shadow makes it elsewhere */
			lt = pmx_schema_find(ctx, rest, ref);
			if (!lt && temp_only && live)
				lt = pmx_schema_find(ctx, live, ref);
			if (!lt)
				continue;
			if (n == cap)
			{
				PmxTable  **w = pmx_alloc(ctx, sizeof(PmxTable *) * (size_t) (cap *= 2));

				if (!w)
					return PMX_ERROR;
				memcpy(w, v, sizeof(PmxTable *) * (size_t) n);
				v = w;
			}
			if (!(v[n] = pmx_table_clone(ctx, lt)))
				return PMX_ERROR;
			/* only the keys matter: no foreign keys, checks or indexes */
			v[n]->nfks = v[n]->nchecks = v[n]->nindexes = 0;
			v[n]->unmodelled = STUB;
			n++;
		}
	chunk->tables = v;
	chunk->ntables = n;
	return PMX_OK;
}

/*
 * Append the tables of from to to: those chunk asked the shadow to make
 * (all of them when chunk is NULL).  Stubs are left out, and so is any
 * table the shadow held already (PostgreSQL's fallback shadow is the
 * session's temporary schema, where the caller may have tables of its own).
 */
static int
append_tables(PmxCtx *ctx, PmxSchema *to, PmxSchema *from, const PmxSchema *chunk)
{
	for (int i = 0; i < from->ntables; i++)
	{
		bool		made = chunk == NULL;

		/* only what the shadow made: not a stub, not a table it already had */
		for (int k = 0; chunk && k < chunk->ntables && !made; k++)
			made = chunk->tables[k]->unmodelled != STUB &&
				strcmp(chunk->tables[k]->name, from->tables[i]->name) == 0;
		if (!made)
			continue;
		if (!PMX_PUSH(ctx, to->tables, to->ntables, to->captables))
			return PMX_ERROR;
		to->tables[to->ntables - 1] = from->tables[i];
	}
	return PMX_OK;
}

/*
 * The tables going to the shadow that no foreign key going there
 * references: a changed one loses its unchanged columns and keys too
 * (pmx_shadow_trim_columns), and every one its plain keys and indexes,
 * taken as declared (pmx_shadow_declare), and then the columns whose type
 * the server spells without a table (pmx_shadow_declare_columns, when db
 * can ask it); a key in the shadow needs its table there whole.
 * trimmed[k] is the shadow's copy of live table live[k] (NULL: a new
 * table), kept[k] what was taken from it; *declared maps the names of the
 * tables so treated to their kept entry.
 */
static int
trim_unreferenced(PmxCtx *ctx, PmxDb *db, PmxSchema *rest, PmxTable **trimmed,
				  PmxTable **live, PmxKept *kept, int n, PmxMap *declared)
{
	PmxMap		referenced,
				spelled;
	PmxTable  **asked;
	int			nasked = 0;

	if (pmx_map_init(declared, ctx, (size_t) n, false) != PMX_OK)
		return PMX_ERROR;
	if (n == 0)
		return PMX_OK;
	if (pmx_map_init(&referenced, ctx, (size_t) rest->ntables, false) != PMX_OK)
		return PMX_ERROR;
	for (int i = 0; i < rest->ntables; i++)
		for (int k = 0; k < rest->tables[i]->nfks; k++)
			if (pmx_map_put(&referenced, rest->tables[i]->fks[k].ref_table, rest->tables[i]) != PMX_OK)
				return PMX_ERROR;
	if (!(asked = pmx_alloc(ctx, sizeof(PmxTable *) * (size_t) n)))
		return PMX_ERROR;
	for (int k = 0; k < n; k++)
	{
		if (pmx_map_get(&referenced, trimmed[k]->name))
			continue;
		if ((live[k] && pmx_shadow_trim_columns(ctx, trimmed[k], live[k], &kept[k]) != PMX_OK) ||
			pmx_shadow_declare(ctx, trimmed[k], &kept[k]) != PMX_OK ||
			pmx_map_put(declared, trimmed[k]->name, &kept[k]) != PMX_OK)
			return PMX_ERROR;
		asked[nasked++] = trimmed[k];
	}
	if (pmx_shadow_spell_types(ctx, db, asked, nasked, &spelled) != PMX_OK)
		return PMX_ERROR;
	for (int k = 0; k < n && spelled.n > 0; k++)
		if (pmx_map_get(declared, trimmed[k]->name) == &kept[k] &&
			pmx_shadow_declare_columns(ctx, trimmed[k], live[k], &kept[k], &spelled) != PMX_OK)
			return PMX_ERROR;
	return PMX_OK;
}

/*
 * Leave out of rest the tables nothing is left of for the shadow
 * (kept[k].no_shadow for trimmed[k]).
 */
static void
drop_unshadowed(PmxSchema *rest, PmxTable **trimmed, const PmxKept *kept, int n)
{
	int			m = 0,
				k = 0;

	for (int i = 0; i < rest->ntables; i++)
	{
		/* trimmed[] is a subsequence of rest->tables, in the same order */
		bool		gone = false;

		if (k < n && trimmed[k] == rest->tables[i])
			gone = kept[k++].no_shadow;
		if (!gone)
			rest->tables[m++] = rest->tables[i];
	}
	rest->ntables = m;
	rest->tabmap_count = -1;
}

/*
 * Normalize a JSON target model.  A target table whose canonical JSON is
 * byte-identical to the live table's is the live table: the round trip
 * premix guarantees (introspect(render(t)) == t, which the tests check)
 * means the shadow would give that same model back, so it is copied from
 * the live model.  The other tables are created in the shadow, at most
 * SHADOW_CHUNK per private :memory: connection: SQLite re-reads its schema
 * table after every CREATE, which makes one big shadow quadratic.
 */
static int
load_json(PmxCtx *ctx, PmxDb *live, PmxSchema *live_model, PmxSchema *json_model,
		  PmxSchema **out)
{
	PmxSchema  *res = pmx_schema_new(ctx, json_model->dialect);
	PmxSchema  *rest = pmx_schema_new(ctx, json_model->dialect);
	int			chunk_size;
	PmxKept    *kept = pmx_alloc(ctx, sizeof(PmxKept) * (size_t) (json_model->ntables + 1));
	PmxTable  **kept_live = pmx_alloc(ctx, sizeof(PmxTable *) * (size_t) (json_model->ntables + 1));
	PmxTable  **trimmed = pmx_alloc(ctx, sizeof(PmxTable *) * (size_t) (json_model->ntables + 1));
	int			nkept = 0;

	PmxJsonWriter wa,
				wb;
	PmxColumn  *scratch = NULL;
	int			capscratch = 0;
	PmxMap		declared;

	if (!res || !rest || !kept || !kept_live || !trimmed)
		return PMX_ERROR;
	pmx_jw_init(&wa, ctx);
	pmx_jw_init(&wb, ctx);
	pmx_schema_sort(json_model);
	for (int i = 0; i < json_model->ntables; i++)
	{
		PmxTable   *jt = json_model->tables[i];
		PmxTable   *lt = live_model ? pmx_schema_find(ctx, live_model, jt->name) : NULL;
		PmxTable   *copy = NULL;

		if (lt && strcmp(lt->name, jt->name) == 0 && !lt->unmodelled && !has_hints(jt))
		{
			int			same = same_text(ctx, &wa, &wb, jt, lt, &scratch, &capscratch);

			if (same < 0 || (same && !(copy = pmx_table_clone(ctx, lt))))
				return PMX_ERROR;
			if (copy)			/* the same table: the same fingerprint text */
				copy->fp_text = lt->fp_text;
			/* changed: on PostgreSQL its unchanged objects skip the shadow */
			if (!copy && live->dialect == PMX_DIALECT_POSTGRES)
			{
				if (!(jt = pmx_shadow_trim(ctx, jt, lt, &kept[nkept])))
					return PMX_ERROR;
				kept_live[nkept] = lt;
				trimmed[nkept++] = jt;
			}
		}
		else if (!lt && live->dialect == PMX_DIALECT_POSTGRES && !has_hints(jt))
		{
			/* a new table: a copy, which pmx_shadow_declare may change */
			if (!(jt = pmx_table_clone(ctx, jt)))
				return PMX_ERROR;
			memset(&kept[nkept], 0, sizeof(PmxKept));
			kept_live[nkept] = NULL;
			trimmed[nkept++] = jt;
		}
		{
			PmxSchema  *into = copy ? res : rest;

			if (!PMX_PUSH(ctx, into->tables, into->ntables, into->captables))
				return PMX_ERROR;
			into->tables[into->ntables - 1] = copy ? copy : jt;
		}
	}
	if (trim_unreferenced(ctx, live, rest, trimmed, kept_live, kept, nkept, &declared) != PMX_OK)
		return PMX_ERROR;
	drop_unshadowed(rest, trimmed, kept, nkept);
	/* the shadow declares the enum types the target adds or changes */
	for (int i = 0; i < json_model->nenums; i++)
	{
		PmxEnum    *te = &json_model->enums[i];
		PmxEnum    *le = live_model ? pmx_schema_find_enum(live_model, te->name) : NULL;

		if (le && pmx_names_eq(PMX_DIALECT_POSTGRES, &le->values, &te->values))
			continue;
		if (!PMX_PUSH(ctx, rest->enums, rest->nenums, rest->capenums))
			return PMX_ERROR;
		rest->enums[rest->nenums - 1] = *te;
	}
	chunk_size = live->dialect == PMX_DIALECT_SQLITE ? SHADOW_CHUNK : PG_SHADOW_CHUNK;
	for (int start = 0; start < rest->ntables; start += chunk_size)
	{
		PmxSchema	chunk = *rest;
		PmxSchema  *got = NULL;
		PmxDb		sh;
		int			rc;

		chunk.tables = rest->tables + start;
		chunk.ntables = rest->ntables - start < chunk_size ? rest->ntables - start : chunk_size;
		chunk.tabmap_count = -1;
		memset(&sh, 0, sizeof(sh));
		if (live->shadow_open(live->ud, ctx, &sh) != PMX_OK)
			return PMX_ERROR;
		rc = live->dialect == PMX_DIALECT_POSTGRES
			? add_stub_parents(ctx, rest, live_model, sh.temp_only, &chunk) : PMX_OK;
		if (rc == PMX_OK)
			rc = shadow_create(ctx, &sh, &chunk, &declared);
		if (rc == PMX_OK)
			rc = pmx_introspect(ctx, &sh, &got);
		if (sh.shadow_close)
			sh.shadow_close(&sh);
		if (rc != PMX_OK || append_tables(ctx, res, got, &chunk) != PMX_OK)
			return PMX_ERROR;
	}
	/* a table the shadow did not see: its name, its comment, what is kept */
	for (int k = 0; k < nkept; k++)
	{
		PmxTable   *rt;

		if (!kept[k].no_shadow)
			continue;
		if (!(rt = pmx_schema_add_table(ctx, res, trimmed[k]->name)))
			return PMX_ERROR;
		rt->comment = trimmed[k]->comment;
	}
	res->tabmap_count = -1;
	for (int k = 0; k < nkept; k++)
	{
		PmxTable   *rt = pmx_schema_find(ctx, res, trimmed[k]->name);

		if (rt && pmx_shadow_splice(ctx, rt, &kept[k]) != PMX_OK)
			return PMX_ERROR;
	}
	pmx_schema_sort(res);
	*out = res;
	return PMX_OK;
}

/*
 * SQLite: a DDL target may not create premix's own tables (the ledger,
 * the trash), which introspection leaves out and the diff would then not
 * see.  The JSON reader refuses them in pmx_validate.c.
 */
static int
refuse_reserved(PmxCtx *ctx, PmxDb *sh)
{
	char	   *name;

	if (sh->dialect != PMX_DIALECT_SQLITE)
		return PMX_OK;
	if (pmx_query_text(ctx, sh, "SELECT name FROM main.sqlite_schema WHERE type = 'table' AND (name = '"
					   PMX_LEDGER_TABLE "' COLLATE NOCASE OR name LIKE 'premix\\_trash\\_%' ESCAPE '\\')",
					   &name) != PMX_OK)
		return PMX_ERROR;
	if (!name)
		return PMX_OK;
	pmx_error(ctx, PMX_E_INVALID, "table name \"%s\" is reserved for premix's own tables", name);
	return pmx_error_hint(ctx, "premix_migrations is the ledger and premix_trash_* hold what premix keeps of dropped tables and columns; give the table another name.");
}

/* A DDL target: run in one shadow, introspected there. */
static int
load_ddl(PmxCtx *ctx, PmxDb *live, const char *target, PmxSchema **out)
{
	PmxDb		sh;
	int			rc;

	memset(&sh, 0, sizeof(sh));
	if (live->shadow_open(live->ud, ctx, &sh) != PMX_OK)
		return PMX_ERROR;
	rc = shadow_run_ddl(ctx, &sh, target);
	if (rc == PMX_OK)
		rc = refuse_reserved(ctx, &sh);
	if (rc == PMX_OK)
		rc = pmx_introspect(ctx, &sh, out);
	if (sh.shadow_close)
		sh.shadow_close(&sh);
	return rc;
}

/*
 * Load target text (JSON or DDL) into a normalized model *out.  Shadows
 * are opened and closed here on every path.
 */
int
pmx_target_load(PmxCtx *ctx, PmxDb *live, PmxSchema *live_model,
				const char *target, const PmxOptions *opts, PmxSchema **out)
{
	const char *p = target;

	if (!target)
		return pmx_error(ctx, PMX_E_INVALID, "the target is NULL");
	if (live->dialect == PMX_DIALECT_MYSQL)
	{
		PmxJson    *dom = pmx_json_parse(ctx, target, "target");
		PmxSchema  *json_model;
		const PmxJson *d;

		if (!dom || !(json_model = pmx_schema_from_json(ctx, dom, live->dialect)))
			return PMX_ERROR;
		/* premix_schema() output as the target: read its types as MariaDB's */
		d = pmx_json_get(dom, "dialect");
		if (d && d->type == PMX_JSON_STRING && strcmp(d->s, "mysql") == 0 &&
			pmx_mysql_normalize(ctx, json_model) != PMX_OK)
			return PMX_ERROR;
		pmx_mysql_fold_equivalents(json_model);
		if (pmx_validate_target(ctx, json_model, live_model, opts) != PMX_OK)
			return PMX_ERROR;
		return pmx_target_from_docs(ctx, json_model, opts, out);
	}
	if (!live->shadow_open)
		return pmx_error(ctx, PMX_E_UNSUPPORTED, "this host has no shadow database to normalize a target");
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	if (*p == '{' || *p == '[')
	{
		PmxJson    *dom = pmx_json_parse(ctx, target, "target");
		PmxSchema  *json_model;

		if (!dom || !(json_model = pmx_schema_from_json(ctx, dom, live->dialect)))
			return PMX_ERROR;
		portable_defaults(json_model);
		if (pmx_validate_target(ctx, json_model, live_model, opts) != PMX_OK ||
			load_json(ctx, live, live_model, json_model, out) != PMX_OK)
			return PMX_ERROR;
		pmx_copy_hints(ctx, json_model, *out);
		pmx_mark_implicit_names(ctx, json_model, *out);
		(*out)->enums = json_model->enums;
		(*out)->nenums = json_model->nenums;
		(*out)->enums_listed = json_model->enums_listed;
		return note_dialect_gaps(ctx, json_model, *out);
	}
	if (load_ddl(ctx, live, target, out) != PMX_OK)
		return PMX_ERROR;
	/* a DDL target may say what the model cannot carry: refuse, not drop */
	for (int i = 0; i < (*out)->ntables; i++)
		if ((*out)->tables[i]->unmodelled)
		{
			pmx_error(ctx, PMX_E_UNSUPPORTED, "table \"%s\" of the target uses %s, which premix does not model",
					  (*out)->tables[i]->name, (*out)->tables[i]->unmodelled);
			return pmx_error_hint(ctx, "Leave it out of the target and manage it by hand.");
		}
	return pmx_validate_target(ctx, *out, live_model, opts);
}
