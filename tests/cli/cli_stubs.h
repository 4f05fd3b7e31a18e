/* Stand-ins for the axon program's shared helpers (main.c, progress.c,
 * cmd_device.c), for tests and fuzz targets that compile one cmd_*.c file in:
 * errors and progress go nowhere, every device is accepted. */
#ifndef AX_TESTS_CLI_STUBS_H
#define AX_TESTS_CLI_STUBS_H

void axon_err(const char *fmt, ...)
{
    (void)fmt;
}
int axon_check_device(const char *cmd, const char *uri)
{
    (void)cmd;
    (void)uri;
    return 0;
}
int axon_progress_wanted(void)
{
    return 0;
}
void axon_progress(const char *label, double done, double total)
{
    (void)label;
    (void)done;
    (void)total;
}
void axon_progress_clear(void) {}

#endif
