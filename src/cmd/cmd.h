/* cmd.h - the commands, one file each, dispatched from main.c's table.
 *
 * main.c reads the options every command takes (-c, --date, -q, -v) and
 * hands the rest to the command: argv[0] is its name, and it parses its
 * own arguments and options, reporting a bad one with usage_error. A
 * command returns an exit status. */
#ifndef SAMFAKT_CMD_H
#define SAMFAKT_CMD_H

#include "base/date.h"
#include "base/diag.h"

#define DEFAULT_CONFIG "config/samverkan.ini"

struct global_options {
	const char *config;	/* -c; DEFAULT_CONFIG when not given */
	int config_given;
	date_t today;		/* --date, SOURCE_DATE_EPOCH or the clock */
	int date_given;
};

typedef enum exit_status (*cmd_fn)(int argc, char **argv, const struct global_options *g);

struct command {
	const char *name;
	cmd_fn run;
	const char *usage;	/* its line of the usage */
	const char *help;	/* what it does, for --help */
};

/* A bad command line, reported through diag; returns EXIT_USAGE. main
 * prints the usage after a command that reported one (usage_error_given). */
enum exit_status usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int usage_error_given(void);
/* argv[i] is an option the command does not take: say which take it. */
enum exit_status misplaced_option(const char *command, const char *option);
/* For a command that takes no arguments: says what argv[1] is not. */
enum exit_status no_arguments(int argc, char **argv);

enum exit_status cmd_check(int argc, char **argv, const struct global_options *g);
enum exit_status cmd_build(int argc, char **argv, const struct global_options *g);
enum exit_status cmd_issue(int argc, char **argv, const struct global_options *g);
enum exit_status cmd_credit(int argc, char **argv, const struct global_options *g);
enum exit_status cmd_correct(int argc, char **argv, const struct global_options *g);
enum exit_status cmd_export(int argc, char **argv, const struct global_options *g);
enum exit_status cmd_settle(int argc, char **argv, const struct global_options *g);
enum exit_status cmd_send(int argc, char **argv, const struct global_options *g);
enum exit_status cmd_verify(int argc, char **argv, const struct global_options *g);
enum exit_status cmd_upgrade_journal(int argc, char **argv, const struct global_options *g);
enum exit_status cmd_new_year(int argc, char **argv, const struct global_options *g);
enum exit_status cmd_init(int argc, char **argv, const struct global_options *g);

#endif
