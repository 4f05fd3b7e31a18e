/* What the training tests share: CHECK counts a failed condition and prints
 * where and why, so one run reports every failure rather than the first. */
#ifndef TTFS_TESTUTIL_H
#define TTFS_TESTUTIL_H

#include <stdio.h>

static int failures;
#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            failures++;                                                                            \
            fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond);               \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
        }                                                                                          \
    } while (0)

/* main's exit status: 1 (after saying how many) if any CHECK failed. */
static inline int check_summary(void)
{
    if (failures)
        fprintf(stderr, "%d checks failed\n", failures);
    return failures ? 1 : 0;
}

#endif
