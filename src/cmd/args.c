/* args.c - what every command's parsing shares: a bad command line is
 * reported through diag like every other problem, and returns EXIT_USAGE;
 * main prints the usage after it. */
#include "cmd/cmd.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>


static int given;

/* Which commands take an option of their own, for misplaced_option. */
static const struct {
	const char *option, *commands;
} options_of[] = {
	{"--reason", "'credit NUMBER' and 'correct PERIOD'"},
	{"--new-journal", "'issue PERIOD'"},
	{"--all", "'export sie [YEAR]'"},
};

enum exit_status usage_error(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	diag(DIAG_ERROR, NULL, 0, "%s", msg);
	given = 1;
	return EXIT_USAGE;
}

int usage_error_given(void)
{
	return given;
}

enum exit_status misplaced_option(const char *command, const char *option)
{
	for (size_t i = 0; i < sizeof options_of / sizeof options_of[0]; i++)
		if (strcmp(option, options_of[i].option) == 0)
			return usage_error("%s goes with %s", option, options_of[i].commands);
	return usage_error("unknown option for %s: '%s'", command, option);
}

enum exit_status no_arguments(int argc, char **argv)
{
	if (argc < 2)
		return EXIT_DONE;
	return argv[1][0] == '-' ? misplaced_option(argv[0], argv[1])
				 : usage_error("unexpected argument: '%s'", argv[1]);
}
