/* axon list | info | reset | selftest | peek | poke: the board through libaxon.
 * Every command takes --device URI (else $AXON_DEVICE, else sim:). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axon/axon.h"
#include "axon/program.h"
#include "commands.h"

typedef struct dev_args {
    const char *uri;
    int json;
    int link_only;
    int nargs;
    char *args[8];
} dev_args;

static int is_help(const char *a)
{
    return !strcmp(a, "--help") || !strcmp(a, "-h");
}

/* Parses --device, --json (and --link for reset); the rest are positional.
 * Returns 0, 1 for --help (usage printed), or 2 (error reported). */
static int parse(int argc, char **argv, const char *usage, dev_args *a)
{
    memset(a, 0, sizeof *a);
    a->uri = getenv("AXON_DEVICE");
    for (int i = 1; i < argc; i++) {
        if (is_help(argv[i])) {
            fputs(usage, stdout);
            return 1;
        } else if (!strcmp(argv[i], "--device") || !strcmp(argv[i], "-d")) {
            if (++i == argc) {
                axon_err("%s: --device needs a URI (e.g. sim:, socket:, usb:, ftdi:)", argv[0]);
                return 2;
            }
            a->uri = argv[i];
        } else if (!strcmp(argv[i], "--json")) {
            a->json = 1;
        } else if (!strcmp(argv[i], "--link") && !strcmp(argv[0], "reset")) {
            a->link_only = 1;
        } else if (argv[i][0] == '-' && argv[i][1] && !(argv[i][1] >= '0' && argv[i][1] <= '9')) {
            axon_err("%s: unknown option '%s' (see axon %s --help)", argv[0], argv[i], argv[0]);
            return 2;
        } else if (a->nargs < 8) {
            a->args[a->nargs++] = argv[i];
        } else {
            axon_err("%s: too many arguments", argv[0]);
            return 2;
        }
    }
    return axon_check_device(argv[0], a->uri);
}

static ax_device *open_dev(const char *cmd, const char *uri)
{
    ax_device *d = NULL;
    int r = ax_open(uri, &d);
    if (r < 0)
        axon_err("%s: cannot open device '%s': %s", cmd, uri && *uri ? uri : AX_DEFAULT_URI,
                 *ax_error_detail() ? ax_error_detail() : ax_strerror(r));
    return d;
}

static int fail(const char *cmd, int r)
{
    axon_err("%s: %s", cmd, *ax_error_detail() ? ax_error_detail() : ax_strerror(r));
    return 1;
}

/* Parses an unsigned number (decimal or 0x) no larger than max. */
static int parse_u32(const char *s, uint32_t max, uint32_t *v)
{
    char *end;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 0);
    if (errno || end == s || *end || *s == '-' || x > max)
        return -1;
    *v = (uint32_t)x;
    return 0;
}

/* ---- list ------------------------------------------------------------------- */
struct list_out {
    int json, n;
};

static void print_found(void *ctx, const char *uri, const char *desc)
{
    struct list_out *o = ctx;
    if (o->json)
        printf("%s{\"uri\":\"%s\",\"description\":\"%s\"}", o->n++ ? "," : "", uri, desc);
    else
        printf("%-40s %s\n", uri, desc);
}

int axon_cmd_list(int argc, char **argv)
{
    dev_args a;
    int r = parse(argc, argv,
                  "usage: axon list [--json]\n\nLists the boards libaxon can reach now: the "
                  "simulated board, axon-board servers on\nthe default socket, USB3 (usb:) and "
                  "USB2 (ftdi:) boards.\n",
                  &a);
    if (r)
        return r == 1 ? 0 : 2;
    if (a.nargs) {
        axon_err("list: unexpected argument '%s'", a.args[0]);
        return 2;
    }
    struct list_out o = {a.json, 0};
    if (a.json)
        fputs("[", stdout);
    r = ax_list(print_found, &o);
    if (a.json)
        puts("]");
    return r < 0 ? fail("list", r) : 0;
}

/* ---- info ------------------------------------------------------------------- */
int axon_cmd_info(int argc, char **argv)
{
    dev_args a;
    int r = parse(argc, argv,
                  "usage: axon info [--device URI] [--json]\n\nPrints the board's "
                  "identification: protocol and model version, chip id, die\nseed, board "
                  "variant and geometry.\n",
                  &a);
    if (r)
        return r == 1 ? 0 : 2;
    if (a.nargs) {
        axon_err("info: unexpected argument '%s'", a.args[0]);
        return 2;
    }
    ax_device *d = open_dev("info", a.uri);
    if (!d)
        return 1;
    const ax_ident *id = ax_device_ident(d);
    const char *variant = id->variant == 0 ? "usb3" : id->variant == 1 ? "usb2" : "unknown";
    unsigned maj = id->protocol_version >> 16, min = id->protocol_version & 0xFFFFu;
    if (a.json)
        printf("{\"device\":\"%s\",\"protocol_version\":\"%u.%u\",\"model_version\":%u,"
               "\"chip_id\":%u,\"die_seed\":%" PRIu64 ",\"variant\":\"%s\",\"port_bytes\":%u,"
               "\"neurons_per_hemisphere\":%u,\"rows_per_hemisphere\":%u,"
               "\"playback_words\":%u,\"replay_frames\":%u,\"ppu\":%s}\n",
               ax_device_uri(d), maj, min, id->model_version, id->chip_id, id->die_seed, variant,
               id->port_bytes, id->neurons_per_hemi, id->rows_per_hemi, id->playback_words,
               id->replay_frames, id->capabilities & 1 ? "true" : "false");
    else
        printf("device:            %s\nprotocol version:  %u.%u\nmodel version:     %u\n"
               "chip id:           0x%08x\ndie seed:          %" PRIu64 "\n"
               "variant:           %s (%u-byte port)\nneurons:           2 x %u\n"
               "synapse rows:      2 x %u\nplayback buffer:   %u words\nPPU:               %s\n",
               ax_device_uri(d), maj, min, id->model_version, id->chip_id, id->die_seed, variant,
               id->port_bytes, id->neurons_per_hemi, id->rows_per_hemi, id->playback_words,
               id->capabilities & 1 ? "present" : "absent");
    ax_close(d);
    return 0;
}

