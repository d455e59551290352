/*-------------------------------------------------------------------------
 *
 * pg_premix.c
 *	  The PostgreSQL host: the SQL functions premix_schema, premix_diff,
 *	  premix_preview, premix_apply and premix_migrate over the core.
 *
 * Each call connects to SPI, pins search_path to the caller's schemas
 * (current_schema() first: the schema premix works on), pg_catalog left
 * implicit so it is searched first, and pg_temp last, so neither a
 * temporary table nor a user's operator stands in for what premix means;
 * runs the core, restores search_path and returns the result; a
 * core error becomes ereport(ERROR) with its SQLSTATE, message, detail
 * and hint.
 *
 * The core never sees a longjmp: every statement it runs goes through
 * run_sql(), which runs it in an internal subtransaction and turns a
 * PostgreSQL error into a core error (the subtransaction rolled back, the
 * caller's transaction intact).  The apply's own atomicity is another
 * internal subtransaction (the savepoint callback), and the shadow that
 * normalizes a target is a third: temporary tables created in it vanish
 * when it is rolled back.
 *
 * Memory: the core's arena lives in a memory context of this call,
 * allocated with MCXT_ALLOC_NO_OOM so the core sees NULL, not a longjmp.
 *
 * IDENTIFICATION
 *	  pg_premix/pg_premix.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "nodes/params.h"
#include "parser/parser.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/resowner.h"

#include "premix.h"
#include "pg_catalog_read.h"
#include "pg_catalog_token.h"
#include "pg_plan_keep.h"
#include "pg_rows.h"
#include "pg_subxact.h"
#include "pg_spell_types.h"

PG_MODULE_MAGIC;

/*
 * premix.native_catalog_token (on): the catalog token is read by direct
 * catalog scans (pg_catalog_token.c); off, by q_token's SQL, the
 * definition the scans reproduce (pg_regress catalog_token compares them).
 * A session started with ignore_system_indexes gets the SQL.
 */
static bool native_catalog_token = true;

/*
 * premix.native_catalog_read (on): the rows of the catalog queries premix
 * reads its model with (columns, constraints, indexes, enum types) come from direct
 * catalog scans (pg_catalog_read.c); off, from the queries' SQL, which
 * the scans reproduce (pg_regress native_reads compares them).  A session
 * started with ignore_system_indexes gets the SQL.
 */
static bool native_catalog_read = true;

void		_PG_init(void);

/* Module load: premix's settings. */
void
_PG_init(void)
{
	DefineCustomBoolVariable("premix.native_catalog_token",
							 "Reads premix's catalog token by direct catalog scans instead of by SQL.",
							 "A diagnostic setting: both give the same token; the scans are faster.",
							 &native_catalog_token, true, PGC_USERSET,
							 GUC_NOT_IN_SAMPLE, NULL, NULL, NULL);
	DefineCustomBoolVariable("premix.native_catalog_read",
							 "Reads premix's model of the schema by direct catalog scans instead of by SQL.",
							 "A diagnostic setting: both read the same model; the scans are faster.",
							 &native_catalog_read, true, PGC_USERSET,
							 GUC_NOT_IN_SAMPLE, NULL, NULL, NULL);
	MarkGUCPrefixReserved("premix");
}

#define MAX_SUBXACTS 8

typedef struct PgHost
{
	MemoryContext mcxt;			/* the arena's memory */
	MemoryContext callcxt;		/* the context to come back to */
	ResourceOwner owners[MAX_SUBXACTS];	/* owner before each open subxact */
	int			depth;
	PmxCtx	  **ctx_slot;		/* in mcxt: the context, for the reset callback */
} PgHost;

/* Allocator for the core: NULL on out-of-memory, never a longjmp. */
static void *
host_alloc(void *ud, size_t size)
{
	PgHost	   *h = ud;

	return MemoryContextAllocExtended(h->mcxt, size, MCXT_ALLOC_NO_OOM | MCXT_ALLOC_HUGE);
}

/* Free for the core's allocator. */
static void
host_free(void *ud, void *p)
{
	(void) ud;
	if (p)
		pfree(p);
}

/*
 * Hand a caught PostgreSQL error to the core: the server's message, the
 * statement, and the way out -- premix's own for the errors a user meets
 * (privileges, lock_timeout, the lock table), else the server's hint.
 */
