// axsim: the C API over the verilated board (rtl-model/include/axsim.h).
//
// The harness is the USB bridge's side of the board's FIFO pins and nothing
// more. It owns the clock and reset, keeps the bridge's transmit buffer
// (host to board, 64 KiB) and receive buffer (board to host, 64 KiB), and
// moves data across the FIFO at the variant's rate relative to the 125 MHz
// chip clock with an integer credit accumulator:
//   USB3: 32-bit words at 100 MHz, 4 bytes per 1.25 cycles (16/5 bytes a cycle)
//   USB2: bytes at ~40 MB/s, 0.32 bytes a cycle (8/25)
// The bridge's data bus is shared by both directions (as on the FT601 and
// the FT232H), so one transfer happens per credit, alternating directions
// when both are ready. On USB3 a word with fewer bytes (byte enables, as on
// the FT601) carries the last 1-3 bytes waiting. Nothing runs unless the caller steps, so
// the same options and bytes give the same bytes back.
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>

#include "axon/status.h"
#include "axsim.h"
#include "verilated.h"
#include <type_traits>
#ifdef AXSIM_LOOPBACK
// Test build (library axsim_loopback): the link part with the stand-in chip
// of rtl-model/tb/ax_chip_loopback.sv, small size only.
#include "Vax_loop_small_usb2.h"
#include "Vax_loop_small_usb2___024root.h"
#include "Vax_loop_small_usb3.h"
#include "Vax_loop_small_usb3___024root.h"
#else
#include "Vax_board_full_usb2.h"
#include "Vax_board_full_usb2___024root.h"
#include "Vax_board_full_usb3.h"
#include "Vax_board_full_usb3___024root.h"
#include "Vax_board_small_usb2.h"
#include "Vax_board_small_usb2___024root.h"
#include "Vax_board_small_usb3.h"
#include "Vax_board_small_usb3___024root.h"
#endif

namespace {

constexpr size_t kBufBytes = 64 * 1024;
constexpr int kResetCycles = 4;

// Byte ring of fixed capacity.
struct Ring {
    uint8_t buf[kBufBytes];
    size_t head = 0;  // next byte to take
    size_t size = 0;

    size_t room() const { return kBufBytes - size; }
    void push(uint8_t v)
    {
        buf[(head + size) % kBufBytes] = v;
        size++;
    }
    uint8_t at(size_t i) const { return buf[(head + i) % kBufBytes]; }
    void drop(size_t n)
    {
        head = (head + n) % kBufBytes;
        size -= n;
    }
};

// One board model behind a small virtual interface; the cycle loop is in the
// template so the per-cycle path has no virtual calls.
struct Model {
    virtual ~Model() = default;
    virtual void step(axsim_board *b, uint64_t cycles, bool until_readable, uint64_t *done) = 0;
    virtual int debug_membrane(unsigned neuron, int32_t *value) = 0;
};

// The debug backdoor. The chip part may declare, in ax_neuron_array, its
// membrane state memory
//   logic [31:0] v_q [2*NeuronsPerHemi] /*verilator public_flat_rd*/;
// or, in ax_chip (the loopback stand-in does),
//   logic signed [31:0] dbg_membrane [2*NeuronsPerHemi] /*verilator public_flat_rd*/;
// (16 or 32 bits, signed or not). When the verilated root has one of them, the
// first matching overload (by priority) reads it; otherwise
// axsim_debug_membrane returns AX_E_UNSUPPORTED. No DPI involved.
template <int N> struct Prio : Prio<N - 1> {};
template <> struct Prio<0> {};

template <class A> int read_membrane_array(const A &a, unsigned n, int32_t *v)
{
    using T = typename std::remove_cv<typename std::remove_reference<decltype(a[0])>::type>::type;
    if (n >= sizeof a / sizeof a[0])
        return AX_E_RANGE;
    if (sizeof(T) == 1)
        *v = (int8_t)a[n];
    else if (sizeof(T) == 2)
        *v = (int16_t)a[n];
    else
        *v = (int32_t)a[n];
    return AX_OK;
}

template <class R>
auto read_dbg_membrane(const R *r, unsigned n, int32_t *v, Prio<2>)
    -> decltype((void)r->ax_board__DOT__u_chip__DOT__u_neurons__DOT__v_q.m_storage[0], int())
{
    return read_membrane_array(r->ax_board__DOT__u_chip__DOT__u_neurons__DOT__v_q.m_storage, n, v);
}

template <class R>
auto read_dbg_membrane(const R *r, unsigned n, int32_t *v, Prio<1>)
    -> decltype((void)r->ax_board__DOT__u_chip__DOT__dbg_membrane.m_storage[0], int())
{
    return read_membrane_array(r->ax_board__DOT__u_chip__DOT__dbg_membrane.m_storage, n, v);
}

template <class R> int read_dbg_membrane(const R *, unsigned, int32_t *, Prio<0>)
{
    return AX_E_UNSUPPORTED;
}

}  // namespace

