/* cli.h: the parts of the krt command line (src/repl.c). */
#ifndef KRT_CLI_H
#define KRT_CLI_H

#include "krt.h"

typedef struct cli {
	krt *k;
	int interactive;      /* stdin and stdout are terminals */
	int history;          /* keep ~/.krt_history */
	int depth;            /* suspensions open */
	int quit;             /* end of input at a suspension: leave, status 1 */
	int stepping;         /* \s: scripts being stepped through */
	int net_exit;         /* a message asked to exit (\\ or _exit) */
	void *el, *hist;      /* libedit's EditLine and History */
	char histfile[4096];
} cli;

void cli_init(cli *c, krt *k, int interactive, int history);
void cli_close(cli *c);
/* Make the script arguments visible as _a.  0, or -1 on failure. */
int cli_set_args(cli *c, int n, char **args);
/* Run a script file; -1 to go on, else the exit status (\\ or an error
 * when stdin is not a terminal). */
int cli_run_file(cli *c, const char *name);
/* -e / -x: evaluate one expression; the exit status. */
int cli_run_expr(cli *c, const char *expr, int print);
/* Read and run standard input until its end or \\; the exit status, or
 * -1 at the end of the input.  While it waits for input, the state's
 * event loop runs (messages, HTTP, the timer). */
int cli_repl(cli *c);
/* After the input ended: serve (krt -i / -h) until a message asks to exit
 * or Ctrl-C arrives while idle; the exit status. */
int cli_serve(cli *c);

#endif
