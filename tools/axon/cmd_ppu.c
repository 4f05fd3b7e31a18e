/* axon ppu run | status | stop: a program on a plasticity processor. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axon/axon.h"
#include "axon/ppu.h"
#include "commands.h"

#define EXIT_TRAP    133 /* 128 + SIGTRAP, as a shell reports a native program killed by a trap */
#define EXIT_TIMEOUT 124 /* as timeout(1) */

static const char ppu_usage[] =
    "usage: axon ppu run PROGRAM.elf [--hemisphere H] [--timeout S] [--device URI]\n"
    "       axon ppu status [--hemisphere H] [--device URI]\n"
    "       axon ppu stop [--hemisphere H] [--device URI]\n\n"
    "run loads PROGRAM.elf (an RV32IM executable built against ppu/, docs/ppu.md) into\n"
    "the SRAM of the plasticity processor of hemisphere H (0 or 1, default 0), starts\n"
    "it at its entry point, waits until it exits (at most S seconds, default 10),\n"
    "prints its mailbox text to stdout and exits with the program's exit code\n"
    "(0..255 as the shell sees it). The file is checked before anything is sent.\n"
    "Exit codes besides the program's: 2 bad arguments or a bad ELF file, 1 a\n"
    "device error, 124 no exit within S seconds (the core is stopped), 133 the\n"
    "program trapped (the line names the cause, pc and tval).\n"
    "status prints the core's state, exit code or trap, pc and counters; stop\n"
    "halts it.\n";

typedef struct ppu_args {
    const char *uri, *cmd, *elf;
    unsigned hemi;
    double timeout_s;
} ppu_args;

/* Returns 0, 1 (--help printed) or 2 (error reported). */
static int parse_args(int argc, char **argv, ppu_args *a)
{
    memset(a, 0, sizeof *a);
    a->uri = getenv("AXON_DEVICE");
    a->timeout_s = 10;
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
            fputs(ppu_usage, stdout);
            return 1;
        }
        if (o[0] != '-' || !o[1]) {
            if (!a->cmd)
                a->cmd = o;
            else if (!a->elf && !strcmp(a->cmd, "run"))
                a->elf = o;
            else {
                axon_err("ppu: unexpected argument '%s' (see axon ppu --help)", o);
                return 2;
            }
            continue;
        }
        if (i + 1 == argc) {
            axon_err("ppu: '%s' needs a value or is unknown (see axon ppu --help)", o);
            return 2;
        }
        const char *v = argv[++i];
        char *end;
        if (!strcmp(o, "--device") || !strcmp(o, "-d"))
            a->uri = v;
        else if (!strcmp(o, "--hemisphere")) {
            if (strcmp(v, "0") && strcmp(v, "1")) {
                axon_err("ppu: --hemisphere '%s': expected 0 or 1", v);
                return 2;
            }
            a->hemi = (unsigned)(v[0] - '0');
        } else if (!strcmp(o, "--timeout")) {
            errno = 0;
            a->timeout_s = strtod(v, &end);
            if (errno || end == v || *end || !(a->timeout_s > 0) || a->timeout_s > 1e6) {
                axon_err("ppu: --timeout '%s': expected seconds, > 0 and <= 1e6", v);
                return 2;
            }
        } else {
            axon_err("ppu: unknown option '%s' (see axon ppu --help)", o);
            return 2;
        }
    }
    if (!a->cmd || (strcmp(a->cmd, "run") && strcmp(a->cmd, "status") && strcmp(a->cmd, "stop"))) {
        axon_err("ppu: expected run, status or stop (see axon ppu --help)");
        return 2;
    }
    if (!strcmp(a->cmd, "run") && !a->elf) {
        axon_err("ppu: run needs a PROGRAM.elf (see axon ppu --help)");
        return 2;
    }
    return axon_check_device("ppu", a->uri);
}

/* The library's detail after "axon: ppu: " (its own "ppu: " prefix dropped). */
static int fail(int r)
{
    const char *m = *ax_error_detail() ? ax_error_detail() : ax_strerror(r);
    axon_err("ppu: %s", strncmp(m, "ppu: ", 5) ? m : m + 5);
    return 1;
}

