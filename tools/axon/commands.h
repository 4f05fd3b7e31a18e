/* The axon program's subcommands. Each group of subcommands lives in its own
 * cmd_*.c file and adds its entries to the table in main.c. */
#ifndef AXON_TOOLS_COMMANDS_H
#define AXON_TOOLS_COMMANDS_H

struct axon_cmd {
    const char *name;    /* first word on the command line, e.g. "train" */
    const char *summary; /* one line for `axon --help` */
    /* argv[0] is the subcommand's name; returns the process exit code
     * (0 ok, 1 runtime failure, 2 usage error). */
    int (*run)(int argc, char **argv);
};

/* Print "axon: <message>\n" to stderr; the one way commands report errors. */
void axon_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The device URI a command will open: --device's value, else $AXON_DEVICE,
 * else NULL (libaxon's default). An empty one is an error: reported (naming
 * where it came from) and 2 returned; else 0. */
int axon_check_device(const char *cmd, const char *uri);

/* Progress bar on stderr (progress.c): axon_progress_wanted() says whether
 * stderr is a terminal; axon_progress draws "label [###...] NN%" in place and
 * clears the line when done reaches total. */
int axon_progress_wanted(void);
void axon_progress(const char *label, double done, double total);
void axon_progress_clear(void); /* before an error message cuts a bar short */

/* Subcommands, one line each; defined in the cmd_*.c file of their group. */
int axon_cmd_version(int argc, char **argv);   /* cmd_version.c */
int axon_cmd_list(int argc, char **argv);      /* cmd_device.c */
int axon_cmd_info(int argc, char **argv);      /* cmd_device.c */
int axon_cmd_reset(int argc, char **argv);     /* cmd_device.c */
int axon_cmd_selftest(int argc, char **argv);  /* cmd_device.c */
int axon_cmd_peek(int argc, char **argv);      /* cmd_device.c */
int axon_cmd_poke(int argc, char **argv);      /* cmd_device.c */
int axon_cmd_record(int argc, char **argv);    /* cmd_record.c */
int axon_cmd_demo(int argc, char **argv);      /* cmd_demo.c */
int axon_cmd_evaluate(int argc, char **argv);  /* cmd_evaluate.c */
int axon_cmd_train(int argc, char **argv);     /* cmd_train.c, cmd_train_job.c */
int axon_cmd_map(int argc, char **argv);       /* cmd_map.c */
int axon_cmd_data(int argc, char **argv);      /* cmd_data.c */
int axon_cmd_ttfs(int argc, char **argv);      /* cmd_ttfs.c */
int axon_cmd_calibrate(int argc, char **argv); /* cmd_calibrate.c */
int axon_cmd_ppu(int argc, char **argv);       /* cmd_ppu.c */

#endif
