/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pgmirror: explain, the path of one request in words and numbers.
 *
 * The allocator's trace hooks also append a line here while the request
 * being explained runs; one static key keeps them a no-op otherwise.
 */
#ifndef _PGMIRROR_EXPLAIN_H
#define _PGMIRROR_EXPLAIN_H

#include <linux/jump_label.h>
#include <linux/sched.h>
#include "mmzone.h"

#define PGM_EXPLAIN_LEN		16384

/**
 * struct pgm_explain - the explanation of the last explained request
 * @task: the task whose request is being explained, NULL between them;
 *	set and cleared under the instance's explain_lock
 * @len: bytes of @buf used
 * @truncated: the text did not fit
 * @buf: the text, one line per step
 *
 * While @task is set only it writes @len, @truncated and @buf, without a
 * lock; otherwise they change only under explain_lock.
 */
struct pgm_explain {
	struct task_struct *task;
	size_t len;
	bool truncated;
	char buf[PGM_EXPLAIN_LEN];
};

DECLARE_STATIC_KEY_FALSE(pgm_explain_key);

__printf(2, 3) void pgm_explain_add(struct pgm_instance *inst,
				    const char *fmt, ...);
__printf(2, 3) void pgm_explain_add_tail(struct pgm_instance *inst,
					 const char *fmt, ...);
int pgm_explain_begin(struct pgm_instance *inst);
void pgm_explain_end(struct pgm_instance *inst);
void pgm_explain_release(struct pgm_instance *inst);
const char *pgm_alloc_flags_str(unsigned int alloc_flags, char *buf,
				size_t len);

#ifdef NOTRACE
/*
 * The bench's baseline build (-DNOTRACE) compiles out the tracepoints and
 * these hooks too, to measure what they cost when they are off.
 */
#define pgm_explain(inst, ...)						\
	do {								\
		if (0)							\
			pgm_explain_add(inst, __VA_ARGS__);		\
	} while (0)
#define pgm_explain_tail(inst, ...)					\
	do {								\
		if (0)							\
			pgm_explain_add_tail(inst, __VA_ARGS__);	\
	} while (0)

static inline bool pgm_explaining(struct pgm_instance *inst)
{
	return false;
}
#else
/* One line of the explanation; nothing is evaluated unless one is on */
#define pgm_explain(inst, ...)						\
	do {								\
		if (static_branch_unlikely(&pgm_explain_key))		\
			pgm_explain_add(inst, __VA_ARGS__);		\
	} while (0)
/* A closing line (the result): kept even when the steps were cut */
#define pgm_explain_tail(inst, ...)					\
	do {								\
		if (static_branch_unlikely(&pgm_explain_key))		\
			pgm_explain_add_tail(inst, __VA_ARGS__);	\
	} while (0)

/* True while current's request on @inst is being explained */
static inline bool pgm_explaining(struct pgm_instance *inst)
{
	struct pgm_explain *e;

	if (!static_branch_unlikely(&pgm_explain_key))
		return false;
	e = READ_ONCE(inst->explain);
	return e && READ_ONCE(e->task) == current;
}
#endif /* NOTRACE */

#endif /* _PGMIRROR_EXPLAIN_H */
