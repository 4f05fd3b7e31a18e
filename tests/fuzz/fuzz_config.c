/* Fuzz target: the config parser (common/src/config.c) on a string, then a
 * few typed look-ups of whatever it parsed. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "axon/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    ax_config *cfg = NULL;
    if (ax_config_load_string(&cfg, text, "fuzz") == 0 && cfg) {
        long long i;
        double d;
        bool b;
        const char *s;
        double list[8];
        size_t n;
        ax_config_get_int(cfg, "train", "epochs", 0, 1000, &i);
        ax_config_get_double(cfg, "net", "threshold", -1e9, 1e9, &d);
        ax_config_get_bool(cfg, "net", "delays", &b);
        ax_config_get_string(cfg, "data", "set", &s);
        ax_config_get_double_list(cfg, "net", "sizes", -1e9, 1e9, 1, 8, list, &n);
        ax_config_has(cfg, "a", "b");
        ax_config_check_unknown(cfg);
    }
    ax_config_free(cfg);
    free(text);
    return 0;
}
