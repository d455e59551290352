/*-------------------------------------------------------------------------
 *
 * files.c
 *	  The migration directory: VERSION_NAME.up.sql (+ VERSION_NAME.down.sql)
 *	  files, VERSION being 14 or more digits (UTC YYYYMMDDHHMMSS) and NAME
 *	  [a-z0-9_]+.  Listing in version order, reading, and writing new files
 *	  without ever overwriting one.
 *
 * IDENTIFICATION
 *	  cli/files.c
 *
 *-------------------------------------------------------------------------
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

#define UP_SUFFIX ".up.sql"
#define DOWN_SUFFIX ".down.sql"

/* true when name is [a-z0-9_]+ */
bool
px_valid_name(const char *name)
{
	return name[0] != '\0' &&
		strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_") == strlen(name);
}

/* true when version is 14 or more digits */
bool
px_valid_version(const char *version)
{
	size_t		n = strspn(version, "0123456789");

	return n >= 14 && version[n] == '\0';
}

/* compares two digit strings as numbers (leading zeros ignored) */
int
px_version_cmp(const char *a, const char *b)
{
	size_t		la,
				lb;

	while (*a == '0' && a[1])
		a++;
	while (*b == '0' && b[1])
		b++;
	la = strlen(a);
	lb = strlen(b);
	if (la != lb)
		return la < lb ? -1 : 1;
	return strcmp(a, b);
}

/* qsort order of migrations: version, then name */
static int
migration_cmp(const void *pa, const void *pb)
{
	const PxMigration *a = pa;
	const PxMigration *b = pb;
	int			c = px_version_cmp(a->version, b->version);

	return c ? c : strcmp(a->name, b->name);
}

/* frees the list's contents (the list itself is the caller's) */
void
px_dir_free(PxMigrationList *list)
{
	for (size_t i = 0; i < list->count; i++)
	{
		free(list->items[i].version);
		free(list->items[i].name);
		free(list->items[i].up_path);
		free(list->items[i].down_path);
	}
	free(list->items);
	list->items = NULL;
	list->count = 0;
}

/*
 * Lists the *.up.sql files of dir, sorted by version, each with its
 * .down.sql when there is one.  A .up.sql whose name is not
 * VERSION_NAME.up.sql, a .down.sql without its .up.sql, or two files with
 * the same version are errors (nothing is skipped silently).  Returns 0
 * with list filled (free with px_dir_free), or -1 with err filled.
 */
int
px_dir_list(const char *dir, PxMigrationList *list, PxErr *err)
{
	DIR		   *d = opendir(dir);
	struct dirent *e;
	size_t		cap = 0;

	list->items = NULL;
	list->count = 0;
	if (d == NULL)
	{
		px_err_set(err, NULL, "could not open migration directory \"%s\": %s", dir, strerror(errno));
		px_err_hint(err, "Pass --dir DIR; `premix new` creates the directory.");
		return -1;
	}
	while ((e = readdir(d)) != NULL)
	{
		const char *fn = e->d_name;
		size_t		len = strlen(fn);
		size_t		vlen = strspn(fn, "0123456789");
		bool		up = len > strlen(UP_SUFFIX) && strcmp(fn + len - strlen(UP_SUFFIX), UP_SUFFIX) == 0;
		bool		down = len > strlen(DOWN_SUFFIX) && strcmp(fn + len - strlen(DOWN_SUFFIX), DOWN_SUFFIX) == 0;
		size_t		stem;
		char	   *name;
		char	   *path;

		if (!up && !down)
			continue;
		stem = len - strlen(up ? UP_SUFFIX : DOWN_SUFFIX);
		name = vlen < stem && fn[vlen] == '_' ? px_strndup(fn + vlen + 1, stem - vlen - 1) : NULL;
		if (vlen < 14 || name == NULL || !px_valid_name(name))
		{
			px_err_set(err, NULL, "migration file \"%s/%s\" is not named VERSION_NAME%s", dir, fn,
					   up ? UP_SUFFIX : DOWN_SUFFIX);
			px_err_detail(err, "VERSION is 14 or more digits (UTC YYYYMMDDHHMMSS), NAME is lower-case letters, digits and _.");
			px_err_hint(err, "Rename the file, or move it out of the directory.");
			free(name);
			goto fail;
		}
		if (down)
		{
			char	   *up_path = px_printf("%s/%.*s%s", dir, (int) stem, fn, UP_SUFFIX);
			bool		has_up = access(up_path, F_OK) == 0;

			free(up_path);
			free(name);
			if (!has_up)
			{
				px_err_set(err, NULL, "migration file \"%s/%s\" has no %.*s%s", dir, fn, (int) stem, fn, UP_SUFFIX);
				px_err_hint(err, "Restore the up file, or remove the down file.");
				goto fail;
			}
			continue;
		}
		if (list->count == cap)
		{
			PxMigration *n;

			cap = cap ? cap * 2 : 16;
			n = realloc(list->items, cap * sizeof(PxMigration));
			if (n == NULL)
			{
				free(name);
				px_err_set(err, NULL, "out of memory");
				goto fail;
			}
			list->items = n;
		}
		path = px_printf("%s/%.*s%s", dir, (int) stem, fn, DOWN_SUFFIX);
		list->items[list->count].version = px_strndup(fn, vlen);
		list->items[list->count].name = name;
		list->items[list->count].up_path = px_printf("%s/%s", dir, fn);
		list->items[list->count].down_path = access(path, F_OK) == 0 ? path : NULL;
		if (list->items[list->count].down_path == NULL)
			free(path);
		list->count++;
	}
	closedir(d);
	d = NULL;
	if (list->count)
		qsort(list->items, list->count, sizeof(PxMigration), migration_cmp);
	for (size_t i = 1; i < list->count; i++)
		if (px_version_cmp(list->items[i - 1].version, list->items[i].version) == 0)
		{
			px_err_set(err, NULL, "two migrations in \"%s\" have version %s: %s and %s", dir,
					   list->items[i].version, list->items[i - 1].name, list->items[i].name);
			px_err_hint(err, "Give one of them a later version (rename the file) before it is applied.");
			goto fail;
		}
	return 0;

fail:
	if (d)
		closedir(d);
	px_dir_free(list);
	return -1;
}

