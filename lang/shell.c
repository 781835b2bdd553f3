#define _GNU_SOURCE
/* shell.c: system commands.  \cmd (or \ cmd) runs cmd through /bin/sh with
 * our standard streams, so its output is printed as it comes; ` 4:"cmd"
 * runs it with its standard output in a pipe and gives the lines read, as
 * Kona does.  A command that ends with a status other than 0 is the K
 * error "status N" ("signal N" when a signal ends it).  Ctrl-C stops the
 * command and the statement breaks.  Waiting polls for a break (k_broken), so that
 * a break asked by a signal handler or from another thread (krt_interrupt)
 * stops the command too.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include "session.h"

extern char **environ;

/* The command runs in a process group of its own, so that a break can
 * stop everything it started (a pipeline, a command it left running).
 * When our standard input is the terminal and we hold it, the group gets
 * the terminal while it runs, as a shell gives it to a job: it may read
 * the keyboard, and Ctrl-C goes to it (and ends the statement with a
 * break).  Signals we ignore or catch are reset to their defaults in it. */
typedef struct child { pid_t pid; int tty; } child;

/* Start /bin/sh -c cmd (cmd NUL-ended); its stdout is out when out >= 0
 * (and the pipe's other end `other` is closed in the child).  0, or -1
 * with an error. */
static int spawn(child *ch, const char *cmd, int out, int other)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	if (posix_spawn_file_actions_init(&fa)) { kerr("wsfull"); return -1; }
	if (posix_spawnattr_init(&at)) { posix_spawn_file_actions_destroy(&fa); kerr("wsfull"); return -1; }
	if (out >= 0) {
		posix_spawn_file_actions_adddup2(&fa, out, STDOUT_FILENO);
		posix_spawn_file_actions_addclose(&fa, out);
		posix_spawn_file_actions_addclose(&fa, other);
	}
	sigset_t def;
	sigemptyset(&def);
	int sigs[] = { SIGINT, SIGQUIT, SIGPIPE, SIGTSTP, SIGTTIN, SIGTTOU, SIGCHLD, SIGTERM };
	for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) sigaddset(&def, sigs[i]);
	posix_spawnattr_setsigdefault(&at, &def);
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF);
	char *argv[] = { "sh", "-c", (char *)cmd, NULL };
	fflush(stdout);
	fflush(stderr);
	int e = posix_spawn(&ch->pid, "/bin/sh", &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	if (e) { kerr("sh"); return -1; }
	ch->tty = isatty(STDIN_FILENO) && tcgetpgrp(STDIN_FILENO) == getpgrp();
	if (ch->tty) {
		tcsetpgrp(STDIN_FILENO, ch->pid);
		kill(-ch->pid, SIGCONT);             /* if it read before it had the terminal */
	}
	return 0;
}

/* Take the terminal back (we are not its foreground group: SIGTTOU
 * would stop us, so it is blocked meanwhile). */
static void reclaim(child *ch)
{
	if (!ch->tty) return;
	sigset_t b, old;
	sigemptyset(&b);
	sigaddset(&b, SIGTTOU);
	sigprocmask(SIG_BLOCK, &b, &old);
	tcsetpgrp(STDIN_FILENO, getpgrp());
	sigprocmask(SIG_SETMASK, &old, NULL);
	ch->tty = 0;
}

