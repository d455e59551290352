/*-------------------------------------------------------------------------
 *
 * pmx_util.c
 *	  Small string helpers: case folding, edit distance, name similarity,
 *	  nearest-name suggestions, SHA-256 (libnettle) and timestamps.
 *
 * IDENTIFICATION
 *	  shared/pmx_util.c
 *
 *-------------------------------------------------------------------------
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nettle/sha2.h>

#include "pmx_internal.h"

/* ASCII lower case of c. */
static int
fold_char(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

/* ASCII case-insensitive equality; false when either is NULL. */
bool
pmx_streq_fold(const char *a, const char *b)
{
	if (!a || !b)
		return false;
	while (*a && *b)
	{
		if (fold_char((unsigned char) *a) != fold_char((unsigned char) *b))
			return false;
		a++;
		b++;
	}
	return *a == *b;
}

/*
 * s cut to at most max bytes at a character boundary, with "..." when
 * something was cut, for messages.  s itself when short; "" on OOM.
 */
const char *
pmx_clip(PmxCtx *ctx, const char *s, size_t max)
{
	size_t		n = strlen(s);
	char	   *out;

	if (n <= max)
		return s;
	n = max;
	/* back off continuation bytes (10xxxxxx) to the start of a character */
	while (n > 0 && ((unsigned char) s[n] & 0xC0) == 0x80)
		n--;
	out = pmx_sprintf(ctx, "%.*s...", (int) n, s);
	return out ? out : "";
}

/* Equality where two NULLs are equal. */
bool
pmx_streq_null(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

/* ASCII lower-case copy in the arena; NULL in -> NULL out. */
char *
pmx_lower(PmxCtx *ctx, const char *s)
{
	char	   *p = pmx_strdup(ctx, s);

	for (char *q = p; q && *q; q++)
		*q = (char) fold_char((unsigned char) *q);
	return p;
}

/* ASCII upper-case copy in the arena; NULL in -> NULL out. */
char *
pmx_upper(PmxCtx *ctx, const char *s)
{
	char	   *p = pmx_strdup(ctx, s);

	for (char *q = p; q && *q; q++)
		if (*q >= 'a' && *q <= 'z')
			*q = (char) (*q - 32);
	return p;
}

/*
 * Edit distance between a and b (ASCII case-insensitive), capped: strings
 * longer than 256 bytes return a large number.  Uses stack memory only.
 */
int
pmx_levenshtein(const char *a, const char *b)
{
	size_t		la = strlen(a),
				lb = strlen(b);
	int			row[257];

	if (la > 256 || lb > 256)
		return 1 << 20;
	for (size_t j = 0; j <= lb; j++)
		row[j] = (int) j;
	for (size_t i = 1; i <= la; i++)
	{
		int			diag = row[0];

		row[0] = (int) i;
		for (size_t j = 1; j <= lb; j++)
		{
			int			up = row[j];
			int			cost = fold_char((unsigned char) a[i - 1]) ==
				fold_char((unsigned char) b[j - 1]) ? 0 : 1;
			int			best = diag + cost;

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

/* Copy s without '_', '-' and spaces, folded; out has room for 257. */
static void
squash_name(const char *s, char *out)
{
	size_t		n = 0;

	for (; *s && n < 256; s++)
		if (*s != '_' && *s != '-' && *s != ' ')
			out[n++] = (char) fold_char((unsigned char) *s);
	out[n] = '\0';
}

/*
 * Similarity of two names in [0, 1]: 1 - edit distance / longer length,
 * computed after dropping separators and case, so user_name ~ username is
 * 1.0 and email ~ contact is low.
 */
double
pmx_name_similarity(const char *a, const char *b)
{
	char		sa[257],
				sb[257];
	size_t		la,
				lb,
				longer;

	squash_name(a, sa);
	squash_name(b, sb);
	la = strlen(sa);
	lb = strlen(sb);
	longer = la > lb ? la : lb;
	if (longer == 0)
		return 1.0;
	return 1.0 - (double) pmx_levenshtein(sa, sb) / (double) longer;
}

/*
 * The candidate closest to name by edit distance, if within max_distance
 * (or within a third of the name's length when max_distance < 0).  NULL
 * when nothing is close.  Returns a pointer into candidates.
 */
const char *
pmx_nearest(const char *name, const char *const *candidates, size_t n,
			int max_distance)
{
	const char *best = NULL;
	int			best_d = 1 << 20;
	int			limit = max_distance;

	if (limit < 0)
	{
		limit = (int) (strlen(name) / 3);
		if (limit < 2)
			limit = 2;
	}
	for (size_t i = 0; i < n; i++)
	{
		int			d = pmx_levenshtein(name, candidates[i]);

		if (d < best_d)
		{
			best_d = d;
			best = candidates[i];
		}
	}
	return best_d <= limit ? best : NULL;
}

_Static_assert(sizeof(struct sha256_ctx) <= PMX_SHA256_STATE, "PmxSha256 too small");

/* Start an incremental SHA-256 (libnettle). */
void
pmx_sha256_begin(PmxSha256 *h)
{
	sha256_init((struct sha256_ctx *) h->state);
}

/* Add len bytes to the hash. */
void
pmx_sha256_add(PmxSha256 *h, const void *data, size_t len)
{
	sha256_update((struct sha256_ctx *) h->state, len, data);
}

/* Finish: 64 lower-case hex digits into out. */
void
pmx_sha256_end(PmxSha256 *h, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	uint8_t		digest[SHA256_DIGEST_SIZE];

	sha256_digest((struct sha256_ctx *) h->state, sizeof(digest), digest);
	for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
	{
		out[2 * i] = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 15];
	}
	out[64] = '\0';
}

/* SHA-256 of data as 64 lower-case hex digits. */
void
pmx_sha256_hex(const void *data, size_t len, char out[65])
{
	PmxSha256	h;

	pmx_sha256_begin(&h);
	pmx_sha256_add(&h, data, len);
	pmx_sha256_end(&h, out);
}

/* Format the current UTC time with fmt into the arena; NULL on failure. */
static char *
utc_format(PmxCtx *ctx, const char *fmt)
{
	time_t		now = time(NULL);
	struct tm	tmv;
	char		out[32];

	if (!gmtime_r(&now, &tmv) || strftime(out, sizeof(out), fmt, &tmv) == 0)
	{
		pmx_error(ctx, PMX_E_INTERNAL, "cannot read the clock");
		return NULL;
	}
	return pmx_strdup(ctx, out);
}

/* Current UTC time as a migration version, YYYYMMDDHHMMSS. */
char *
pmx_timestamp_version(PmxCtx *ctx)
{
	return utc_format(ctx, "%Y%m%d%H%M%S");
}

/* Current UTC time in ISO-8601, YYYY-MM-DDTHH:MM:SSZ. */
char *
pmx_timestamp_iso(PmxCtx *ctx)
{
	return utc_format(ctx, "%Y-%m-%dT%H:%M:%SZ");
}
