#define _POSIX_C_SOURCE 200809L
/* load.c: running a script file (\l, and the API's krt_load): its lines
 * are gathered into statements (a statement goes on while a bracket or a
 * string is open; a lone "\" ends the script, as in Kona) and each is run
 * as the console runs it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "lang.h"

int lang_open_text(const char *s, int64_t n)
{
	int depth = 0, str = 0;
	for (int64_t i = 0; i < n; i++) {
		char c = s[i];
		if (str) {
			if (c == '\\') i++;
			else if (c == '"') str = 0;
			continue;
		}
		if (c == '"') str = 1;
		else if (c == '/' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t' || s[i - 1] == '\n'))
			while (i < n && s[i] != '\n') i++;
		else if (c == '(' || c == '[' || c == '{') depth++;
		else if (c == ')' || c == ']' || c == '}') depth--;
	}
	return str || depth > 0;
}

/* Is the line just `mark` (with trailing blanks)? */
static int lone(const char *line, char mark)
{
	if (*line != mark) return 0;
	for (line++; *line; line++)
		if (*line != ' ' && *line != '\t' && *line != '\r' && *line != '\n') return 0;
	return 1;
}

/* Print a value as the console does (\s shows each statement's). */
static void show_value(K r)
{
	K s = k_show(r);
	if (s) printf("%s\n", kC(s));
	else kerr_clear();
	cd(s);
	fflush(stdout);
}

/* After an error of the statement at line n of path (its text stmt): as
 * in Kona, a statement that does not parse or a name with no value outside
 * any lambda is reported on stderr and the script goes on (1); any other
 * error stops it (0). */
static int passed_over(const char *path, int n, const char *stmt)
{
	const char *e = kc->err;
	if (KL->errsrc || !e || (strcmp(e, "parse") && strcmp(e, "reserved") && strcmp(e, "value")))
		return 0;
	fflush(stdout);
	fprintf(stderr, "%s:%d: %s error\n%.*s\n", path, n, e, (int)strcspn(stmt, "\n"), stmt);
	kerr_clear();
	return 1;
}

int lang_load(const char *path, int *lineno, char *text, size_t cap, int go_on)
{
	*lineno = 0;
	if (cap) *text = 0;
	if (!k_stack_ok()) { kerr("stack"); return LX_ERROR; }    /* \l of itself */
	FILE *f = fopen(path, "r");
	struct stat st;
	if (f && (fstat(fileno(f), &st) || S_ISDIR(st.st_mode))) { fclose(f); f = NULL; }
	if (!f) { kerr("file"); return LX_ERROR; }
	if (!KL->running) k_break_drop();
	KL->running++;          /* a break between two statements stops it */
	char *line = NULL, *stmt = NULL;
	size_t linecap = 0, scap = 0;
	int64_t len = 0;
	int out = LX_OK, n = 0;
	ssize_t got;
	while ((got = getline(&line, &linecap, f)) >= 0) {
		n++;
		if (!len) {
			if (lone(line, '\\')) break;      /* the rest is not read, as Kona */
			*lineno = n;
		}
		if ((size_t)(len + got + 1) > scap) {
			scap = 2 * (size_t)(len + got + 1);
			char *s = realloc(stmt, scap);
			if (!s) { kerr("wsfull"); out = LX_ERROR; break; }
			stmt = s;
		}
		memcpy(stmt + len, line, (size_t)got);
		len += got;
		stmt[len] = 0;
		if (lang_open_text(stmt, len)) continue;
		while (len && (stmt[len - 1] == '\n' || stmt[len - 1] == '\r')) stmt[--len] = 0;
		K r = NULL;
		if (KL->stepping) printf("%s\n", stmt);    /* \s without a terminal */
		out = k_broken() ? LX_ERROR : lang_exec(stmt, len, &r);
		if (KL->stepping && r) show_value(r);
		cd(r);
		if (out == LX_ERROR && go_on && passed_over(path, *lineno, stmt)) out = LX_OK;
		if (out == LX_ERROR && cap)      /* the statement's first line */
			snprintf(text, cap, "%.*s", (int)strcspn(stmt, "\n"), stmt);
		len = 0;
		if (out == LX_ERROR || out == LX_EXIT) break;
		out = LX_OK;
	}
	if (out == LX_OK && len) {          /* the file ends inside a statement */
		K r = NULL;
		out = lang_exec(stmt, len, &r);
		cd(r);
		if (out == LX_ERROR && go_on && passed_over(path, *lineno, stmt)) out = LX_OK;
		if (out == LX_ERROR && cap)
			snprintf(text, cap, "%.*s", (int)strcspn(stmt, "\n"), stmt);
	}
	KL->running--;
	free(line);
	free(stmt);
	fclose(f);
	return out;
}