/* ---- reset ------------------------------------------------------------------ */
int axon_cmd_reset(int argc, char **argv)
{
    dev_args a;
    int r = parse(argc, argv,
                  "usage: axon reset [--device URI] [--link]\n\nReturns the chip to its "
                  "power-on state (CHIP_RESET). With --link only the link is\nreset (HELLO): "
                  "buffers and a running program are dropped, the chip is kept.\n",
                  &a);
    if (r)
        return r == 1 ? 0 : 2;
    if (a.nargs) {
        axon_err("reset: unexpected argument '%s'", a.args[0]);
        return 2;
    }
    ax_device *d = open_dev("reset", a.uri); /* opening already sends HELLO */
    if (!d)
        return 1;
    r = a.link_only ? AX_OK : ax_chip_reset(d);
    ax_close(d);
    return r < 0 ? fail("reset", r) : 0;
}

/* ---- peek / poke ------------------------------------------------------------ */
#define ADDR_MAX 0xFFFFFFu

int axon_cmd_peek(int argc, char **argv)
{
    dev_args a;
    int r = parse(argc, argv,
                  "usage: axon peek [--device URI] [--json] ADDR [COUNT]\n\nReads COUNT (default "
                  "1, at most 4096) registers from word address ADDR\n(0x000000-0xFFFFFF, see "
                  "docs/protocol.md and docs/chip.md).\n",
                  &a);
    if (r)
        return r == 1 ? 0 : 2;
    uint32_t addr, n = 1;
    if (a.nargs < 1 || a.nargs > 2) {
        axon_err("peek: expected ADDR [COUNT] (see axon peek --help)");
        return 2;
    }
    if (parse_u32(a.args[0], ADDR_MAX, &addr) < 0) {
        axon_err("peek: address '%s' is not a number in 0..0xffffff", a.args[0]);
        return 2;
    }
    if (a.nargs == 2 && (parse_u32(a.args[1], 4096, &n) < 0 || n == 0 || n - 1 > ADDR_MAX - addr)) {
        axon_err("peek: count '%s' out of range (1..4096, not past 0xffffff)", a.args[1]);
        return 2;
    }
    ax_device *d = open_dev("peek", a.uri);
    if (!d)
        return 1;
    uint32_t *v = calloc(n, sizeof *v);
    r = v ? ax_reg_read_block(d, addr, v, n) : AX_E_NOMEM;
    if (r == AX_OK) {
        if (a.json)
            fputs("[", stdout);
        for (uint32_t i = 0; i < n; i++)
            if (a.json)
                printf("%s{\"addr\":%u,\"value\":%u}", i ? "," : "", addr + i, v[i]);
            else
                printf("0x%06x: 0x%08x\n", addr + i, v[i]);
        if (a.json)
            puts("]");
    }
    free(v);
    ax_close(d);
    return r < 0 ? fail("peek", r) : 0;
}

int axon_cmd_poke(int argc, char **argv)
{
    dev_args a;
    int r = parse(argc, argv,
                  "usage: axon poke [--device URI] ADDR VALUE [VALUE...]\n\nWrites the VALUEs "
                  "(32-bit) to consecutive registers from word address ADDR.\nAll arguments are "
                  "checked before anything is written.\n",
                  &a);
    if (r)
        return r == 1 ? 0 : 2;
    uint32_t addr, v[8];
    if (a.nargs < 2) {
        axon_err("poke: expected ADDR VALUE [VALUE...] (see axon poke --help)");
        return 2;
    }
    if (parse_u32(a.args[0], ADDR_MAX, &addr) < 0 || (uint32_t)(a.nargs - 2) > ADDR_MAX - addr) {
        axon_err("poke: address '%s' is not a number in 0..0xffffff", a.args[0]);
        return 2;
    }
    for (int i = 1; i < a.nargs; i++)
        if (parse_u32(a.args[i], UINT32_MAX, &v[i - 1]) < 0) {
            axon_err("poke: value '%s' is not a 32-bit unsigned number", a.args[i]);
            return 2;
        }
    ax_device *d = open_dev("poke", a.uri);
    if (!d)
        return 1;
    r = ax_reg_write_block(d, addr, v, (size_t)a.nargs - 1);
    ax_close(d);
    return r < 0 ? fail("poke", r) : 0;
}

