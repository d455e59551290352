/*-------------------------------------------------------------------------
 *
 * cli.h
 *	  The premix command line: shared types and the functions each file
 *	  of cli/ offers the others.
 *
 * The command holds no migration logic: it reads and writes files and
 * calls the premix SQL functions of the database (premix_diff,
 * premix_script, premix_run, premix_rollback, premix_status, ...).  A
 * database is reached through PxConn, one small interface with a
 * PostgreSQL (libpq) and a SQLite (libsqlite3 + the loadable extension)
 * implementation.
 *
 * Memory: every string a function hands back is malloc'd and the caller
 * frees it with free(); PxErr fields are freed by px_err_clear().
 *
 * IDENTIFICATION
 *	  cli/cli.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PREMIX_CLI_H
#define PREMIX_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#define PX_CLI_VERSION "0.1.0"

/* exit status of the command (documented in premix --help) */
enum
{
	PX_EXIT_OK = 0,
	PX_EXIT_ERROR = 1,
	PX_EXIT_REFUSED = 2,
	PX_EXIT_DRIFT = 3
};

/*
 * An error, from the database or from the command itself.  All strings
 * are malloc'd or NULL; sqlstate is "" when there is none.
 */
typedef struct PxErr
{
	char	   *message;
	char	   *detail;
	char	   *hint;
	char		sqlstate[6];
} PxErr;

/* type of one argument of a premix SQL function */
typedef enum PxArgType
{
	PX_ARG_TEXT,
	PX_ARG_BOOL,				/* value "true" or "false" */
	PX_ARG_JSON					/* jsonb on PostgreSQL, text on SQLite */
} PxArgType;

/* one argument; value NULL is SQL NULL */
typedef struct PxArg
{
	PxArgType	type;
	const char *value;
} PxArg;

/* how to open a SQLite file (PostgreSQL ignores it) */
typedef enum PxOpenMode
{
	PX_OPEN_EXISTING,			/* the file must exist */
	PX_OPEN_CREATE,				/* create an empty database if missing */
	PX_OPEN_EMPTY_IF_MISSING	/* a missing file is read as an empty
								 * in-memory database, nothing created */
} PxOpenMode;

/* the operations a database connection offers */
typedef struct PxConnOps
{
	const char *dialect;		/* "postgresql" or "sqlite" */

	/*
	 * SELECT fn(args...) with every argument bound as a parameter (never
	 * pasted into the SQL text); fn is one of the CLI's own constant
	 * function names.  Sets *out to the malloc'd text of the single result
	 * (NULL when SQL NULL).  Returns 0, or -1 with err filled.
	 */
	int			(*call) (void *h, const char *fn, const PxArg *args, int nargs,
						 char **out, PxErr *err);

	/*
	 * Runs one SQL text without parameters (BEGIN, ROLLBACK, an
	 * after-commit statement).  Returns 0, or -1 with err filled.
	 */
	int			(*exec) (void *h, const char *sql, PxErr *err);

	/* closes the connection and frees h */
	void		(*close) (void *h);
} PxConnOps;

typedef struct PxConn
{
	const PxConnOps *ops;
	void	   *h;
	char	   *note;			/* malloc'd remark for the user, or NULL */
} PxConn;

/* conn.c */
extern int	px_connect(const char *url, PxOpenMode mode, PxConn *conn, PxErr *err);
extern void px_disconnect(PxConn *conn);
extern int	px_call(PxConn *conn, const char *fn, const PxArg *args, int nargs,
					char **out, PxErr *err);
extern int	px_exec(PxConn *conn, const char *sql, PxErr *err);

/* conn_pg.c, conn_sqlite.c: open a connection; 0 or -1 with err filled */
extern int	px_pg_open(const char *conninfo, PxConn *conn, PxErr *err);
extern int	px_sqlite_open(const char *path, PxOpenMode mode, PxConn *conn, PxErr *err);

/* error.c */
extern void px_err_set(PxErr *err, const char *sqlstate, const char *fmt,...)
			__attribute__((format(printf, 3, 4)));
extern void px_err_hint(PxErr *err, const char *fmt,...)
			__attribute__((format(printf, 2, 3)));
extern void px_err_detail(PxErr *err, const char *fmt,...)
			__attribute__((format(printf, 2, 3)));
extern void px_err_clear(PxErr *err);
extern void px_err_print(const char *cmd, const PxErr *err);
extern int	px_err_exit_code(const PxErr *err);
extern char *px_strdup(const char *s);
extern char *px_strndup(const char *s, size_t n);
extern char *px_printf(const char *fmt,...) __attribute__((format(printf, 1, 2)));

/* files.c: the migration directory */
typedef struct PxMigration
{
	char	   *version;		/* 14+ digits */
	char	   *name;			/* [a-z0-9_]+ */
	char	   *up_path;
	char	   *down_path;		/* NULL when there is no .down.sql */
} PxMigration;

typedef struct PxMigrationList
{
	PxMigration *items;
	size_t		count;
} PxMigrationList;

extern int	px_dir_list(const char *dir, PxMigrationList *list, PxErr *err);
extern void px_dir_free(PxMigrationList *list);
extern int	px_read_file(const char *path, char **text, PxErr *err);
extern int	px_write_new_file(const char *path, const char *text, PxErr *err);
extern bool px_valid_name(const char *name);
extern bool px_valid_version(const char *version);
extern int	px_version_cmp(const char *a, const char *b);

/* output.c: printing the database's JSON answers */
extern json_t *px_parse_json(const char *fn, const char *text, PxErr *err);
extern void px_print_effect(json_t *effect, const char *indent);
extern char *px_effect_summary(json_t *effect);
extern void px_print_table(const char *const *head, int ncols, char ***rows, size_t nrows);

/* commands (cmd_*.c); each returns the exit status */
typedef struct PxOpts
{
	const char *cmd;
	const char *db;
	const char *db2;			/* parity: the second database */
	const char *dir;
	const char *target;
	const char *to;
	const char *stamp;
	const char *name;
	bool		dir_given;
	bool		allow_destructive;
	bool		dry_run;
	bool		out_of_order;
} PxOpts;

extern int	px_cmd_new(const PxOpts *o);
extern int	px_cmd_diff(const PxOpts *o);
extern int	px_cmd_up(const PxOpts *o);
extern int	px_cmd_down(const PxOpts *o);
extern int	px_cmd_status(const PxOpts *o);
extern int	px_cmd_parity(const PxOpts *o);

/* help.c */
extern int	px_help(const char *cmd);
extern void px_usage_hint(const char *cmd);
extern bool px_known_command(const char *cmd);

#endif							/* PREMIX_CLI_H */
