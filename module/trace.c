// SPDX-License-Identifier: GPL-2.0
/*
 * pgmirror: the pgmirror trace system's tracepoints are created here.
 */

#define CREATE_TRACE_POINTS
#include "pgmirror_trace.h"
