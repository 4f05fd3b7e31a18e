/* ax_regmap_gen: turns the chip's register map (chip_regs.def, its format is
 * described at the top of that file) into a SystemVerilog package and a C
 * header of #defines. Run by the build (rtl-model/regs/CMakeLists.txt):
 *   ax_regmap_gen chip_regs.def ax_chip_regs_pkg.sv axon/chip_regs.h
 * Checks what it reads: errors are reported as file:line: message and the
 * exit status is 1 (no output file is left behind then). */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ITEMS 512
#define MAX_NAME  32
#define MAX_DESC  160
#define MAX_INDEX 4

enum kind { K_CONST, K_ENUM, K_VALUE, K_REG, K_BLOCK, K_INDEX, K_FIELD };

typedef struct item {
    enum kind kind;
    int line;
    char name[MAX_NAME];
    char desc[MAX_DESC];
    uint32_t value;    /* const value, enum width, value, address or base */
    bool has_default;  /* value: DEFAULT given; reg/block: RESET given */
    uint32_t dflt;     /* value: DEFAULT; reg/block: RESET */
    char access[3];    /* reg/block: ro, wo, rw */
    unsigned msb, lsb; /* index, field */
    uint32_t count;    /* index */
    int parent;        /* value: its enum; index/field: its reg or block */
} item;

static item items[MAX_ITEMS];
static int nitems;
static const char *def_path;

_Noreturn static void die(int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s:%d: ", def_path, line);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

/* ---- reading ------------------------------------------------------------------------ */

/* Next blank-separated token of *s, or NULL at the end of the line. */
static char *token(char **s)
{
    char *p = *s;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p == '\0')
        return NULL;
    char *t = p;
    while (*p && *p != ' ' && *p != '\t')
        p++;
    if (*p)
        *p++ = '\0';
    *s = p;
    return t;
}

static uint32_t number(int line, const char *t, const char *what)
{
    char *end;
    if (!t)
        die(line, "%s missing", what);
    errno = 0;
    unsigned long long v = strtoull(t, &end, 0);
    if (*t == '-' || *end || end == t || errno || v > 0xFFFFFFFFull)
        die(line, "%s: not a 32-bit number: '%s'", what, t);
    return (uint32_t)v;
}

static void name(int line, const char *t, char *out)
{
    if (!t)
        die(line, "name missing");
    size_t n = strlen(t);
    if (n == 0 || n >= MAX_NAME || !isupper((unsigned char)t[0]))
        die(line, "name '%s': upper case, 1..%d characters", t, MAX_NAME - 1);
    for (size_t i = 0; i < n; i++)
        if (!isupper((unsigned char)t[i]) && !isdigit((unsigned char)t[i]) && t[i] != '_')
            die(line, "name '%s': only A-Z, 0-9 and '_'", t);
    memcpy(out, t, n + 1);
}

static void bits(int line, const char *t, unsigned top, unsigned *msb, unsigned *lsb)
{
    unsigned m = 0, l = 0;
    char c;
    if (!t || sscanf(t, "%u:%u%c", &m, &l, &c) != 2 || m < l || m > top)
        die(line, "bit range MSB:LSB within %u:0 expected, got '%s'", top, t ? t : "");
    *msb = m;
    *lsb = l;
}

static void description(int line, char *rest, char *out)
{
    while (*rest == ' ' || *rest == '\t')
        rest++;
    size_t n = strlen(rest);
    while (n > 0 && (rest[n - 1] == ' ' || rest[n - 1] == '\t'))
        rest[--n] = '\0';
    if (n == 0 || n >= MAX_DESC)
        die(line, "a one-line description (1..%d characters) expected", MAX_DESC - 1);
    if (strstr(rest, "*/") || strstr(rest, "/*"))
        die(line, "the description may not contain comment delimiters");
    memcpy(out, rest, n + 1);
}

static uint32_t mask_of(unsigned msb, unsigned lsb)
{
    uint32_t ones = msb - lsb == 31 ? 0xFFFFFFFFu : (1u << (msb - lsb + 1)) - 1u;
    return ones << lsb;
}

