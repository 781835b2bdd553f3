/* verb.c: the dispatch tables of the primitive verbs and the spellings of
 * the adverbs.  The I/O verbs 0: .. 6: go through verb_io_monad/dyad. */
#include "verbs.h"

const kmonad verb_monad[V_COUNT_] = {
	[V_PLUS] = verb_flip, [V_MINUS] = verb_negate, [V_TIMES] = verb_first,
	[V_DIVIDE] = verb_reciprocal, [V_MAX] = verb_reverse, [V_MIN] = verb_where,
	[V_POWER] = verb_shape, [V_BANG] = verb_enumerate, [V_LESS] = verb_gradeup,
	[V_MORE] = verb_gradedown, [V_EQUAL] = verb_group, [V_MATCH] = verb_not,
	[V_AT] = verb_atom, [V_FIND] = verb_unique, [V_TAKE] = verb_count,
	[V_DROP] = verb_floor, [V_JOIN] = verb_enlist, [V_FORM] = verb_format,
	[V_DOT] = verb_value, [V_COLON] = verb_identity,
};

const kdyad verb_dyad[V_COUNT_] = {
	[V_PLUS] = verb_add, [V_MINUS] = verb_sub, [V_TIMES] = verb_mul,
	[V_DIVIDE] = verb_div, [V_MAX] = verb_max, [V_MIN] = verb_min,
	[V_POWER] = verb_power, [V_BANG] = verb_rotate, [V_LESS] = verb_less,
	[V_MORE] = verb_more, [V_EQUAL] = verb_equal, [V_MATCH] = verb_match,
	[V_AT] = verb_at, [V_FIND] = verb_find, [V_TAKE] = verb_take,
	[V_DROP] = verb_drop, [V_JOIN] = verb_join, [V_FORM] = verb_form,
	[V_DOT] = verb_dot, [V_COLON] = verb_right,
};

const char *const adverb_names[AV_COUNT_] = { "'", "/", "\\", "/:", "\\:", "':" };
