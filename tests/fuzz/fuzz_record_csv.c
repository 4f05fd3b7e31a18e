/* Fuzz target: axon record's input CSV reader (read_input of
 * tools/axon/cmd_record.c, compiled in with stubs for the rest of the
 * program) on a temporary file. Injections come back sorted by time. */
#define _GNU_SOURCE
#include <unistd.h>

#include "../../tools/axon/cmd_record.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#include "../cli/cli_stubs.h"

static char path[64];

static void remove_file(void)
{
    unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!path[0]) {
        snprintf(path, sizeof path, "/tmp/axon-fuzz-csv-%d.csv", (int)getpid());
        atexit(remove_file);
    }
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    inj *in = NULL;
    size_t n = 0;
    if (read_input(path, &in, &n) == 0)
        for (size_t i = 1; i < n; i++)
            if (in[i].cycle < in[i - 1].cycle)
                abort();
    free(in);
    return 0;
}
