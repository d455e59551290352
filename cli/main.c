/*-------------------------------------------------------------------------
 *
 * main.c
 *	  premix: arguments and dispatch to the commands (cmd_*.c).
 *
 *	  premix CMD [NAME] [--option value | --option=value | --flag] ...
 *
 * Options may come before or after the command.  An unknown option, or
 * one the command does not take, is an error (exit 1), never ignored.
 *
 * IDENTIFICATION
 *	  cli/main.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* which commands take an option (bit per command) */
enum
{
	C_NEW = 1 << 0,
	C_UP = 1 << 1,
	C_DOWN = 1 << 2,
	C_STATUS = 1 << 3,
	C_DIFF = 1 << 4,
	C_PREVIEW = 1 << 5,
	C_PARITY = 1 << 6,
	C_ALL = 0x7f
};

typedef enum OptId
{
	O_DB,
	O_DB2,
	O_DIR,
	O_TARGET,
	O_TO,
	O_STAMP,
	O_ALLOW_DESTRUCTIVE,
	O_DRY_RUN,
	O_OUT_OF_ORDER,
	O_HELP,
	O_VERSION
} OptId;

typedef struct OptDef
{
	const char *name;
	OptId		id;
	bool		takes_value;
	int			commands;
} OptDef;

static const OptDef options[] = {
	{"--db", O_DB, true, C_ALL},
	{"--db2", O_DB2, true, C_PARITY},
	{"--dir", O_DIR, true, C_NEW | C_UP | C_STATUS},
	{"--target", O_TARGET, true, C_NEW | C_DIFF | C_PREVIEW},
	{"--to", O_TO, true, C_DOWN},
	{"--stamp", O_STAMP, true, C_NEW},
	{"--allow-destructive", O_ALLOW_DESTRUCTIVE, false, C_UP},
	{"--dry-run", O_DRY_RUN, false, C_UP | C_DOWN},
	{"--allow-out-of-order", O_OUT_OF_ORDER, false, C_UP},
	{"--help", O_HELP, false, C_ALL},
	{"--version", O_VERSION, false, C_ALL},
};

typedef struct CmdDef
{
	const char *name;
	int			bit;
	int			(*run) (const PxOpts *o);
} CmdDef;

static const CmdDef commands[] = {
	{"new", C_NEW, px_cmd_new},
	{"up", C_UP, px_cmd_up},
	{"down", C_DOWN, px_cmd_down},
	{"status", C_STATUS, px_cmd_status},
	{"diff", C_DIFF, px_cmd_diff},
	{"preview", C_PREVIEW, px_cmd_diff},
	{"parity", C_PARITY, px_cmd_parity},
};

/* the command named name, or NULL */
static const CmdDef *
find_command(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

/* the option named by arg (up to '=' when there is one), or NULL */
static const OptDef *
find_option(const char *arg, size_t len)
{
	for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
		if (strlen(options[i].name) == len && strncmp(options[i].name, arg, len) == 0)
			return &options[i];
	return NULL;
}

/* prints a usage error for cmd and returns exit status 1 */
static int
usage_error(const char *cmd, const char *msg, const char *what)
{
	fprintf(stderr, "premix%s%s: ERROR:  %s%s%s%s\n", cmd ? " " : "", cmd ? cmd : "",
			msg, what ? " \"" : "", what ? what : "", what ? "\"" : "");
	px_usage_hint(cmd);
	return PX_EXIT_ERROR;
}

/*
 * Parses the arguments, checks that the command takes every option given,
 * fills the defaults (--db from $PREMIX_DB, --dir "migrations") and runs
 * the command.  Returns the command's exit status; 1 on a usage error.
 */
int
main(int argc, char **argv)
{
	PxOpts		o = {0};
	const CmdDef *cmd = NULL;
	unsigned	seen = 0;		/* bit per OptId given */
	bool		help = false;
	bool		version = false;

	for (int i = 1; i < argc; i++)
	{
		const char *arg = argv[i];

		if (strncmp(arg, "--", 2) == 0)
		{
			const char *eq = strchr(arg, '=');
			size_t		len = eq ? (size_t) (eq - arg) : strlen(arg);
			const OptDef *def = find_option(arg, len);
			const char *value = NULL;

			if (def == NULL)
				return usage_error(cmd ? cmd->name : NULL, "unknown option", arg);
			if (def->takes_value)
			{
				if (eq)
					value = eq + 1;
				else if (i + 1 < argc)
					value = argv[++i];
				else
					return usage_error(cmd ? cmd->name : NULL, "missing value after", def->name);
			}
			else if (eq)
				return usage_error(cmd ? cmd->name : NULL, "option takes no value:", def->name);
			seen |= 1u << def->id;
			switch (def->id)
			{
				case O_DB:
					o.db = value;
					break;
				case O_DB2:
					o.db2 = value;
					break;
				case O_DIR:
					o.dir = value;
					o.dir_given = true;
					break;
				case O_TARGET:
					o.target = value;
					break;
				case O_TO:
					o.to = value;
					break;
				case O_STAMP:
					o.stamp = value;
					break;
				case O_ALLOW_DESTRUCTIVE:
					o.allow_destructive = true;
					break;
				case O_DRY_RUN:
					o.dry_run = true;
					break;
				case O_OUT_OF_ORDER:
					o.out_of_order = true;
					break;
				case O_HELP:
					help = true;
					break;
				case O_VERSION:
					version = true;
					break;
			}
		}
		else if (cmd == NULL && strcmp(arg, "help") == 0)
			return px_help(i + 1 < argc && px_known_command(argv[i + 1]) ? argv[i + 1] : NULL);
		else if (cmd == NULL)
		{
			if ((cmd = find_command(arg)) == NULL)
				return usage_error(NULL, "unknown command", arg);
		}
		else if (cmd->bit == C_NEW && o.name == NULL)
			o.name = arg;
		else
			return usage_error(cmd->name, "unexpected argument", arg);
	}

	if (help)
		return px_help(cmd ? cmd->name : NULL);
	if (version)
	{
		printf("premix %s\n", PX_CLI_VERSION);
		return PX_EXIT_OK;
	}
	if (cmd == NULL)
		return usage_error(NULL, "no command given", NULL);
	for (size_t k = 0; k < sizeof(options) / sizeof(options[0]); k++)
		if ((seen & (1u << options[k].id)) && !(options[k].commands & cmd->bit))
		{
			char	   *msg = px_printf("premix %s does not take the option", cmd->name);
			int			rc = usage_error(cmd->name, msg, options[k].name);

			free(msg);
			return rc;
		}
	if (o.db == NULL)
		o.db = getenv("PREMIX_DB");
	if (o.db == NULL || o.db[0] == '\0')
		return usage_error(cmd->name, "no database given: pass --db URL or set PREMIX_DB", NULL);
	if (o.dir == NULL)
		o.dir = "migrations";
	o.cmd = cmd->name;
	return cmd->run(&o);
}