/* The item the next value, index or field belongs to: the last const, enum,
 * reg or block, if it is of kind a or b; else -1. */
static int parent_of(enum kind a, enum kind b)
{
    for (int i = nitems - 1; i >= 0; i--) {
        enum kind k = items[i].kind;
        if (k == K_CONST || k == K_ENUM || k == K_REG || k == K_BLOCK)
            return k == a || k == b ? i : -1;
    }
    return -1;
}

static void check_unique(const item *it)
{
    for (int i = 0; i < nitems; i++) {
        const item *o = &items[i];
        bool same_scope =
            (it->kind == K_INDEX || it->kind == K_FIELD || it->kind == K_VALUE)
                ? o->parent == it->parent &&
                      (o->kind == K_INDEX || o->kind == K_FIELD || o->kind == K_VALUE)
                : o->kind == K_CONST || o->kind == K_ENUM || o->kind == K_REG || o->kind == K_BLOCK;
        if (same_scope && strcmp(o->name, it->name) == 0)
            die(it->line, "'%s' already defined on line %d", it->name, o->line);
    }
}

static void parse_line(int line, char *s)
{
    char *kw = token(&s);
    if (!kw || kw[0] == '#')
        return;
    if (nitems == MAX_ITEMS)
        die(line, "more than %d items", MAX_ITEMS);
    item it = {.line = line, .parent = -1};
    if (strcmp(kw, "const") == 0) {
        it.kind = K_CONST;
        name(line, token(&s), it.name);
        it.value = number(line, token(&s), "VALUE");
    } else if (strcmp(kw, "enum") == 0) {
        it.kind = K_ENUM;
        name(line, token(&s), it.name);
        it.value = number(line, token(&s), "WIDTH");
        if (it.value < 1 || it.value > 32)
            die(line, "WIDTH 1..32 expected");
    } else if (strcmp(kw, "value") == 0) {
        it.kind = K_VALUE;
        it.parent = parent_of(K_ENUM, K_ENUM);
        if (it.parent < 0)
            die(line, "'value' outside an enum");
        name(line, token(&s), it.name);
        it.value = number(line, token(&s), "VALUE");
        if (it.value > mask_of(items[it.parent].value - 1, 0))
            die(line, "value %u does not fit %u bits", it.value, items[it.parent].value);
        char *d = token(&s);
        if (d && strcmp(d, "-") != 0) {
            it.has_default = true;
            it.dflt = number(line, d, "DEFAULT");
        } else if (!d) {
            die(line, "DEFAULT (a number or '-') missing");
        }
    } else if (strcmp(kw, "reg") == 0 || strcmp(kw, "block") == 0) {
        it.kind = kw[0] == 'r' ? K_REG : K_BLOCK;
        name(line, token(&s), it.name);
        it.value = number(line, token(&s), "ADDR");
        if (it.value > 0xFFFFFFu)
            die(line, "address 0x%X is not a 24-bit word address", it.value);
        char *a = token(&s);
        if (!a || (strcmp(a, "ro") && strcmp(a, "wo") && strcmp(a, "rw")))
            die(line, "ACCESS ro, wo or rw expected");
        memcpy(it.access, a, 3);
        char *r = token(&s);
        if (!r)
            die(line, "RESET (a number or '-') missing");
        if (strcmp(r, "-") != 0) {
            it.has_default = true;
            it.dflt = number(line, r, "RESET");
        }
    } else if (strcmp(kw, "index") == 0) {
        it.kind = K_INDEX;
        it.parent = parent_of(K_BLOCK, K_BLOCK);
        if (it.parent < 0)
            die(line, "'index' outside a block");
        for (int i = it.parent + 1; i < nitems; i++)
            if (items[i].kind == K_FIELD)
                die(line, "a block's indices come before its fields");
        name(line, token(&s), it.name);
        bits(line, token(&s), 23, &it.msb, &it.lsb);
        it.count = number(line, token(&s), "COUNT");
        if (it.count < 1 || (it.msb - it.lsb < 31 && it.count > (1u << (it.msb - it.lsb + 1))))
            die(line, "COUNT %u does not fit bits %u:%u", it.count, it.msb, it.lsb);
        if (items[it.parent].value & mask_of(it.msb, it.lsb))
            die(line, "the block's base has bits set in %u:%u", it.msb, it.lsb);
    } else if (strcmp(kw, "field") == 0) {
        it.kind = K_FIELD;
        it.parent = parent_of(K_REG, K_BLOCK);
        if (it.parent < 0)
            die(line, "'field' outside a reg or block");
        name(line, token(&s), it.name);
        bits(line, token(&s), 31, &it.msb, &it.lsb);
    } else {
        die(line, "unknown keyword '%s' (const, enum, value, reg, block, index, field)", kw);
    }
    description(line, s, it.desc);
    check_unique(&it);
    /* Overlaps: fields of one word, indices of one block. */
    for (int i = 0; i < nitems; i++) {
        const item *o = &items[i];
        if (it.parent >= 0 && o->parent == it.parent && o->kind == it.kind &&
            (it.kind == K_FIELD || it.kind == K_INDEX) &&
            (mask_of(o->msb, o->lsb) & mask_of(it.msb, it.lsb)))
            die(line, "bits %u:%u overlap '%s' (line %d)", it.msb, it.lsb, o->name, o->line);
    }
    items[nitems++] = it;
}

