/*-------------------------------------------------------------------------
 *
 * pmx_json.h
 *	  JSON in and out: an arena DOM filled by the parser, and a writer.
 *
 * The parser (pmx_json_parse.c) builds PmxJson nodes in the arena in one
 * pass, keeping the input's key order; its errors give line, column and
 * byte position, and it refuses duplicate object keys.
 *
 * The writer emits deterministic JSON: keys in the order the caller writes
 * them, no floating point, one line with ", " and ": " separators.
 *
 * IDENTIFICATION
 *	  shared/pmx_json.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PMX_JSON_H
#define PMX_JSON_H

#include "pmx_internal.h"

typedef enum PmxJsonType
{
	PMX_JSON_NULL,
	PMX_JSON_BOOL,
	PMX_JSON_INT,
	PMX_JSON_REAL,
	PMX_JSON_STRING,
	PMX_JSON_ARRAY,
	PMX_JSON_OBJECT
} PmxJsonType;

typedef struct PmxJson PmxJson;
struct PmxJson
{
	PmxJsonType type;
	bool		b;
	long long	i;
	double		r;
	const char *s;				/* STRING */
	size_t		n;				/* ARRAY items / OBJECT members */
	const char **keys;			/* OBJECT */
	PmxJson   **items;			/* ARRAY and OBJECT values */
};

/*
 * Parse text into an arena DOM.  On malformed input returns NULL with
 * PMX_E_JSON naming line, column and byte position; what names the input
 * in the message ("target", "plan", "options").
 */
PmxJson    *pmx_json_parse(PmxCtx *ctx, const char *text, const char *what);

PmxJson    *pmx_json_get(const PmxJson *obj, const char *key);	/* NULL if absent */

/*
 * Fail with PMX_E_INVALID unless obj is an object whose keys are all in
 * allowed (NULL-terminated).  The message names the key and its path
 * ("unknown key \"nulable\" at tables[0].columns[1].nulable"), the detail
 * lists the known keys, the hint the nearest one.  path "" is the root,
 * called root_name in messages.
 */
int			pmx_json_check_keys(PmxCtx *ctx, const PmxJson *obj, const char *path,
								const char *root_name, const char *const *allowed);
const char *pmx_json_type_name(PmxJsonType t);

/* ---- writer ---- */
typedef struct PmxJsonWriter
{
	PmxBuf		buf;
	int			depth;
	bool		need_comma[PMX_JSON_MAX_DEPTH + 1];
	bool		after_key;
} PmxJsonWriter;

void		pmx_jw_init(PmxJsonWriter *w, PmxCtx *ctx);
void		pmx_jw_begin_object(PmxJsonWriter *w);
void		pmx_jw_end_object(PmxJsonWriter *w);
void		pmx_jw_begin_array(PmxJsonWriter *w);
void		pmx_jw_end_array(PmxJsonWriter *w);
void		pmx_jw_key(PmxJsonWriter *w, const char *key);
void		pmx_jw_string(PmxJsonWriter *w, const char *s);	/* NULL -> null */
void		pmx_jw_bool(PmxJsonWriter *w, bool v);
void		pmx_jw_int(PmxJsonWriter *w, long long v);
void		pmx_jw_null(PmxJsonWriter *w);
void		pmx_jw_raw(PmxJsonWriter *w, const char *json);	/* pre-rendered value */
char	   *pmx_jw_finish(PmxJsonWriter *w);	/* NULL on OOM */

/* append s as a JSON string literal (quotes included) */
void		pmx_json_quote(PmxBuf *b, const char *s);

#endif							/* PMX_JSON_H */