static void
report_pg_error(PmxCtx *ctx, ErrorData *ed, const char *sql)
{
	PmxError	e;

	pmx_error_sql(ctx, ed->message, sql);
	pmx_error_sql_state(ctx, unpack_sql_state(ed->sqlerrcode));
	e = *pmx_ctx_error(ctx);
	if (ed->sqlerrcode == ERRCODE_INSUFFICIENT_PRIVILEGE)
		pmx_error_report(ctx, PMX_E_SQL, e.message, e.detail,
						 "premix runs with your privileges: have the owner run the migration, or grant what the message names.");
	else if (ed->sqlerrcode == ERRCODE_LOCK_NOT_AVAILABLE)
		pmx_error_report(ctx, PMX_E_SQL, e.message,
						 psprintf("%s Another transaction holds a lock this statement needs, and premix stopped waiting when lock_timeout expired instead of queueing behind it (and blocking everyone after it).",
								  e.detail ? e.detail : ""),
						 "Retry when the other transaction has finished (pg_stat_activity shows it), or pass a longer {\"lock_timeout\": \"...\"} option.");
	else if (ed->sqlerrcode == ERRCODE_OUT_OF_MEMORY && ed->hint && strstr(ed->hint, "max_locks_per_transaction"))
		pmx_error_report(ctx, PMX_E_SQL, e.message, e.detail,
						 "The server's lock table is full: a transaction holds a lock on every table, index and sequence it creates or changes until it ends. Raise max_locks_per_transaction, or migrate in parts (option scope \"listed\").");
	else if (ed->hint)
		pmx_error_report(ctx, PMX_E_SQL, e.message, e.detail, ed->hint);
}

/* The statements of one run_statements call, and how far they got. */
typedef struct Statements
{
	char	   *const *sql;
	int			n;
	PmxRowFn	row;
	void	   *arg;
	bool		script;
	ParamListInfo params;		/* values of $1..$n, or NULL */
	int			at;				/* the statement running (or that threw) */
	int			rc;				/* PMX_ERROR once a row() failed */
} Statements;

/*
 * Refuse text that holds more than one statement (should a target ever
 * smuggle a second one past the core's checks, the server's own parser
 * counts it here and nothing runs), or, in a script, transaction control.
 * Text that is not a script and holds no ';' is one statement at most
 * (the grammar separates statements by ';' only), and SPI refuses
 * transaction control itself (SPI_ERROR_TRANSACTION), so it is not
 * parsed twice: the second parse was over half of what running a plan's
 * steps cost beyond the server's DDL (perf, 1,000 tables).  Throws.
 */
static void
check_statement(const char *sql, bool script)
{
	List	   *parsed;
	ListCell   *lc;

	if (!script && !strchr(sql, ';'))
		return;
	parsed = raw_parser(sql, RAW_PARSE_DEFAULT);

	if (!script && list_length(parsed) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_SYNTAX_ERROR),
				 errmsg("premix runs one statement at a time, and this text holds several")));
	foreach(lc, parsed)
		if (IsA(lfirst_node(RawStmt, lc)->stmt, TransactionStmt))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TRANSACTION_TERMINATION),
					 errmsg("a migration script must not contain transaction control (BEGIN, COMMIT, ROLLBACK, SAVEPOINT)"),
					 errhint("premix runs the script inside the caller's transaction, with its checks and the ledger row: remove BEGIN/COMMIT from the migration.")));
}

/* pgpmx_subxact body: run the statements in order; throws. */
static void
statements_body(void *p)
{
	Statements *st = p;

	for (st->at = 0; st->at < st->n && st->rc == PMX_OK; st->at++)
	{
		const char *sql = st->sql[st->at];
		SPIPlanPtr	kept = !st->script && st->row ? pgpmx_kept_plan(sql) : NULL;
		SPIExecuteOptions opts;
		PgRows		rows;
		int			ret;

		/* rows go to the core as the executor makes them */
		memset(&opts, 0, sizeof(opts));
		opts.params = st->params;
		if (st->row)
		{
			pgpmx_rows_init(&rows, st->row, st->arg);
			opts.dest = &rows.pub;
		}
		if (kept)				/* one of the core's catalog queries */
			ret = SPI_execute_plan_extended(kept, &opts);
		else
		{
			check_statement(sql, st->script);
			ret = SPI_execute_extended(sql, &opts);
		}
		if (ret < 0)
			elog(ERROR, "SPI_execute failed: %s", SPI_result_code_string(ret));
		if (st->row && rows.rc != PMX_OK)
			st->rc = PMX_ERROR;
		if (SPI_tuptable)
			SPI_freetuptable(SPI_tuptable);
	}
}