/* ---- selftest --------------------------------------------------------------- */
typedef struct st_ctx {
    int json, failed, n;
} st_ctx;

static void check(st_ctx *c, const char *name, int ok, const char *detail)
{
    c->failed += !ok;
    if (c->json)
        printf("%s{\"check\":\"%s\",\"ok\":%s,\"detail\":\"%s\"}", c->n++ ? "," : "", name,
               ok ? "true" : "false", detail);
    else
        printf("%-10s %-22s %s\n", ok ? "ok" : "FAILED", name, detail);
}

static void st_scratch(ax_device *d, st_ctx *c)
{
    static const uint32_t pat[] = {0, 0xFFFFFFFFu, 0xA5A5A5A5u, 0x5A5A5A5Au, 0x12345678u};
    char msg[96] = "5 patterns and 32 walking ones";
    int ok = 1;
    for (unsigned i = 0; i < 5 + 32 && ok; i++) {
        uint32_t w = i < 5 ? pat[i] : 1u << (i - 5), r = ~w;
        int e = ax_reg_write(d, AX_REG_SCRATCH, w);
        if (e == AX_OK)
            e = ax_reg_read(d, AX_REG_SCRATCH, &r);
        if (e < 0 || r != w) {
            ok = 0;
            snprintf(msg, sizeof msg, "wrote 0x%08x, read 0x%08x (%s)", w, r, ax_strerror(e));
        }
    }
    check(c, "scratch register", ok, msg);
}

static void st_ident(ax_device *d, st_ctx *c)
{
    const ax_ident *id = ax_device_ident(d);
    uint32_t v[8] = {0};
    char msg[128] = "PROTOCOL, MODEL, CHIP_ID, DIE_SEED, GEOMETRY match IDENT";
    int e = ax_reg_read_block(d, AX_REG_PROTOCOL, v, 8);
    uint64_t seed = (uint64_t)v[4] << 32 | v[3];
    uint32_t geo = id->neurons_per_hemi | (uint32_t)id->rows_per_hemi << 16;
    int ok = e == AX_OK && v[0] == id->protocol_version && v[1] == id->model_version &&
             v[2] == id->chip_id && seed == id->die_seed && v[7] == geo;
    if (!ok)
        snprintf(msg, sizeof msg, "registers disagree with IDENT (%s)", ax_strerror(e));
    check(c, "identification", ok, msg);
}

static void st_timing(ax_device *d, st_ctx *c)
{
    ax_program *p;
    ax_result r;
    ax_result_init(&r);
    char msg[128];
    int e = ax_program_new(&p);
    if (e == AX_OK) {
        ax_program_timer_reset(p);
        ax_program_wait_until(p, 5000);
        ax_program_read(p, AX_REG_TIME_LO, 1);
        ax_program_wait_until(p, 100); /* already past: must come back LATE */
        e = ax_run(d, p, &r);
    }
    uint32_t t = e == AX_OK ? r.tickets[0].data[0] : 0;
    int ok = e == AX_OK && t >= 5000 && t < 5100 && r.nlate == 1 && r.first_late == 100;
    snprintf(msg, sizeof msg, "wait-until 5000 read time %u, late flags %zu (%s)", t, r.nlate,
             ax_strerror(e));
    check(c, "playback timing", ok, msg);
    ax_result_free(&r);
    ax_program_free(p);
}

int axon_cmd_selftest(int argc, char **argv)
{
    dev_args a;
    int r = parse(argc, argv,
                  "usage: axon selftest [--device URI] [--json]\n\nChecks the link and the "
                  "board: identification registers against IDENT, the\nSCRATCH register with "
                  "patterns, and playback timing with a late wait-until.\nExit code 0 when "
                  "every check passes, 1 otherwise.\n",
                  &a);
    if (r)
        return r == 1 ? 0 : 2;
    if (a.nargs) {
        axon_err("selftest: unexpected argument '%s'", a.args[0]);
        return 2;
    }
    ax_device *d = open_dev("selftest", a.uri);
    if (!d)
        return 1;
    st_ctx c = {.json = a.json};
    if (a.json)
        fputs("{\"checks\":[", stdout);
    st_ident(d, &c);
    st_scratch(d, &c);
    st_timing(d, &c);
    ax_link_stats s;
    ax_link_get_stats(d, &s);
    if (a.json)
        printf("],\"passed\":%s,\"cmd_frames\":%llu,\"resends\":%llu}\n",
               c.failed ? "false" : "true", (unsigned long long)s.cmd_frames,
               (unsigned long long)s.cmd_resent);
    else
        printf("%s: %d check(s) failed; %llu command frames, %llu resent\n",
               c.failed ? "FAILED" : "passed", c.failed, (unsigned long long)s.cmd_frames,
               (unsigned long long)s.cmd_resent);
    ax_close(d);
    return c.failed ? 1 : 0;
}