static uint32_t fields_of(int r)
{
    uint32_t m = 0;
    for (int i = r + 1; i < nitems && items[i].parent == r; i++)
        if (items[i].kind == K_FIELD)
            m |= mask_of(items[i].msb, items[i].lsb);
    return m;
}

static uint32_t index_bits(int b)
{
    uint32_t m = 0;
    for (int i = b + 1; i < nitems && items[i].parent == b; i++)
        if (items[i].kind == K_INDEX)
            m |= mask_of(items[i].msb, items[i].lsb);
    return m;
}

/* Whole-map checks: every reg/block has fields, a block an index, the reset
 * value only uses field bits, and no two address ranges overlap. */
static void check_map(void)
{
    for (int i = 0; i < nitems; i++) {
        const item *it = &items[i];
        if (it->kind == K_ENUM) {
            if (i + 1 >= nitems || items[i + 1].kind != K_VALUE)
                die(it->line, "enum '%s' has no values", it->name);
        }
        if (it->kind != K_REG && it->kind != K_BLOCK)
            continue;
        uint32_t f = fields_of(i);
        if (f == 0)
            die(it->line, "'%s' has no fields", it->name);
        if (it->has_default && (it->dflt & ~f))
            die(it->line, "'%s': reset value 0x%X sets bits outside its fields", it->name,
                it->dflt);
        if (it->kind == K_BLOCK && index_bits(i) == 0)
            die(it->line, "block '%s' has no index", it->name);
        for (int j = 0; j < i; j++) {
            const item *o = &items[j];
            if (o->kind != K_REG && o->kind != K_BLOCK)
                continue;
            /* Two ranges base | index bits meet when their bases agree outside both index masks. */
            uint32_t loose = index_bits(i) | index_bits(j);
            if (((it->value ^ o->value) & ~loose) == 0)
                die(it->line, "'%s' overlaps '%s' (line %d)", it->name, o->name, o->line);
        }
    }
}

static void read_def(const char *path)
{
    def_path = path;
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "ax_regmap_gen: %s: %s\n", path, strerror(errno));
        exit(1);
    }
    char buf[512];
    int line = 0;
    while (fgets(buf, sizeof buf, f)) {
        line++;
        size_t n = strlen(buf);
        if (n > 0 && buf[n - 1] == '\n')
            buf[--n] = '\0';
        else if (!feof(f))
            die(line, "line longer than %zu characters", sizeof buf - 2);
        if (n > 0 && buf[n - 1] == '\r')
            buf[--n] = '\0';
        parse_line(line, buf);
    }
    fclose(f);
    check_map();
}