/*
 * Run st's statements in order in one internal subtransaction, each text
 * checked to be one statement (check_statement); call st->row for each
 * result row (values as text, NULL for SQL NULL).  A PostgreSQL error is
 * caught, the subtransaction rolled back, the error handed to the core,
 * and *failed_at (when given) names the statement.  Returns PMX_OK or
 * PMX_ERROR.
 */
static int
run_statements_with(PmxCtx *ctx, Statements *st, int *failed_at)
{
	ErrorData  *ed = pgpmx_subxact(statements_body, st);

	if (!ed)
		return st->rc;
	if (failed_at)
		*failed_at = st->at;
	report_pg_error(ctx, ed, st->sql[st->at]);
	FreeErrorData(ed);
	return PMX_ERROR;
}

/* run_statements_with for sql[0..n), without parameters. */
static int
run_statements(PmxCtx *ctx, char *const *sql, int n, PmxRowFn row, void *arg,
			   int *failed_at, bool script)
{
	Statements	st = {sql, n, row, arg, script, NULL, 0, PMX_OK};

	return run_statements_with(ctx, &st, failed_at);
}

/* One statement in its own subtransaction; see run_statements. */
static int
run_sql(PgHost *h, PmxCtx *ctx, const char *sql, PmxRowFn row, void *arg)
{
	char	   *one = (char *) sql;

	(void) h;
	return run_statements(ctx, &one, 1, row, arg, NULL, false);
}

/*
 * PmxDb.exec_batch: sql[0..n) in one internal subtransaction (the shadow's
 * DDL, a plan's steps between two data checks: the whole is rolled back
 * on any error anyway, so one subtransaction for all of it saves the
 * per-statement bookkeeping).
 */
static int
host_exec_batch(void *ud, PmxCtx *ctx, char *const *sql, int n, int *failed_at)
{
	(void) ud;
	return run_statements(ctx, sql, n, NULL, NULL, failed_at, false);
}

/*
 * PmxDb.exec_script: a user's migration script, all its statements in one
 * SPI_execute inside one subtransaction (transaction control refused).
 */
static int
host_exec_script(void *ud, PmxCtx *ctx, const char *sql, PmxStmtFn each, void *arg)
{
	char	   *text = (char *) sql;

	(void) ud;
	if (run_statements(ctx, &text, 1, NULL, NULL, NULL, true) != PMX_OK)
		return PMX_ERROR;
	return each ? each(arg, 0) : PMX_OK;
}

/* PmxDb.query */
static int
host_query(void *ud, PmxCtx *ctx, const char *sql, PmxRowFn row, void *arg)
{
	return run_sql(ud, ctx, sql, row, arg);
}

/*
 * PmxDb.query_params: one statement whose $1..$n are values[0..n), passed
 * as text parameters (the statement casts where a column wants another
 * type).
 */
static int
host_query_params(void *ud, PmxCtx *ctx, const char *sql, int n,
				  const char *const *values, PmxRowFn row, void *arg)
{
	char	   *one = (char *) sql;
	Statements	st = {&one, 1, row, arg, false, makeParamList(n), 0, PMX_OK};

	(void) ud;
	for (int i = 0; i < n; i++)
	{
		ParamExternData *p = &st.params->params[i];

		p->ptype = TEXTOID;
		p->pflags = PARAM_FLAG_CONST;
		p->isnull = values[i] == NULL;
		p->value = values[i] ? CStringGetTextDatum(values[i]) : (Datum) 0;
	}
	return run_statements_with(ctx, &st, NULL);
}

/* PmxDb.exec */
static int
host_exec(void *ud, PmxCtx *ctx, const char *sql)
{
	return run_sql(ud, ctx, sql, NULL, NULL);
}

/*
 * Release (commit) or roll back premix's innermost open subtransaction and
 * return to the memory context and resource owner from before it.
 */