/* The mailbox's text to stdout; a note if the program wrote more than it keeps. */
static int print_mailbox(ax_device *d, unsigned hemi)
{
    char buf[AX_PPU_MAILBOX_BYTES];
    size_t n;
    struct ax_ppu_status st;
    int r = ax_ppu_mailbox(d, hemi, buf, sizeof buf, &n);
    if (r == AX_OK)
        r = ax_ppu_status(d, hemi, &st);
    if (r < 0)
        return r;
    fwrite(buf, 1, n, stdout);
    fflush(stdout);
    if (st.mbox_overflow)
        axon_err("ppu: note: the mailbox kept only the first %u bytes of the output",
                 AX_PPU_MAILBOX_BYTES);
    return AX_OK;
}

static int run(ax_device *d, const ppu_args *a, const ax_ppu_image *img)
{
    struct ax_ppu_status st;
    int r = ax_ppu_load(d, a->hemi, img);
    if (r == AX_OK)
        r = ax_ppu_start(d, a->hemi, img->entry);
    if (r < 0)
        return fail(r);
    int w = ax_ppu_wait(d, a->hemi, a->timeout_s, &st);
    if (w < 0 && w != AX_E_TIMEOUT)
        return fail(w);
    char detail[256];
    snprintf(detail, sizeof detail, "%s", ax_error_detail());
    r = print_mailbox(d, a->hemi);
    if (r < 0)
        return fail(r);
    if (w == AX_E_TIMEOUT) {
        axon_err("%s; stopped", detail); /* "ppu H: no exit within ..." */
        return EXIT_TIMEOUT;
    }
    if (st.trapped) {
        axon_err("ppu: trap: %s at pc 0x%08x (tval 0x%08x)", ax_ppu_cause_name(st.cause), st.pc,
                 st.tval);
        return EXIT_TRAP;
    }
    if (!st.exited) {
        axon_err("ppu: the core was stopped before the program exited (pc 0x%08x)", st.pc);
        return 1;
    }
    return (int)(st.exit_code & 0xFFu);
}

static const char *state_name(unsigned s)
{
    static const char *const n[] = {"stopped", "running", "asleep", "halted"};
    return n[s & 3u];
}

static int status(ax_device *d, unsigned hemi)
{
    struct ax_ppu_status st;
    int r = ax_ppu_status(d, hemi, &st);
    if (r < 0)
        return fail(r);
    printf("ppu %u:       %s", hemi, state_name(st.state));
    if (st.exited)
        printf(", exited with code %u", st.exit_code);
    if (st.trapped)
        printf(", trap: %s (tval 0x%08x)", ax_ppu_cause_name(st.cause), st.tval);
    printf("\npc:          0x%08x\ncycles:      %u\ninstructions: %u\noutbox:      0x%08x\n"
           "mailbox:     %u bytes%s\n",
           st.pc, st.cycles, st.instret, st.outbox, st.mbox_len,
           st.mbox_overflow ? " (more were dropped)" : "");
    return 0;
}

int axon_cmd_ppu(int argc, char **argv)
{
    ppu_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc)
        return rc == 1 ? 0 : 2;
    static ax_ppu_image img;
    if (a.elf && ax_ppu_image_read(a.elf, &img) < 0) {
        axon_err("ppu: %s", ax_error_detail());
        return 2;
    }
    ax_device *d = NULL;
    int r = ax_open(a.uri, &d);
    if (r < 0) {
        axon_err("ppu: cannot open device '%s': %s", a.uri ? a.uri : AX_DEFAULT_URI,
                 *ax_error_detail() ? ax_error_detail() : ax_strerror(r));
        return 1;
    }
    r = ax_ppu_check(d);
    if (r < 0)
        rc = fail(r);
    else if (!strcmp(a.cmd, "run"))
        rc = run(d, &a, &img);
    else if (!strcmp(a.cmd, "status"))
        rc = status(d, a.hemi);
    else
        rc = (r = ax_ppu_stop(d, a.hemi)) < 0 ? fail(r) : 0;
    ax_close(d);
    return rc;
}