/* ---- writing -------------------------------------------------------------------------- */

/* NAME_PARTS -> NameParts (SystemVerilog parameters and enum values). */
static const char *camel(const char *a, const char *b, const char *c)
{
    static char buf[4][3 * MAX_NAME + 8];
    static int k;
    char *out = buf[k++ % 4], *o = out;
    const char *parts[3] = {a, b, c};
    for (int p = 0; p < 3; p++) {
        bool start = true;
        for (const char *s = parts[p]; s && *s; s++) {
            if (*s == '_') {
                start = true;
                continue;
            }
            *o++ = start ? (char)toupper((unsigned char)*s) : (char)tolower((unsigned char)*s);
            start = false;
        }
    }
    *o = '\0';
    return out;
}

static const char *lower(const char *s)
{
    static char buf[2][MAX_NAME];
    static int k;
    char *out = buf[k++ % 2];
    size_t i = 0;
    for (; s[i]; i++)
        out[i] = (char)tolower((unsigned char)s[i]);
    out[i] = '\0';
    return out;
}

/* The map as functions: in_<block>(addr) for each block (base outside the
 * index bits, every index below its count), and reg_access(addr), the access
 * the full-size chip allows at addr. */
static void write_sv_decode(FILE *f)
{
    fprintf(f, "\n  // ---- the map as functions ----\n");
    for (int b = 0; b < nitems; b++) {
        if (items[b].kind != K_BLOCK)
            continue;
        const char *bn = camel(items[b].name, NULL, NULL);
        fprintf(f, "\n  function automatic logic in_%s(input logic [23:0] addr);\n",
                lower(items[b].name));
        fprintf(f, "    in_%s = ((addr & ~%sIndices) == Addr%s)", lower(items[b].name), bn, bn);
        for (int i = b + 1; i < nitems && items[i].parent == b; i++) {
            const item *x = &items[i];
            if (x->kind != K_INDEX || x->msb - x->lsb >= 31 ||
                x->count == 1u << (x->msb - x->lsb + 1))
                continue;
            const char *xn = camel(items[b].name, x->name, NULL);
            fprintf(f, " &&\n             (32'(addr[%sMsb:%sLsb]) < %sCount)", xn, xn, xn);
        }
        fprintf(f, ";\n  endfunction\n");
    }
    fprintf(f, "\n  typedef enum logic [1:0] {AccNone, AccRo, AccWo, AccRw} access_e;\n\n"
               "  // The access the full-size chip allows at addr (AccNone: no register).\n"
               "  function automatic access_e reg_access(input logic [23:0] addr);\n"
               "    access_e acc;\n    acc = AccNone;\n");
    const char *kw = "if";
    for (int i = 0; i < nitems; i++) {
        const item *it = &items[i];
        if (it->kind != K_REG && it->kind != K_BLOCK)
            continue;
        const char *acc = strcmp(it->access, "ro") == 0   ? "AccRo"
                          : strcmp(it->access, "wo") == 0 ? "AccWo"
                                                          : "AccRw";
        if (it->kind == K_REG)
            fprintf(f, "    %s (addr == Addr%s) begin\n", kw, camel(it->name, NULL, NULL));
        else
            fprintf(f, "    %s (in_%s(addr)) begin\n", kw, lower(it->name));
        fprintf(f, "      acc = %s;\n", acc);
        kw = "end else if";
    }
    fprintf(f, "    end\n    reg_access = acc;\n  endfunction\n");
}

