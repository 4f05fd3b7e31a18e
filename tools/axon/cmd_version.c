/* axon version */
#include <stdio.h>
#include <string.h>

#include "commands.h"

#ifndef AXON_VERSION
#define AXON_VERSION "unknown"
#endif

int axon_cmd_version(int argc, char **argv)
{
    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        puts("usage: axon version\n\nPrints the version of the axon program.");
        return 0;
    }
    if (argc > 1) {
        axon_err("version: unexpected argument '%s'", argv[1]);
        return 2;
    }
    printf("axon %s\n", AXON_VERSION);
    return 0;
}