struct axsim_board {
    axsim_options opt;
    std::unique_ptr<VerilatedContext> ctx;
    std::unique_ptr<Model> model;
    unsigned port_bytes;   // bytes per FIFO transfer
    unsigned credit_rate;  // credit a cycle
    unsigned credit_cost;  // credit a transfer
    unsigned credit = 0;
    bool turn_tx = false;  // who goes first when both directions are ready
    uint64_t cycles = 0;
    Ring tx;  // host to board
    Ring rx;  // board to host
};

namespace {

template <class M> struct ModelImpl final : Model {
    M top;

    explicit ModelImpl(VerilatedContext *ctx) : top(ctx, "board") {}

    int debug_membrane(unsigned neuron, int32_t *value) override
    {
        return read_dbg_membrane(top.rootp, neuron, value, Prio<2>());
    }

    void tick()
    {
        top.clk_i = 0;
        top.eval();
        top.clk_i = 1;
        top.eval();
    }

    void reset(const axsim_options &o, uint32_t chip_id, uint8_t fpn, uint8_t tmp)
    {
        top.chip_id_i = chip_id;
        top.die_seed_i = o.die_seed;
        top.run_seed_i = o.run_seed;
        top.fpn_scale_i = fpn;
        top.temporal_scale_i = tmp;
        top.host_rx_valid_i = 0;
        top.host_rx_data_i = 0;
        top.host_rx_be_i = 0;
        top.host_tx_ready_i = 0;
        top.rst_ni = 0;
        top.clk_i = 0;
        top.eval();
        for (int i = 0; i < kResetCycles; i++)
            tick();
        top.rst_ni = 1;
        top.eval();
    }

    void step(axsim_board *b, uint64_t cycles, bool until_readable, uint64_t *done) override
    {
        const unsigned pb = b->port_bytes;
        uint64_t n = 0;
        VerilatedContext *ctx = b->ctx.get();
        while (n < cycles && !(until_readable && b->rx.size > 0) && !ctx->gotError()) {
            bool want_rx = b->tx.size > 0 && top.host_rx_ready_o;
            bool want_tx = top.host_tx_valid_o && b->rx.room() >= pb;
            bool go_rx = false, go_tx = false;
            if (!want_rx && !want_tx) {
                if (b->credit > b->credit_cost)
                    b->credit = b->credit_cost;  // an idle bus banks no more than one transfer
            } else if (b->credit >= b->credit_cost) {
                if (want_rx && want_tx) {
                    go_tx = b->turn_tx;
                    go_rx = !go_tx;
                    b->turn_tx = !b->turn_tx;
                } else {
                    go_rx = want_rx;
                    go_tx = want_tx;
                }
                b->credit -= b->credit_cost;
            }
            uint32_t word = 0;
            unsigned nb = 0;
            if (go_rx) {
                nb = b->tx.size < pb ? (unsigned)b->tx.size : pb; /* a short last word */
                for (unsigned i = 0; i < nb; i++)
                    word |= (uint32_t)b->tx.at(i) << (8 * i);
                b->tx.drop(nb);
            }
            top.host_rx_valid_i = go_rx;
            top.host_rx_data_i = word;
            top.host_rx_be_i = (1u << nb) - 1u;
            top.host_tx_ready_i = go_tx;
            top.clk_i = 0;
            top.eval();
            if (go_tx) {
                uint32_t out = (uint32_t)top.host_tx_data_o;
                for (unsigned i = 0; i < pb; i++)
                    b->rx.push((uint8_t)(out >> (8 * i)));
            }
            top.clk_i = 1;
            top.eval();
            b->credit += b->credit_rate;
            b->cycles++;
            n++;
        }
        top.host_rx_valid_i = 0;
        top.host_tx_ready_i = 0;
        *done = n;
    }
};

template <class M>
Model *make_model(VerilatedContext *ctx, const axsim_options &o, uint32_t chip_id, uint8_t fpn,
                  uint8_t tmp)
{
    auto *m = new (std::nothrow) ModelImpl<M>(ctx);
    if (m)
        m->reset(o, chip_id, fpn, tmp);
    return m;
}

// The model for the options' size and variant; nullptr if this build has none.
Model *models_make(VerilatedContext *ctx, const axsim_options &o, uint32_t chip_id, uint8_t fpn,
                   uint8_t tmp)
{
    bool usb3 = o.variant == AXSIM_USB3;
#ifdef AXSIM_LOOPBACK
    if (o.size != AXSIM_SMALL)
        return nullptr;
    return usb3 ? make_model<Vax_loop_small_usb3>(ctx, o, chip_id, fpn, tmp)
                : make_model<Vax_loop_small_usb2>(ctx, o, chip_id, fpn, tmp);
#else
    if (o.size == AXSIM_SMALL)
        return usb3 ? make_model<Vax_board_small_usb3>(ctx, o, chip_id, fpn, tmp)
                    : make_model<Vax_board_small_usb2>(ctx, o, chip_id, fpn, tmp);
    return usb3 ? make_model<Vax_board_full_usb3>(ctx, o, chip_id, fpn, tmp)
                : make_model<Vax_board_full_usb2>(ctx, o, chip_id, fpn, tmp);
#endif
}

// 1.0 -> 128; AX_E_INVAL outside 0..1.99.
int scale_code(double s, uint8_t *out)
{
    if (!(s >= 0.0 && s < 2.0))
        return AX_E_INVAL;
    double v = s * 128.0 + 0.5;
    *out = (uint8_t)(v > 255.0 ? 255.0 : v);
    return AX_OK;
}

}  // namespace