static void
close_subxact(PgHost *h, bool commit)
{
	MemoryContext oldcxt = CurrentMemoryContext;

	if (commit)
		ReleaseCurrentSubTransaction();
	else
		RollbackAndReleaseCurrentSubTransaction();
	MemoryContextSwitchTo(oldcxt);
	CurrentResourceOwner = h->owners[--h->depth];
}

/*
 * PmxDb.savepoint: open, release or roll back an internal subtransaction
 * that outlives single statements (the apply, the shadow).
 */
static int
host_savepoint(void *ud, PmxCtx *ctx, PmxSavepointOp op)
{
	PgHost	   *h = ud;
	MemoryContext oldcxt = CurrentMemoryContext;

	if (op == PMX_SP_BEGIN)
	{
		if (h->depth >= MAX_SUBXACTS)
			return pmx_error_report(ctx, PMX_E_INTERNAL, "too many nested premix subtransactions", NULL, NULL);
		h->owners[h->depth++] = CurrentResourceOwner;
		BeginInternalSubTransaction(NULL);
		MemoryContextSwitchTo(oldcxt);
		return PMX_OK;
	}
	if (h->depth == 0)
		return pmx_error_report(ctx, PMX_E_INTERNAL, "no premix subtransaction is open", NULL, NULL);
	close_subxact(h, op == PMX_SP_RELEASE);
	return PMX_OK;
}

/* Row callback: keep the first value of the first row (arena copy). */
typedef struct FirstValue
{
	PmxCtx	   *ctx;
	PgHost	   *h;
	char	   *v;
} FirstValue;

static int
on_first_value(void *arg, int ncols, const char *const *v)
{
	FirstValue *f = arg;

	if (!f->v && ncols > 0 && v[0])
	{
		f->v = MemoryContextStrdup(f->h->mcxt, v[0]);
	}
	return PMX_OK;
}

/* The first value of sql's first row, or NULL (error set on failure). */
static char *
query_value(PgHost *h, PmxCtx *ctx, const char *sql, bool *failed)
{
	FirstValue	f = {ctx, h, NULL};

	*failed = run_sql(h, ctx, sql, on_first_value, &f) != PMX_OK;
	return f.v;
}

/* Set search_path locally to path (a literal is built by the server). */
static int
set_search_path(PgHost *h, PmxCtx *ctx, const char *path)
{
	char	   *sql = psprintf("SELECT pg_catalog.set_config('search_path', %s, true)",
							   quote_literal_cstr(path));

	return run_sql(h, ctx, sql, NULL, NULL);
}

static void host_shadow_close(PmxDb *shadow);

/*
 * PmxDb.shadow_open: a subtransaction holding a scratch schema
 * premix_shadow_<pid> first on search_path, so the target's CREATE
 * statements land there and vanish when shadow_close rolls it back.  A
 * role that may not create schemas gets the session's temporary schema
 * instead (the core then keeps only the tables it created there).
 */
static int
host_shadow_open(void *ud, PmxCtx *ctx, PmxDb *out)
{
	PgHost	   *h = ud;
	bool		failed;
	char	   *path,
			   *scratch = psprintf("premix_shadow_%d", MyProcPid);

	if (host_savepoint(h, ctx, PMX_SP_BEGIN) != PMX_OK)
		return PMX_ERROR;
	path = query_value(h, ctx, "SELECT pg_catalog.current_setting('search_path')", &failed);
	if (!failed)
	{
		out->temp_only = 0;
		if (run_sql(h, ctx, psprintf("CREATE SCHEMA %s", scratch), NULL, NULL) != PMX_OK)
		{
			pmx_ctx_clear_error(ctx);
			scratch = "pg_temp";
			out->temp_only = 1;
		}
		failed = set_search_path(h, ctx, psprintf("%s, %s", scratch, path ? path : "pg_catalog")) != PMX_OK;
	}
	if (failed)
	{
		host_savepoint(h, ctx, PMX_SP_ROLLBACK);
		return PMX_ERROR;
	}
	out->ud = h;
	out->dialect = PMX_DIALECT_POSTGRES;
	out->in_transaction = 1;
	out->query = host_query;
	out->query_params = host_query_params;
	out->exec = host_exec;
	out->shadow_open = NULL;
	out->shadow_close = host_shadow_close;
	out->savepoint = NULL;
	out->exec_batch = host_exec_batch;
	if (native_catalog_read && !IgnoreSystemIndexes)
		out->read_catalog = pgpmx_read_catalog;
	return PMX_OK;
}

