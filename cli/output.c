/*-------------------------------------------------------------------------
 *
 * output.c
 *	  Reading the database's JSON answers (jansson) and printing them for
 *	  people: effect lists, effect summaries, aligned tables.
 *
 * IDENTIFICATION
 *	  cli/output.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/*
 * Parses the JSON text fn returned.  Returns a new reference (caller
 * json_decref's it), or NULL with err filled (text NULL, or not JSON).
 */
json_t *
px_parse_json(const char *fn, const char *text, PxErr *err)
{
	json_error_t jerr;
	json_t	   *j;

	if (text == NULL)
	{
		px_err_set(err, "XX000", "%s returned NULL", fn);
		return NULL;
	}
	j = json_loads(text, JSON_DECODE_ANY, &jerr);
	if (j == NULL)
	{
		px_err_set(err, "XX000", "%s returned text that is not JSON: %s", fn, jerr.text);
		return NULL;
	}
	return j;
}

/* the string member key of obj, or "" */
static const char *
str_of(json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s ? s : "";
}

/*
 * Prints an effect array ([{"op","table","object","safety","reason"}])
 * one step a line: "INDENT safety  op table.object: reason".
 */
void
px_print_effect(json_t *effect, const char *indent)
{
	size_t		i;
	json_t	   *step;

	json_array_foreach(effect, i, step)
	{
		const char *table = str_of(step, "table");
		const char *object = str_of(step, "object");
		const char *reason = str_of(step, "reason");

		printf("%s%-12s %s %s%s%s%s%s\n", indent, str_of(step, "safety"), str_of(step, "op"),
			   table, object[0] && strcmp(object, table) ? "." : "",
			   object[0] && strcmp(object, table) ? object : "",
			   reason[0] ? ": " : "", reason);
	}
}

/*
 * One line summing up an effect array by safety class, e.g. "3 steps:
 * 2 safe, 1 warn" ("-" when empty).  Malloc'd; caller frees.
 */
char *
px_effect_summary(json_t *effect)
{
	static const char *const classes[] = {"safe", "warn", "destructive", "blocked"};
	size_t		counts[4] = {0, 0, 0, 0};
	size_t		other = 0;
	size_t		n = json_array_size(effect);
	size_t		i;
	json_t	   *step;
	char		buf[256];
	size_t		len;

	if (n == 0)
		return px_strdup("-");
	json_array_foreach(effect, i, step)
	{
		const char *s = str_of(step, "safety");
		size_t		k;

		for (k = 0; k < 4 && strcmp(s, classes[k]) != 0; k++)
			;
		if (k < 4)
			counts[k]++;
		else
			other++;
	}
	len = (size_t) snprintf(buf, sizeof(buf), "%zu step%s:", n, n == 1 ? "" : "s");
	for (size_t k = 0; k < 4; k++)
		if (counts[k])
			len += (size_t) snprintf(buf + len, sizeof(buf) - len, "%s %zu %s",
									 buf[len - 1] == ':' ? "" : ",", counts[k], classes[k]);
	if (other)
		snprintf(buf + len, sizeof(buf) - len, "%s %zu other", buf[len - 1] == ':' ? "" : ",", other);
	return px_strdup(buf);
}

/*
 * Prints rows (nrows x ncols strings, NULL printed as "-") under the
 * header, columns padded to their widest cell.
 */
void
px_print_table(const char *const *head, int ncols, char ***rows, size_t nrows)
{
	size_t		width[16];

	if (ncols > 16)
		ncols = 16;
	for (int c = 0; c < ncols; c++)
	{
		width[c] = strlen(head[c]);
		for (size_t r = 0; r < nrows; r++)
		{
			size_t		w = rows[r][c] ? strlen(rows[r][c]) : 1;

			if (w > width[c])
				width[c] = w;
		}
	}
	for (int c = 0; c < ncols; c++)
		printf("%-*s%s", c + 1 < ncols ? (int) width[c] : 0, head[c], c + 1 < ncols ? "  " : "\n");
	for (int c = 0; c < ncols; c++)
	{
		for (size_t k = 0; k < width[c]; k++)
			putchar('-');
		fputs(c + 1 < ncols ? "  " : "\n", stdout);
	}
	for (size_t r = 0; r < nrows; r++)
		for (int c = 0; c < ncols; c++)
			printf("%-*s%s", c + 1 < ncols ? (int) width[c] : 0,
				   rows[r][c] ? rows[r][c] : "-", c + 1 < ncols ? "  " : "\n");
}
