/* The STDP sweep of bench-ppu (bench_stdp.h). */
#include "bench_stdp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axon/chip.h"
#include "axon/ppu.h"
#include "ppu_learn.h"

struct stdp_params { /* ppu/programs/stdp.c, in the host area */
    uint32_t first, last, eta_c, eta_a, reset;
    uint8_t base_c[256], base_a[256];
};

/* One update by dir/name with p; *cycles = its OUTBOX. */
static int sweep(ax_device *d, const char *dir, const char *name, const struct stdp_params *p,
                 uint32_t *cycles)
{
    struct ax_ppu_status st;
    int r = pl_start(d, 0, dir, name, p, sizeof *p);
    if (r == AX_OK)
        r = ax_ppu_wait(d, 0, 600, &st);
    if (r == AX_OK && !(st.exited && st.exit_code == 0))
        r = ax_fail(AX_E_REMOTE, "%s: %s %u", name, st.exited ? "exit" : "trap",
                    st.exited ? st.exit_code : st.cause);
    *cycles = st.outbox;
    return r;
}

int bench_stdp_sweep(ax_device *d, const char *ppu_dir, uint32_t *cycles_rowunit,
                     uint32_t *cycles_scalar)
{
    uint32_t version;
    unsigned cols, rows;
    int r = ax_chip_info(d, &version, &cols, &rows);
    if (r < 0)
        return r;
    uint8_t *w = malloc((size_t)rows * cols), *l = calloc((size_t)rows * cols, 1);
    if (!w || !l) {
        free(w);
        free(l);
        return ax_fail(AX_E_NOMEM, "bench_stdp_sweep: out of memory");
    }
    memset(w, 30, (size_t)rows * cols);
    r = ax_chip_set_matrix(d, 0, 0, rows, w, l);
    free(w);
    free(l);
    static struct stdp_params p;
    p.first = 0;
    p.last = rows - 1;
    p.eta_c = 128;
    p.eta_a = 128;
    if (r == AX_OK)
        r = sweep(d, ppu_dir, "stdp.elf", &p, cycles_rowunit);
    if (r == AX_OK)
        r = sweep(d, ppu_dir, "stdp_scalar.elf", &p, cycles_scalar);
    return r;
}