/* PmxDb.shadow_close: roll the shadow back (the temp tables go with it). */
static void
host_shadow_close(PmxDb *shadow)
{
	PgHost	   *h = shadow->ud;

	if (h->depth > 0)
		close_subxact(h, false);
}

typedef enum Entry
{
	E_SCHEMA,
	E_DIFF,
	E_PREVIEW,
	E_APPLY,
	E_MIGRATE,
	E_SCRIPT,
	E_RUN,
	E_ROLLBACK,
	E_STATUS,
	E_PURGE
} Entry;

/* Argument i as a C string: jsonb printed, text as is; NULL for SQL NULL. */
static char *
arg_cstring(FunctionCallInfo fcinfo, int i)
{
	Oid			t;

	if (PG_NARGS() <= i || PG_ARGISNULL(i))
		return NULL;
	t = get_fn_expr_argtype(fcinfo->flinfo, i);
	if (t == JSONBOID)
	{
		Jsonb	   *jb = PG_GETARG_JSONB_P(i);

		return JsonbToCString(NULL, &jb->root, VARSIZE(jb));
	}
	return text_to_cstring(PG_GETARG_TEXT_PP(i));
}

/* The pool's allocator: plain malloc, as the pool outlives every call. */
static void *
pool_malloc(void *ud, size_t size)
{
	(void) ud;
	return malloc(size);
}

/* Free for the pool's allocator. */
static void
pool_free(void *ud, void *p)
{
	(void) ud;
	free(p);
}

/*
 * The backend's pool of arena blocks (see pmx_pool.c): a 1,000-table diff
 * works in tens of MB, which freed at each call's end went back to the
 * system and was faulted in again by the next.  Kept for the backend's
 * life, at most 64 MB; created at the first call (NULL when malloc failed:
 * calls then work without it).
 */
static PmxPool *backend_pool = NULL;

#define PG_POOL_KEEP ((Size) 64 * 1024 * 1024)

/*
 * Reset callback of a call's memory context: when an error escapes, the
 * context goes at abort and takes the PmxCtx with it, but the arena's
 * blocks are the pool's: give them back first.  After a normal end
 * pmx_ctx_free has already done so and cleared the pointer.
 */
static void
release_arena_at_reset(void *arg)
{
	PmxCtx	  **slot = arg;

	pmx_ctx_release_arena(*slot);
	*slot = NULL;
}

/*
 * A core context whose arena is a memory context of its own, below the
 * caller's, its blocks from the backend's pool; ereports on out of
 * memory.  host_ctx_free() after a normal end, or the memory context's
 * reset at abort, releases it.
 */
static PmxCtx *
host_ctx_new(PgHost *h)
{
	PmxAllocator alloc;
	PmxCtx	   *ctx;
	MemoryContextCallback *cb;

	memset(h, 0, sizeof(*h));
	h->callcxt = CurrentMemoryContext;
	h->mcxt = AllocSetContextCreate(CurrentMemoryContext, "premix", ALLOCSET_DEFAULT_SIZES);
	if (!backend_pool)
	{
		PmxAllocator pa = {NULL, pool_malloc, pool_free};

		backend_pool = pmx_pool_new(&pa, PG_POOL_KEEP);
	}
	alloc.ud = h;
	alloc.alloc = host_alloc;
	alloc.free = host_free;
	if (!(ctx = pmx_ctx_new_pooled(&alloc, backend_pool)))
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("premix: out of memory")));
	h->ctx_slot = MemoryContextAlloc(h->mcxt, sizeof(PmxCtx *));
	*h->ctx_slot = ctx;
	cb = MemoryContextAlloc(h->mcxt, sizeof(MemoryContextCallback));
	cb->func = release_arena_at_reset;
	cb->arg = h->ctx_slot;
	MemoryContextRegisterResetCallback(h->mcxt, cb);
	return ctx;
}

/* Free the context after a normal end, then its memory context. */
static void
host_ctx_free(PgHost *h, PmxCtx *ctx)
{
	*h->ctx_slot = NULL;
	pmx_ctx_free(ctx);
	MemoryContextDelete(h->mcxt);
}

