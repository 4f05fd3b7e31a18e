/* axon: the command-line program. Dispatches to the subcommand groups. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

static const struct axon_cmd commands[] = {
    {"version", "print the program and protocol versions", axon_cmd_version},
    {"list", "list the boards that can be reached", axon_cmd_list},
    {"info", "print a board's identification", axon_cmd_info},
    {"selftest", "check the link and the board", axon_cmd_selftest},
    {"reset", "reset the chip (or only the link)", axon_cmd_reset},
    {"peek", "read board or chip registers", axon_cmd_peek},
    {"poke", "write board or chip registers", axon_cmd_poke},
    {"record", "inject spikes from a CSV, record spikes and MADC samples", axon_cmd_record},
    {"demo", "run a small experiment on the (simulated) board", axon_cmd_demo},
    {"train", "train a time-to-first-spike network (software or in the loop on a board)",
     axon_cmd_train},
    {"evaluate", "test accuracy of a trained network (axon train --export) on a board",
     axon_cmd_evaluate},
    {"map", "place a training config's network on the chip: placement and resources", axon_cmd_map},
    {"data", "print a data set (Yin-Yang) as CSV", axon_cmd_data},
    {"ttfs", "spike times and exact gradients of a small network (ttfs eval)", axon_cmd_ttfs},
    {"calibrate", "calibrate every neuron of a board to targets (cached per die)",
     axon_cmd_calibrate},
    {"ppu", "run a program on a plasticity processor (status, stop)", axon_cmd_ppu},
};

void axon_err(const char *fmt, ...)
{
    va_list ap;
    fputs("axon: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int axon_check_device(const char *cmd, const char *uri)
{
    if (!uri || *uri)
        return 0;
    if (uri == getenv("AXON_DEVICE"))
        axon_err("%s: AXON_DEVICE is empty (unset it for sim:, or name a device)", cmd);
    else
        axon_err("%s: --device: empty device URI (e.g. sim:, socket:, usb:, ftdi:)", cmd);
    return 2;
}

static void print_usage(FILE *f)
{
    fputs("usage: axon COMMAND [ARGS...]   (axon COMMAND --help for details)\n\ncommands:\n", f);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
}

/* Every command's output reaches stdout or the command fails: a full disk or
 * a closed pipe behind stdout is an error, never a silent exit 0. */
static int finish_stdout(int rc)
{
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        axon_err("cannot write to stdout: %s", errno ? strerror(errno) : "write error");
        return rc ? rc : 1;
    }
    return rc;
}

static int run(int argc, char **argv)
{
    if (argc < 2) {
        print_usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        print_usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    axon_err("unknown command '%s' (see axon --help)", argv[1]);
    return 2;
}

int main(int argc, char **argv)
{
    return finish_stdout(run(argc, argv));
}