/* After the child ended with wait status st: 0, or -1 with its error. */
static int status_error(int st)
{
	char msg[32];
	if (WIFEXITED(st) && !WEXITSTATUS(st)) return 0;
	if (WIFSIGNALED(st) && WTERMSIG(st) == SIGINT) { kerr(k_break_mark); return -1; }
	if (WIFEXITED(st)) snprintf(msg, sizeof msg, "status %d", WEXITSTATUS(st));
	else snprintf(msg, sizeof msg, "signal %d", WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	kerr_text(msg, strlen(msg));
	return -1;
}

/* Kill the child's whole group and collect the child (after a break or
 * an error). */
static void stop(child *ch)
{
	int st;
	kill(-ch->pid, SIGKILL);
	while (waitpid(ch->pid, &st, 0) < 0 && errno == EINTR) {}
	reclaim(ch);
}

/* Wait for the child: 0, or -1 with its error, or break. */
static int wait_child(child *ch)
{
	long nap = 1000000;                   /* 1 ms, growing to 50 ms */
	for (;;) {
		int st;
		pid_t r = waitpid(ch->pid, &st, WNOHANG);
		if (r == ch->pid) { reclaim(ch); return status_error(st); }
		if (r < 0 && errno != EINTR) { reclaim(ch); kerr("sh"); return -1; }
		if (k_broken()) {                    /* records the error break */
			stop(ch);
			return -1;
		}
		struct timespec ts = { 0, nap };
		nanosleep(&ts, NULL);
		if (nap < 50000000) nap *= 2;
	}
}

int shell_command(const char *cmd, int64_t n)
{
	K text = k_str(cmd, (size_t)n);      /* NUL-ended */
	if (!text) return -1;
	child ch;
	int e = spawn(&ch, kC(text), -1, -1);
	cd(text);
	return e ? -1 : wait_child(&ch);
}

/* Read the child's output from fd into a char vector until its end; NULL
 * with wsfull or break (the caller stops the child). */
static K read_all(int fd)
{
	K buf = k_new(-KT_CHAR, 0);
	int64_t len = 0;
	if (!buf) return NULL;
	for (;;) {
		if (k_broken()) { cd(buf); return NULL; }
		struct pollfd p = { fd, POLLIN, 0 };
		if (poll(&p, 1, 50) <= 0) continue;   /* timeout or EINTR: check for a break */
		if (buf->n - len < 4096) {           /* room up to the count, kept when it grows */
			buf = k_resize(buf, len + 4096 + len / 2);
			if (!buf) return NULL;
		}
		ssize_t got = read(fd, kC(buf) + len, (size_t)(buf->n - len));
		if (got == 0) break;
		if (got < 0) {
			if (errno == EINTR || errno == EAGAIN) continue;
			cd(buf);
			return kerr("sh");
		}
		len += got;
	}
	buf->n = len;
	return buf;
}

/* The lines of text (the last may have no newline): a list of strings. */
static K split_lines(K text)
{
	int64_t lines = 0, n = text->n;
	const char *s = kC(text);
	for (int64_t i = 0; i < n; i++) lines += s[i] == '\n';
	if (n && s[n - 1] != '\n') lines++;
	K r = k_list(lines);
	if (!r) return NULL;
	for (int64_t i = 0, start = 0, l = 0; l < lines; i++)
		if (i == n || s[i] == '\n') {
			K line = k_str(s + start, (size_t)(i - start));
			if (!line) { r->n = l; cd(r); return NULL; }
			kK(r)[l++] = line;
			start = i + 1;
		}
	return r;
}

K shell_lines(K x, K y)
{
	K r = NULL, out = NULL, cmd = NULL;
	int fd[2] = { -1, -1 };
	if (y->t != -KT_CHAR && y->t != KT_CHAR) { kerr("type"); goto done; }
	cmd = k_str(kC(y), (size_t)y->n);
	if (!cmd) goto done;
	if (pipe2(fd, O_CLOEXEC)) { kerr("sh"); goto done; }
	child ch;
	int e = spawn(&ch, kC(cmd), fd[1], fd[0]);
	close(fd[1]);
	if (e) goto done;
	out = read_all(fd[0]);
	if (!out) { stop(&ch); goto done; }
	if (wait_child(&ch)) goto done;
	r = split_lines(out);
done:
	if (fd[0] >= 0) close(fd[0]);
	cd(out);
	cd(cmd);
	cd(x);
	cd(y);
	return r;
}