/* Raise the core's error as a PostgreSQL error (does not return). */
static void
raise_error(const PmxError *e)
{
	/* the server's own SQLSTATE when a statement of premix's failed */
	const char *st = e->code == PMX_E_SQL && e->db_sqlstate[0] ? e->db_sqlstate : e->sqlstate;

	ereport(ERROR,
			(errcode(MAKE_SQLSTATE(st[0], st[1], st[2], st[3], st[4])),
			 errmsg("premix: %s", e->message),
			 e->detail ? errdetail("%s", e->detail) : 0,
			 e->hint ? errhint("%s", e->hint) : 0));
}

/* One SQL-callable entry: see the file header. */
static Datum
call(FunctionCallInfo fcinfo, Entry entry)
{
	PgHost		h;
	PmxCtx	   *ctx;
	PmxDb		db;
	char	   *out = NULL;
	char	   *a0 = entry == E_STATUS ? NULL : arg_cstring(fcinfo, 0);
	char	   *opt = NULL;
	char	   *run_name = NULL,
			   *run_up = NULL,
			   *run_down = NULL;
	bool		allow = false;
	bool		failed;
	char	   *schema,
			   *old_path,
			   *old_scs = NULL;
	int			rc;
	Datum		result;

	ctx = host_ctx_new(&h);

	switch (entry)
	{
		case E_SCHEMA:
			opt = a0;
			break;
		case E_DIFF:
		case E_PREVIEW:
			opt = arg_cstring(fcinfo, 1);
			break;
		case E_APPLY:
			allow = PG_NARGS() > 1 && !PG_ARGISNULL(1) && PG_GETARG_BOOL(1);
			break;
		case E_MIGRATE:
			allow = PG_NARGS() > 1 && !PG_ARGISNULL(1) && PG_GETARG_BOOL(1);
			opt = arg_cstring(fcinfo, 2);
			break;
		case E_RUN:
			run_name = arg_cstring(fcinfo, 1);
			run_up = arg_cstring(fcinfo, 2);
			run_down = arg_cstring(fcinfo, 3);
			allow = PG_NARGS() > 4 && !PG_ARGISNULL(4) && PG_GETARG_BOOL(4);
			opt = arg_cstring(fcinfo, 5);
			break;
		case E_PURGE:
			allow = PG_NARGS() > 1 && !PG_ARGISNULL(1) && PG_GETARG_BOOL(1);
			break;
		default:
			break;
	}
	if ((entry == E_DIFF || entry == E_PREVIEW || entry == E_APPLY || entry == E_MIGRATE ||
		 entry == E_SCRIPT) && !a0)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("premix: the %s is NULL", entry == E_APPLY || entry == E_SCRIPT ? "plan" : "target"),
				 errhint("Pass a JSON target (or CREATE statements), or a plan from premix_diff.")));

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "premix: SPI_connect failed");

	memset(&db, 0, sizeof(db));
	db.ud = &h;
	db.dialect = PMX_DIALECT_POSTGRES;
	db.in_transaction = 1;
	db.query = host_query;
	db.query_params = host_query_params;
	db.exec = host_exec;
	db.shadow_open = host_shadow_open;
	db.shadow_close = host_shadow_close;
	db.savepoint = host_savepoint;
	db.exec_script = host_exec_script;
	db.exec_batch = host_exec_batch;
	db.spell_types = pgpmx_spell_types;
#ifdef HAVE_INT128
	/* the scans read system indexes: not when the session ignores them */
	if (native_catalog_token && !IgnoreSystemIndexes)
		db.catalog_token = pgpmx_catalog_token;
