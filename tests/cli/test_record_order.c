/* axon record's program: the trial's timeline starts (TIMER_RESET) before
 * recording is switched on, so a spike from before the trial can never be
 * written with the old timeline. Compiles tools/axon/cmd_record.c in and
 * replaces libaxon's program builder with stubs that log the calls. */
#define _POSIX_C_SOURCE 200809L
#include "../../tools/axon/cmd_record.c"

#include "cli_stubs.h"

static char calls[256];

static int log_call(const char *what)
{
    strncat(calls, what, sizeof calls - strlen(calls) - 1);
    return AX_OK;
}
int ax_program_record(ax_program *p, uint32_t flags)
{
    (void)p;
    return log_call(flags ? "R+" : "R-");
}
int ax_program_timer_reset(ax_program *p)
{
    (void)p;
    return log_call("T");
}
int ax_program_wait_until(ax_program *p, uint64_t cycle)
{
    (void)p;
    (void)cycle;
    return log_call("W");
}
int ax_program_inject(ax_program *p, uint16_t label)
{
    (void)p;
    (void)label;
    return log_call("I");
}

int main(void)
{
    rec_args a = {.duration_us = 10};
    inj in[2] = {{.cycle = 10, .label = 1}, {.cycle = 20, .label = 2}};
    int r = build(NULL, &a, in, 2);
    printf("build: %d, calls %s\n", r, calls);
    /* The timeline first, then recording, the injections, the end, off. */
    int ok = r == 0 && !strcmp(calls, "TR+WIWIWR-");
    printf("%s: TIMER_RESET before RECORD(on)\n", ok ? "ok" : "FAIL");
    return ok ? 0 : 1;
}
