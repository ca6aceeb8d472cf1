// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror: explain. A control write asks for it with explain=1 on an
 * alloc; the first request of that command is written down step by step
 * by the same hooks that fire the tracepoints, and the explain file shows
 * the text until the next explained request.
 */

#include <linux/kernel.h>
#include <asm/barrier.h>
#include <linux/stdarg.h>
#include <linux/string.h>

#include "explain.h"
#include "internal.h"
#include "pgmirror.h"

DEFINE_STATIC_KEY_FALSE(pgm_explain_key);
/* Explain, or a pgmirror tracepoint with a probe: see PGM_ALLOC_HOOKS */
DEFINE_STATIC_KEY_FALSE(pgm_hooks_key);

/**
 * pgm_trace_hooks_reg() - a pgmirror tracepoint got its first probe
 *
 * Return: 0.
 */
int pgm_trace_hooks_reg(void)
{
	static_branch_inc(&pgm_hooks_key);
	return 0;
}

/**
 * pgm_trace_hooks_unreg() - a pgmirror tracepoint lost its last probe
 */
void pgm_trace_hooks_unreg(void)
{
	static_branch_dec(&pgm_hooks_key);
}

/* Room kept at the end of the text for the request's closing lines */
#define PGM_EXPLAIN_TAIL	256

static __printf(3, 0) void explain_vadd(struct pgm_explain *e, size_t room,
					 const char *fmt, va_list args)
{
	int n;

	/* A step after a closing line that went into the tail room */
	if (e->len >= room)
		return;
	n = vsnprintf(e->buf + e->len, room - e->len, fmt, args);

	/* A line that does not fit is dropped whole */
	if (e->len + n + 1 >= room) {
		e->buf[e->len] = '\0';
		if (room == sizeof(e->buf) || e->truncated)
			return;
		e->truncated = true;
		e->len += scnprintf(e->buf + e->len, sizeof(e->buf) - e->len,
				    "...truncated\n");
		return;
	}
	e->len += n;
	e->buf[e->len++] = '\n';
	e->buf[e->len] = '\0';
}

/**
 * pgm_explain_add() - append one line to the explanation being written
 * @inst: the instance
 * @fmt: printf format of the line, without its newline
 *
 * Only current's explained request writes; other contexts allocating
 * from the instance meanwhile are not explained. Once the text is full
 * but for its tail, a "...truncated" line ends the steps.
 */
void pgm_explain_add(struct pgm_instance *inst, const char *fmt, ...)
{
	struct pgm_explain *e = READ_ONCE(inst->explain);
	va_list args;

	if (!pgm_explaining(inst) || e->truncated)
		return;
	va_start(args, fmt);
	explain_vadd(e, sizeof(e->buf) - PGM_EXPLAIN_TAIL, fmt, args);
	va_end(args);
}

/**
 * pgm_explain_add_tail() - append one of the request's closing lines
 * @inst: the instance
 * @fmt: printf format of the line, without its newline
 *
 * As pgm_explain_add(), but into the room kept after a truncation too:
 * the result, the handle, a failed charge.
 */
void pgm_explain_add_tail(struct pgm_instance *inst, const char *fmt, ...)
{
	struct pgm_explain *e = READ_ONCE(inst->explain);
	va_list args;

	if (!pgm_explaining(inst))
		return;
	va_start(args, fmt);
	explain_vadd(e, sizeof(e->buf), fmt, args);
	va_end(args);
}

/**
 * pgm_explain_begin() - explain current's next request on @inst
 * @inst: the instance
 *
 * The explanation is the instance's one: the request claims it, and other
 * writers allocate meanwhile, unexplained, as kswapd reclaims.
 *
 * Return: 0; -EBUSY while another writer's explained request runs;
 * -EINTR on a fatal signal; or -ENOMEM.
 */
int pgm_explain_begin(struct pgm_instance *inst)
{
	struct pgm_explain *e;

	if (mutex_lock_killable(&inst->explain_lock))
		return -EINTR;
	e = inst->explain;
	if (!e) {
		e = pgm_meta_vzalloc(sizeof(*e));
		if (!e) {
			mutex_unlock(&inst->explain_lock);
			return -ENOMEM;
		}
		/* Lockless readers see it zeroed: no task */
		smp_store_release(&inst->explain, e);
	}
	if (e->task) {
		mutex_unlock(&inst->explain_lock);
		return -EBUSY;
	}
	e->len = 0;
	e->truncated = false;
	e->buf[0] = '\0';
	WRITE_ONCE(e->task, current);
	mutex_unlock(&inst->explain_lock);
	static_branch_inc(&pgm_explain_key);
	static_branch_inc(&pgm_hooks_key);
	return 0;
}

/**
 * pgm_explain_end() - stop explaining; the text stays for the file
 * @inst: the instance; current's request is the one explained
 */
void pgm_explain_end(struct pgm_instance *inst)
{
	static_branch_dec(&pgm_hooks_key);
	static_branch_dec(&pgm_explain_key);
	/* The text is whole before a reader can see the claim gone */
	mutex_lock(&inst->explain_lock);
	WRITE_ONCE(inst->explain->task, NULL);
	mutex_unlock(&inst->explain_lock);
}

/**
 * pgm_explain_release() - free the explanation, at destroy or rmmod
 * @inst: the instance
 */
void pgm_explain_release(struct pgm_instance *inst)
{
	pgm_meta_free(inst->explain);
	inst->explain = NULL;
}

static const struct {
	unsigned int flag;
	const char *name;
} pgm_alloc_flag_names[] = {
	{ PGM_ALLOC_NO_WATERMARKS, "NO_WATERMARKS" },
	{ PGM_ALLOC_OOM, "OOM" },
	{ PGM_ALLOC_NON_BLOCK, "NON_BLOCK" },
	{ PGM_ALLOC_MIN_RESERVE, "MIN_RESERVE" },
	{ PGM_ALLOC_CPUSET, "CPUSET" },
	{ PGM_ALLOC_CMA, "CMA" },
	{ PGM_ALLOC_NOFRAGMENT, "NOFRAGMENT" },
	{ PGM_ALLOC_HIGHATOMIC, "HIGHATOMIC" },
	{ PGM_ALLOC_KSWAPD, "KSWAPD" },
};

/**
 * pgm_alloc_flags_str() - ALLOC_* flags as upstream names them
 * @alloc_flags: the flags
 * @buf: filled with "WMARK_LOW|KSWAPD|..."
 * @len: its size
 *
 * Return: @buf.
 */
const char *pgm_alloc_flags_str(unsigned int alloc_flags, char *buf,
				size_t len)
{
	static const char * const wmark[] = { "WMARK_MIN", "WMARK_LOW",
					      "WMARK_HIGH", "WMARK_?" };
	size_t n;
	int i;

	n = scnprintf(buf, len, "%s", wmark[alloc_flags & PGM_ALLOC_WMARK_MASK]);
	for (i = 0; i < ARRAY_SIZE(pgm_alloc_flag_names); i++)
		if (alloc_flags & pgm_alloc_flag_names[i].flag)
			n += scnprintf(buf + n, len - n, "|%s",
				       pgm_alloc_flag_names[i].name);
	return buf;
}