#endif
	if (native_catalog_read && !IgnoreSystemIndexes)
		db.read_catalog = pgpmx_read_catalog;

	/*
	 * The schema to work on: the options' "schemas": ["name"] (the core
	 * checks the option's shape and refuses more than one), else the
	 * caller's current_schema().  It goes first on the pinned search_path.
	 */
	schema = NULL;
	failed = false;
	if (opt)
	{
		schema = query_value(&h, ctx,
							 psprintf("SELECT CASE WHEN pg_catalog.jsonb_typeof(o -> 'schemas') = 'array' "
									  "AND pg_catalog.jsonb_array_length(o -> 'schemas') = 1 THEN o #>> '{schemas,0}' END "
									  "FROM (SELECT %s::pg_catalog.jsonb AS o) s", quote_literal_cstr(opt)),
							 &failed);
		if (failed)
		{
			/* malformed options: the core reports them, with the position */
			pmx_ctx_clear_error(ctx);
			failed = false;
		}
	}
	if (!failed && schema)
	{
		char	   *ok = query_value(&h, ctx,
									 psprintf("SELECT pg_catalog.count(*) FROM pg_catalog.pg_namespace WHERE nspname = %s",
											  quote_literal_cstr(schema)), &failed);

		if (!failed && ok && strcmp(ok, "0") == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_SCHEMA_NAME),
					 errmsg("premix: schema \"%s\" does not exist", schema),
					 errhint("Create the schema first, or name an existing one in the option schemas.")));
	}
	if (!failed && !schema)
		schema = query_value(&h, ctx, "SELECT pg_catalog.current_schema()", &failed);
	if (!failed && schema && (strcmp(schema, "premix") == 0 || strcmp(schema, "premix_trash") == 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_SCHEMA_NAME),
				 errmsg("premix: premix's own schema \"%s\" is not migrated by premix", schema),
				 errhint("SET search_path to your application's schema, or name it with the option schemas.")));
	old_path = failed ? NULL : query_value(&h, ctx, "SELECT pg_catalog.current_setting('search_path')", &failed);
	old_scs = failed ? NULL : query_value(&h, ctx, "SELECT pg_catalog.current_setting('standard_conforming_strings')", &failed);
	/* premix's SQL and its checks of target text read '\' as a plain byte */
	if (!failed)
		failed = run_sql(&h, ctx, "SELECT pg_catalog.set_config('standard_conforming_strings', 'on', true)",
						 NULL, NULL) != PMX_OK;
	if (!failed && !schema)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_SCHEMA_NAME),
				 errmsg("premix: no schema on search_path exists"),
				 errhint("SET search_path TO the schema premix should work on.")));
	if (!failed)
	{
		/*
		 * The caller's schemas in order (the first is where premix works and
		 * creates), pg_catalog left implicit so it is searched first, and
		 * pg_temp named last so no temporary table stands in for a table.
		 */
		char	   *pinned = query_value(&h, ctx,
										 psprintf("SELECT pg_catalog.string_agg(pg_catalog.quote_ident(n), ', ' ORDER BY o) || ', pg_temp' "
												  "FROM pg_catalog.unnest(ARRAY[%s]::pg_catalog.name[] || pg_catalog.current_schemas(false)) WITH ORDINALITY AS s(n, o) "
												  "WHERE n <> 'pg_catalog' AND n NOT LIKE 'pg\\_temp\\_%%' "
												  "AND (o = 1 OR n <> %s)",
												  quote_literal_cstr(schema), quote_literal_cstr(schema)), &failed);

		if (!failed)
			failed = set_search_path(&h, ctx, pinned ? pinned : "pg_temp") != PMX_OK;
	}
	if (failed)
		rc = PMX_ERROR;
	else
	{
		switch (entry)
		{
			case E_SCHEMA:
				rc = pmx_schema(ctx, &db, opt, &out);
				break;
			case E_DIFF:
				rc = pmx_diff(ctx, &db, a0, opt, &out);
				break;
			case E_PREVIEW:
				rc = pmx_preview(ctx, &db, a0, opt, &out);
				break;
			case E_APPLY:
				rc = pmx_apply(ctx, &db, a0, allow, "premix_apply", &out);
				break;
			case E_SCRIPT:
				rc = pmx_script(ctx, &db, a0, &out);
				break;
			case E_RUN:
				rc = pmx_run(ctx, &db, a0, run_name, run_up, run_down, allow, opt, &out);
				break;
			case E_ROLLBACK:
				rc = pmx_rollback(ctx, &db, a0, &out);
				break;
			case E_STATUS:
				rc = pmx_status(ctx, &db, &out);
				break;
			case E_PURGE:
				rc = pmx_purge(ctx, &db, a0, allow, &out);
				break;
			default:
				rc = pmx_migrate(ctx, &db, a0, allow, opt, &out);
				break;
		}
		if (set_search_path(&h, ctx, old_path ? old_path : "") != PMX_OK && rc == PMX_OK)
			rc = PMX_ERROR;
		if (run_sql(&h, ctx, psprintf("SELECT pg_catalog.set_config('standard_conforming_strings', %s, true)",
									  quote_literal_cstr(old_scs ? old_scs : "on")), NULL, NULL) != PMX_OK &&
			rc == PMX_OK)
			rc = PMX_ERROR;
	}
	/*
	 * An error must not leave one of premix's subtransactions open: the
	 * abort would then stop at it and leave the caller's session in an
	 * aborted transaction block.  The core closes them on every path; this
	 * is the belt to its braces.
	 */
	while (h.depth > 0)
	{
		close_subxact(&h, false);
		if (rc == PMX_OK)
			rc = pmx_error_report(ctx, PMX_E_INTERNAL, "premix left a subtransaction open", NULL,
								  "This is a premix bug: please report it.");
	}
	if (rc != PMX_OK)
		raise_error(pmx_ctx_error(ctx));	/* SPI and memory cleaned at abort */

	SPI_finish();
	MemoryContextSwitchTo(h.callcxt);
	if (entry == E_PREVIEW)
		result = CStringGetTextDatum(out);
	else
		result = DirectFunctionCall1(jsonb_in, CStringGetDatum(out));
	host_ctx_free(&h, ctx);
	return result;
}