extern "C" {

void axsim_options_default(axsim_options *opt)
{
    if (!opt)
        return;
    std::memset(opt, 0, sizeof *opt);
    opt->die_seed = 1;
    opt->run_seed = 1;
    opt->variant = AXSIM_USB3;
    opt->size = AXSIM_FULL;
    opt->fpn_scale = 1.0;
    opt->temporal_scale = 1.0;
}

int axsim_create(const axsim_options *opt, axsim_board **out)
{
    if (!opt || !out)
        return AX_E_INVAL;
    *out = nullptr;
    uint8_t fpn = 0, tmp = 0;
    if (scale_code(opt->fpn_scale, &fpn) < 0 || scale_code(opt->temporal_scale, &tmp) < 0)
        return AX_E_INVAL;
    if (opt->variant != AXSIM_USB3 && opt->variant != AXSIM_USB2)
        return AX_E_INVAL;
    if (opt->size != AXSIM_FULL && opt->size != AXSIM_SMALL)
        return AX_E_INVAL;

    axsim_board *b = new (std::nothrow) axsim_board;
    if (!b)
        return AX_E_NOMEM;
    b->opt = *opt;
    b->ctx.reset(new (std::nothrow) VerilatedContext);
    if (!b->ctx) {
        delete b;
        return AX_E_NOMEM;
    }
    b->ctx->randReset(0);  // every register starts at 0: bit-reproducible
    // An RTL assertion (only the loopback test build has them) or $stop
    // stops the board: axsim_step then returns AX_E_STATE; never exit().
    b->ctx->fatalOnError(false);
    if (opt->variant == AXSIM_USB3) {
        b->port_bytes = 4;
        b->credit_rate = 16;  // 16/5 bytes a cycle
        b->credit_cost = 20;  // 4 bytes x 5
    } else {
        b->port_bytes = 1;
        b->credit_rate = 8;   // 8/25 bytes a cycle
        b->credit_cost = 25;  // 1 byte x 25
    }
    // The chip id strap: a fold of the die seed, so two dice differ.
    uint32_t chip_id = (uint32_t)(opt->die_seed ^ (opt->die_seed >> 32));
    Model *m = models_make(b->ctx.get(), *opt, chip_id, fpn, tmp);
    if (!m) {
        delete b;
        return AX_E_UNSUPPORTED;
    }
    b->model.reset(m);
    *out = b;
    return AX_OK;
}

void axsim_destroy(axsim_board *b)
{
    // Verilator erases the model's scopes from the calling thread's current
    // context, not the model's: point it at this board's context first, or
    // destroying a board after another one was created (and perhaps freed)
    // in this thread touches the wrong, possibly freed, context.
    if (b)
        Verilated::threadContextp(b->ctx.get());
    delete b;
}

int axsim_write(axsim_board *b, const uint8_t *data, size_t len)
{
    if (!b || (!data && len))
        return AX_E_INVAL;
    size_t n = len < b->tx.room() ? len : b->tx.room();
    if (n > (size_t)INT32_MAX)
        n = INT32_MAX;
    for (size_t i = 0; i < n; i++)
        b->tx.push(data[i]);
    return (int)n;
}

int axsim_read(axsim_board *b, uint8_t *buf, size_t cap)
{
    if (!b || (!buf && cap))
        return AX_E_INVAL;
    size_t n = cap < b->rx.size ? cap : b->rx.size;
    if (n > (size_t)INT32_MAX)
        n = INT32_MAX;
    for (size_t i = 0; i < n; i++)
        buf[i] = b->rx.at(i);
    b->rx.drop(n);
    return (int)n;
}

size_t axsim_readable(const axsim_board *b)
{
    return b ? b->rx.size : 0;
}

int axsim_step(axsim_board *b, uint64_t cycles)
{
    if (!b)
        return AX_E_INVAL;
    if (b->ctx->gotError())
        return AX_E_STATE;
    Verilated::threadContextp(b->ctx.get()); // $stop and assertions report to this board
    uint64_t done = 0;
    b->model->step(b, cycles, false, &done);
    return b->ctx->gotError() ? AX_E_STATE : AX_OK;
}

int64_t axsim_step_until_readable(axsim_board *b, uint64_t max_cycles)
{
    if (!b)
        return AX_E_INVAL;
    if (max_cycles > (uint64_t)INT64_MAX)
        max_cycles = INT64_MAX;
    if (b->ctx->gotError())
        return AX_E_STATE;
    Verilated::threadContextp(b->ctx.get());
    uint64_t done = 0;
    b->model->step(b, max_cycles, true, &done);
    return b->ctx->gotError() ? (int64_t)AX_E_STATE : (int64_t)done;
}

uint64_t axsim_cycles(const axsim_board *b)
{
    return b ? b->cycles : 0;
}

const axsim_options *axsim_get_options(const axsim_board *b)
{
    return b ? &b->opt : nullptr;
}

int axsim_debug_membrane(const axsim_board *b, unsigned neuron, int32_t *value)
{
    // Reads the chip's membrane array if it has one (see read_dbg_membrane).
    if (!b || !value)
        return AX_E_INVAL;
    return b->model->debug_membrane(neuron, value);
}

}  // extern "C"