static void write_sv(FILE *f)
{
    fprintf(f, "// ax_chip_regs_pkg: the chip's register map (docs/chip.md section 1).\n"
               "// Generated by ax_regmap_gen from rtl-model/regs/chip_regs.def: do not edit.\n"
               "package ax_chip_regs_pkg;\n");
    for (int i = 0; i < nitems; i++) {
        const item *it = &items[i];
        const char *pn = it->parent >= 0 ? items[it->parent].name : NULL;
        switch (it->kind) {
        case K_CONST:
            fprintf(f, "\n  // %s\n  localparam int unsigned %s = %u;\n", it->desc,
                    camel(it->name, NULL, NULL), it->value);
            break;
        case K_ENUM: {
            unsigned w = it->value, n = 0;
            fprintf(f, "\n  // %s\n  typedef enum logic [%u:0] {\n", it->desc, w - 1);
            for (int j = i + 1; j < nitems && items[j].kind == K_VALUE; j++, n++)
                fprintf(f, "    %s = %u'd%u%s  // %s\n", camel(it->name, items[j].name, NULL), w,
                        items[j].value, j + 1 < nitems && items[j + 1].kind == K_VALUE ? "," : "",
                        items[j].desc);
            fprintf(f, "  } %s_e;\n  localparam int unsigned %sCount = %u;\n", lower(it->name),
                    camel(it->name, NULL, NULL), n);
            break;
        }
        case K_VALUE:
            if (it->has_default)
                fprintf(f, "  localparam int unsigned %sDefault = %u;\n", camel(pn, it->name, NULL),
                        it->dflt);
            break;
        case K_REG:
        case K_BLOCK:
            fprintf(f, "\n  // %s %s (%s): %s\n", it->kind == K_REG ? "register" : "block",
                    it->name, it->access, it->desc);
            fprintf(f, "  localparam logic [23:0] Addr%s = 24'h%06X;\n",
                    camel(it->name, NULL, NULL), it->value);
            if (it->has_default)
                fprintf(f, "  localparam logic [31:0] %sReset = 32'h%08X;\n",
                        camel(it->name, NULL, NULL), it->dflt);
            fprintf(f, "  localparam logic [31:0] %sFields = 32'h%08X;\n",
                    camel(it->name, NULL, NULL), fields_of(i));
            if (it->kind == K_BLOCK)
                fprintf(f, "  localparam logic [23:0] %sIndices = 24'h%06X;\n",
                        camel(it->name, NULL, NULL), index_bits(i));
            break;
        case K_INDEX:
            fprintf(f, "  localparam int unsigned %sLsb = %u;  // index: %s\n",
                    camel(pn, it->name, NULL), it->lsb, it->desc);
            fprintf(f, "  localparam int unsigned %sMsb = %u;\n", camel(pn, it->name, NULL),
                    it->msb);
            fprintf(f, "  localparam int unsigned %sCount = %u;\n", camel(pn, it->name, NULL),
                    it->count);
            break;
        case K_FIELD:
            fprintf(f, "  localparam int unsigned %sLsb = %u;  // %s\n", camel(pn, it->name, NULL),
                    it->lsb, it->desc);
            fprintf(f, "  localparam int unsigned %sMsb = %u;\n", camel(pn, it->name, NULL),
                    it->msb);
            fprintf(f, "  localparam logic [31:0] %sMask = 32'h%08X;\n", camel(pn, it->name, NULL),
                    mask_of(it->msb, it->lsb));
            break;
        }
    }
    write_sv_decode(f);
    fprintf(f, "\nendpackage\n");
}

static void define(FILE *f, const char *a, const char *b, const char *c, const char *fmt, ...)
{
    char nm[3 * MAX_NAME + 16];
    snprintf(nm, sizeof nm, "AX_CHIP_%s%s%s%s%s", a, b ? "_" : "", b ? b : "", c ? "_" : "",
             c ? c : "");
    fprintf(f, "#define %-40s ", nm);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fputc('\n', f);
}