/*
 * Reads the whole file at path into *text (malloc'd, NUL-terminated;
 * caller frees).  A file holding a NUL byte is refused.  Returns 0, or -1
 * with err filled.
 */
int
px_read_file(const char *path, char **text, PxErr *err)
{
	FILE	   *f = fopen(path, "rb");
	char	   *buf = NULL;
	size_t		len = 0;
	size_t		cap = 0;
	size_t		n;

	*text = NULL;
	if (f == NULL)
	{
		px_err_set(err, NULL, "could not open file \"%s\": %s", path, strerror(errno));
		return -1;
	}
	do
	{
		if (cap - len < 4096)
		{
			char	   *nb;

			cap = cap ? cap * 2 : 8192;
			nb = realloc(buf, cap + 1);
			if (nb == NULL)
			{
				free(buf);
				fclose(f);
				px_err_set(err, NULL, "out of memory reading \"%s\"", path);
				return -1;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	if (ferror(f))
	{
		px_err_set(err, NULL, "could not read file \"%s\": %s", path, strerror(errno));
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	buf[len] = '\0';
	if (strlen(buf) != len)
	{
		px_err_set(err, NULL, "file \"%s\" holds a NUL byte", path);
		px_err_hint(err, "SQL and JSON files are text; check the file's encoding.");
		free(buf);
		return -1;
	}
	*text = buf;
	return 0;
}

/*
 * Writes text to a file at path that must not exist yet (O_EXCL: an
 * existing file is never overwritten).  Returns 0, or -1 with err filled
 * (a partly written file is removed).
 */
int
px_write_new_file(const char *path, const char *text, PxErr *err)
{
	int			fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	size_t		len = strlen(text);
	size_t		done = 0;
	bool		synced;

	if (fd < 0)
	{
		if (errno == EEXIST)
		{
			px_err_set(err, NULL, "file \"%s\" already exists", path);
			px_err_hint(err, "premix never overwrites a migration file: pick another NAME or --stamp, or remove the file.");
		}
		else
			px_err_set(err, NULL, "could not create file \"%s\": %s", path, strerror(errno));
		return -1;
	}
	while (done < len)
	{
		ssize_t		w = write(fd, text + done, len - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
		{
			px_err_set(err, NULL, "could not write file \"%s\": %s", path, strerror(errno));
			close(fd);
			unlink(path);
			return -1;
		}
		done += (size_t) w;
	}
	synced = fsync(fd) == 0;
	if (close(fd) != 0 || !synced)
	{
		px_err_set(err, NULL, "could not write file \"%s\": %s", path, strerror(errno));
		unlink(path);
		return -1;
	}
	return 0;
}