PG_FUNCTION_INFO_V1(premix_schema);
PG_FUNCTION_INFO_V1(premix_diff);
PG_FUNCTION_INFO_V1(premix_preview);
PG_FUNCTION_INFO_V1(premix_apply);
PG_FUNCTION_INFO_V1(premix_migrate);
PG_FUNCTION_INFO_V1(premix_script);
PG_FUNCTION_INFO_V1(premix_run);
PG_FUNCTION_INFO_V1(premix_rollback);
PG_FUNCTION_INFO_V1(premix_status);
PG_FUNCTION_INFO_V1(premix_purge);
PG_FUNCTION_INFO_V1(premix_parity);

/* premix_schema([options jsonb]) returns jsonb */
Datum
premix_schema(PG_FUNCTION_ARGS)
{
	return call(fcinfo, E_SCHEMA);
}

/* premix_diff(target, [options jsonb]) returns jsonb: the plan */
Datum
premix_diff(PG_FUNCTION_ARGS)
{
	return call(fcinfo, E_DIFF);
}

/* premix_preview(target_or_plan, [options jsonb]) returns text */
Datum
premix_preview(PG_FUNCTION_ARGS)
{
	return call(fcinfo, E_PREVIEW);
}

/* premix_apply(plan jsonb, [allow_destructive bool]) returns jsonb */
Datum
premix_apply(PG_FUNCTION_ARGS)
{
	return call(fcinfo, E_APPLY);
}

/* premix_migrate(target, [allow_destructive bool], [options jsonb]) returns jsonb */
Datum
premix_migrate(PG_FUNCTION_ARGS)
{
	return call(fcinfo, E_MIGRATE);
}

/* premix_script(plan jsonb) returns jsonb {"up", "down"} */
Datum
premix_script(PG_FUNCTION_ARGS)
{
	return call(fcinfo, E_SCRIPT);
}

/* premix_run(version, name, up_sql, [down_sql], [allow_destructive], [options]) returns jsonb */
Datum
premix_run(PG_FUNCTION_ARGS)
{
	return call(fcinfo, E_RUN);
}

/* premix_rollback([version text]) returns jsonb */
Datum
premix_rollback(PG_FUNCTION_ARGS)
{
	return call(fcinfo, E_ROLLBACK);
}

/* premix_status() returns jsonb: the ledger and drift */
Datum
premix_status(PG_FUNCTION_ARGS)
{
	return call(fcinfo, E_STATUS);
}

/* premix_purge([older_than text], [allow_destructive bool]) returns jsonb */
Datum
premix_purge(PG_FUNCTION_ARGS)
{
	return call(fcinfo, E_PURGE);
}

/*
 * premix_parity(a jsonb, b jsonb) returns jsonb: a pure function of its
 * arguments (no SPI, no search_path), so IMMUTABLE.
 */
Datum
premix_parity(PG_FUNCTION_ARGS)
{
	PgHost		h;
	PmxCtx	   *ctx;
	char	   *out = NULL;
	Datum		result;

	ctx = host_ctx_new(&h);
	if (pmx_parity(ctx, arg_cstring(fcinfo, 0), arg_cstring(fcinfo, 1), &out) != PMX_OK)
		raise_error(pmx_ctx_error(ctx));
	result = DirectFunctionCall1(jsonb_in, CStringGetDatum(out));
	host_ctx_free(&h, ctx);
	return result;
}