static void write_block_macro(FILE *f, int b)
{
    const item *it = &items[b];
    char args[64] = "", expr[256];
    int n = snprintf(expr, sizeof expr, "(0x%06Xu", it->value);
    for (int i = b + 1; i < nitems && items[i].parent == b; i++) {
        if (items[i].kind != K_INDEX)
            continue;
        const char *p = lower(items[i].name);
        size_t al = strlen(args);
        snprintf(args + al, sizeof args - al, "%s%s", al ? ", " : "", p);
        if (items[i].lsb == 0)
            n += snprintf(expr + n, sizeof expr - (size_t)n, " + (%s)", p);
        else
            n += snprintf(expr + n, sizeof expr - (size_t)n, " + 0x%Xu * (%s)", 1u << items[i].lsb,
                          p);
    }
    snprintf(expr + n, sizeof expr - (size_t)n, ")");
    char nm[MAX_NAME + 80];
    snprintf(nm, sizeof nm, "AX_CHIP_%s(%s)", it->name, args);
    fprintf(f, "#define %-40s %s\n", nm, expr);
}

static void write_h(FILE *f)
{
    fprintf(f, "/* The chip's register map (docs/chip.md section 1): 24-bit word addresses,\n"
               " * fields (shift, width, mask), power-on values and named numbers. Only\n"
               " * #defines, so the driver, the tests and the PPU runtime can all use it.\n"
               " * Generated by ax_regmap_gen from rtl-model/regs/chip_regs.def: do not edit. */\n"
               "#ifndef AXON_CHIP_REGS_H\n#define AXON_CHIP_REGS_H\n");
    for (int i = 0; i < nitems; i++) {
        const item *it = &items[i];
        const char *pn = it->parent >= 0 ? items[it->parent].name : NULL;
        switch (it->kind) {
        case K_CONST:
            fprintf(f, "\n/* %s */\n", it->desc);
            define(f, it->name, NULL, NULL, "%uu", it->value);
            break;
        case K_ENUM: {
            unsigned n = 0;
            for (int j = i + 1; j < nitems && items[j].kind == K_VALUE; j++)
                n++;
            fprintf(f, "\n/* %s (%u bits) */\n", it->desc, it->value);
            define(f, it->name, "COUNT", NULL, "%uu", n);
            break;
        }
        case K_VALUE:
            define(f, pn, it->name, NULL, "%uu /* %s */", it->value, it->desc);
            if (it->has_default)
                define(f, pn, it->name, "DEFAULT", "%uu", it->dflt);
            break;
        case K_REG:
        case K_BLOCK:
            fprintf(f, "\n/* %s (%s): %s */\n", it->name, it->access, it->desc);
            if (it->kind == K_REG) {
                define(f, it->name, NULL, NULL, "0x%06Xu", it->value);
            } else {
                define(f, it->name, "BASE", NULL, "0x%06Xu", it->value);
                write_block_macro(f, i);
            }
            if (it->has_default)
                define(f, it->name, "RESET", NULL, "0x%Xu", it->dflt);
            define(f, it->name, "FIELDS", NULL, "0x%08Xu", fields_of(i));
            if (it->kind == K_BLOCK)
                define(f, it->name, "INDICES", NULL, "0x%06Xu", index_bits(i));
            break;
        case K_INDEX:
            define(f, pn, it->name, "SHIFT", "%uu /* index: %s */", it->lsb, it->desc);
            define(f, pn, it->name, "COUNT", "%uu", it->count);
            break;
        case K_FIELD:
            define(f, pn, it->name, "SHIFT", "%uu /* %s */", it->lsb, it->desc);
            define(f, pn, it->name, "WIDTH", "%uu", it->msb - it->lsb + 1);
            define(f, pn, it->name, "MASK", "0x%08Xu", mask_of(it->msb, it->lsb));
            break;
        }
    }
    fprintf(f, "\n#endif\n");
}

static void write_file(const char *path, void (*emit)(FILE *))
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "ax_regmap_gen: %s: %s\n", path, strerror(errno));
        exit(1);
    }
    emit(f);
    if (fclose(f) != 0) {
        fprintf(stderr, "ax_regmap_gen: %s: write failed\n", path);
        remove(path);
        exit(1);
    }
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: ax_regmap_gen MAP.def OUT_PKG.sv OUT.h\n");
        return 2;
    }
    read_def(argv[1]);
    write_file(argv[2], write_sv);
    write_file(argv[3], write_h);
    return 0;
}
