/* help.c: the console's help: \ alone lists the commands, and \0 \+ \'
 * \: \_ \. describe types, verbs, adverbs, the I/O verbs, the reserved
 * words and assignment with control flow.  The texts are krt's own and
 * describe what krt does; lang/session.c calls help_show. */
#include <stdio.h>
#include <string.h>
#include "lang.h"

static const char commands_text[] =
	"Commands (a backslash at the start of a line):\n"
	"\\0        types            \\+  verbs          \\'  adverbs\n"
	"\\:        I/O verbs        \\_  reserved words \\.  assignment, control\n"
	"\\b [s|t|n] break mode: s stops (suspends) at an error, t traces it, n neither\n"
	"\\d [d|^]  show the current directory, or change to d (^ the parent)\n"
	"\\e [0|1]  show or set whether an error inside a function suspends\n"
	"\\l f      load the script f (f.k when f has no extension)\n"
	"\\p [n]    show or set the digits of floats shown (0: all)\n"
	"\\r [n]    show or set the random seed (0: a seed from the clock)\n"
	"\\s f      step through the script f, one statement at a time\n"
	"\\t e      milliseconds of processor time that e takes\n"
	"\\t [n]    show or set the timer's interval in ms (0: off); it calls .m.ts\n"
	"\\v        the names of the current directory\n"
	"\\w        heap bytes: in use, held from the system, peak, trimmed\n"
	"\\w .      the variables holding the most heap, and directory totals\n"
	"\\trim     give idle heap memory back to the system now\n"
	"\\cmd      any other text runs in /bin/sh (also \\ cmd): \\echo hi\n"
	"\\\\        leave krt (or Ctrl-D); a lone \\ leaves a suspension\n";

static const char types_text[] =
	"Types, as 4:x gives them:\n"
	" 0 general list   (1;`a;\"b\")   ()          -1 int vector     1 2 3   !0\n"
	" 1 int            42  0N 0I -0I             -2 float vector   1.5 2.0 0#0.0\n"
	" 2 float          1.5 0n 0i -0i             -3 char vector    \"abc\"   \"\"\n"
	" 3 char           \"a\"                       -4 symbol vector  `a`b    0#`\n"
	" 4 symbol         `a  `\"two words\"\n"
	" 5 dictionary     .((`a;1);(`b;2))   d[`a] d@`a   !d keys   d[] values\n"
	" 6 null           _n\n"
	" 7 function       {x+y}  +  +:  {x+y}[1]  (|+)  _ci  and C functions (2:)\n"
	"A one-item vector is written with a comma: ,1  ,\"a\"  ,`a\n"
	"0N is the null int; 0I and -0I the int infinities; 0n 0i -0i for floats.\n"
	"Ints are 64 bits; floats are IEEE doubles.\n";

static const char verbs_text[] =
	"Verbs + - * % | & ^ ! < > = ~ @ ? _ , # $ . :\n"
	"Each has a monadic (one argument) and a dyadic (two) meaning; a colon\n"
	"after a verb picks the monadic one as a value: +: is flip.\n"
	"  monadic                         dyadic\n"
	"+ flip (transpose)                plus\n"
	"- negate                          minus\n"
	"* first                           times\n"
	"% reciprocal                      divide (always float)\n"
	"| reverse                         max, or (on 0 1)\n"
	"& where: &1 0 2 is 0 2 2          min, and (on 0 1)\n"
	"^ shape                           power\n"
	"! enumerate !3; keys of a dict    mod (x!y, y int), rotate (int!list)\n"
	"< grade up                        less\n"
	"> grade down                      more\n"
	"= group                           equal (tolerant for floats)\n"
	"~ not                             match: same type and items\n"
	"@ atom?                           index at the top: x@i; @[x;i;f;y] amends\n"
	"? unique                          find: x?y; {f}?y inverts f; ?[f;y;x0]\n"
	"_ floor                           drop (int_list), cut (ints_list)\n"
	", enlist                          join\n"
	"# count                           take, reshape (ints#x)\n"
	"$ format to string                format with a width, or cast by type\n"
	". value of a string or symbol;    index at depth: x . path;\n"
	"  dict from (key;value) pairs     .[x;p;f;y] amends, .[f;args;:] traps\n"
	": right: x:y assigns, :[c;t;e] is a conditional; see \\.\n";

static const char adverbs_text[] =
	"Adverbs modify a verb or function to their left:\n"
	"'   each        f'x  x f'y         (1 2;3 4),'5 6\n"
	"/   over        +/1 2 3 is 6;  10+/1 2 3 is 16 (seeded)\n"
	"\\   scan        +\\1 2 3 is 1 3 6: every step of over\n"
	"/:  each right  1 2,/:3 4 is (1 2 3;1 2 4)\n"
	"\\:  each left   1 2,\\:3 4 is (1 3 4;2 3 4)\n"
	"':  each prior  -':1 4 9 is 1 3 5\n"
	"A monadic f with over or scan: f/x applies f until the value repeats\n"
	"(or comes back to x); n f/x applies it n times; b f/x while b[value]\n"
	"is true.  f/[x;y;z] folds a function of three arguments.\n"
	"On strings: \",\"/(\"a\";\"b\") joins with \",\"; \",\"\\\"a,b\" splits.\n";

static const char io_text[] =
	"I/O verbs 0: 1: 2: 3: 4: 5: 6:  (a file is a symbol or a string)\n"
	"0:f        the lines of a text file; 0:` reads a line of standard input\n"
	"f 0:y      write a string, or strings one a line; ` 0:y writes to stdout\n"
	"(t;w)0:f   fixed-width fields: t the types (\"IFCS \"), w the widths\n"
	"(t;d)0:f   delimited fields; (t;,d)0:f with a header line of names\n"
	"1:f 2:f    read a K binary file (1: maps big vectors, 2: copies)\n"
	"f 1:y      write y as a K binary file\n"
	"f 5:y      append the items of y to a K binary file (3: unsynced)\n"
	"6:f        the bytes of a file;  f 6:y writes bytes, (,f) 6:y appends\n"
	"4:x        the type of x;        5:x a string that evaluates to x\n"
	"`lib 2:(`name;n)  the C function name of valence n from the shared\n"
	"           library lib (.so added when missing): a K function\n"
	"` 4:\"cmd\" run cmd in /bin/sh: its output as a list of strings\n"
	"Interprocess (krt -i port listens):\n"
	"3:(`host;port)  open a connection: a handle h;  3:h closes it\n"
	"h 3:x      send x (a string to run) without waiting: .m.s runs it there\n"
	"h 4:x      send x and wait for the result: .m.g computes it there\n"
	"(`host;port) 4:\"GET / HTTP/1.0\"  send text (and a blank line) to a\n"
	"           server: what it sends back until it closes (also `host`http)\n";

static const char reserved_text[] =
	"Reserved words: nouns (values read each time)\n"
	"_a arguments of the script    _c sender's address     _d current directory\n"
	"_f the function running       _h host name            _i amend index\n"
	"_k build date                 _n null                 _p port\n"
	"_s heap figures               _t seconds since 2035   _T days since 2035\n"
	"_v the variable amended       _w sender's handle      _wn heap by name (see \\w .)\n"
	"Monads:\n"
	"_abs _acos _asin _atan _ceil _ceiling _cos _cosh _exp _floor _log _sin\n"
	"_sinh _sqr _sqrt _tan _tanh        arithmetic, on each item\n"
	"_bd _db     to and from the binary form    _ci _ic  char of int, int of char\n"
	"_dj _jd     date of day number and back    _gtime _ltime _lt  clock times\n"
	"_exit n     leave with status n    _getenv s    _host name    _size file\n"
	"_hash v     a table for fast x?y   _inv  matrix inverse\n"
	"Dyads:\n"
	"_bin _binl  binary search          _in _lin  membership\n"
	"_di _dv _dvl delete at, delete values      _dot _mul _lsq  matrices\n"
	"_draw _deal  random draws (see \\r)  _setenv  set an environment variable\n"
	"_sm  string match   _ss  find a substring   _sv _vs _vsx  change of base\n"
	"Triad: _ssr[s;find;replace]\n"
	"Control words: if[c;...]  do[n;...]  while[c;...]  and :[c;t;...;e]\n";

static const char control_text[] =
	"Assignment and amend:\n"
	"a:1       assign;  a::1 assigns the global a inside a function\n"
	"a+:1      modify with any verb: a is a+1;  a-: negates a\n"
	"a[i]:y    amend items;  a[i;j]+:2 at depth;  a[]:y every item\n"
	"@[x;i;f;y] .[x;path;f;y]  amend a copy of x (f : replaces by y); with\n"
	"           `a in place of x the global a itself; @[x;i;f] for a monadic f\n"
	"Functions:\n"
	"{x+y}     arguments x y z by default;  {[a;b] a*b} named ones\n"
	"f[1;2]    call;  f 1  f@1  f . (1;2);  f[1;] projects\n"
	"r: ...    a local;  :x  returns x early;  '\"text\" signals an error\n"
	"Control:\n"
	":[c1;t1;c2;t2;...;e]  the first t whose c is true, else e\n"
	"if[c;e1;...]  do[n;e1;...]  while[c;e1;...]\n"
	"Errors: @[f;x;:] and .[f;(x;y);:] give (0;value) or (1;\"error\").\n"
	"At an error in a function (\\e 1, \\b s) krt suspends: the locals are\n"
	"visible, :x resumes with x, a lone \\ goes back one level.\n"
	"/ starts a comment at the start of a line or after a blank.\n";

int help_show(const char *what, int64_t n)
{
	static const struct { const char *key; const char *text; } topics[] = {
		{ "", commands_text }, { "0", types_text }, { "+", verbs_text },
		{ "'", adverbs_text }, { ":", io_text }, { "_", reserved_text },
		{ ".", control_text },
	};
	for (size_t i = 0; i < sizeof topics / sizeof *topics; i++)
		if ((int64_t)strlen(topics[i].key) == n && !memcmp(topics[i].key, what, n)) {
			fputs(topics[i].text, stdout);
			fflush(stdout);
			return 1;
		}
	return 0;
}
