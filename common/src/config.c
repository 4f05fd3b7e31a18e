/* The key = value configuration parser (format documented in axon/config.h).
 * The whole file is parsed into typed values at load time, so syntax errors are
 * reported before any getter runs; getters only check types and ranges. */
#include "axon/config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axon/status.h"

enum cfg_type { CFG_INT, CFG_DOUBLE, CFG_BOOL, CFG_STRING, CFG_LIST };

struct cfg_value {
    enum cfg_type type;
    long long i;
    double d;
    bool b;
    char *s;                 /* CFG_STRING */
    struct cfg_value *items; /* CFG_LIST */
    size_t n_items;
};

struct cfg_entry {
    char *section;
    char *key;
    int line;
    bool used;
    struct cfg_value value;
};

struct cfg_section {
    char *name;
    int line;
    bool used;
};

struct ax_config {
    char *name;
    unsigned long long hash;
    struct cfg_entry *entries;
    size_t n_entries, cap_entries;
    struct cfg_section *sections;
    size_t n_sections, cap_sections;
    char error[512];
};

/* ---------------------------------------------------------------------------
 * errors */

static int set_error(ax_config *cfg, int status, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int set_error(ax_config *cfg, int status, int line, const char *fmt, ...)
{
    int n = snprintf(cfg->error, sizeof cfg->error, "%s:%d: ", cfg->name, line);
    if (n < 0 || (size_t)n >= sizeof cfg->error)
        n = 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cfg->error + n, sizeof cfg->error - (size_t)n, fmt, ap);
    va_end(ap);
    return ax_fail(status, "%s", cfg->error);
}

const char *ax_config_error(const ax_config *cfg)
{
    return cfg ? cfg->error : "no config";
}

const char *ax_config_name(const ax_config *cfg)
{
    return cfg->name;
}

unsigned long long ax_config_hash(const ax_config *cfg)
{
    return cfg->hash;
}

/* ---------------------------------------------------------------------------
 * lexing helpers */

static char *dup_range(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = 0;
    }
    return p;
}

static bool is_name_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '-' || c == '.';
}

static const char *skip_space(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\r')
        p++;
    return p;
}

/* True if only spaces and an optional comment remain. */
static bool at_line_end(const char *p)
{
    p = skip_space(p);
    return *p == 0 || *p == '#';
}

static void free_value(struct cfg_value *v)
{
    free(v->s);
    for (size_t i = 0; i < v->n_items; i++)
        free_value(&v->items[i]);
    free(v->items);
}

static int parse_string(ax_config *cfg, int line, const char **pp, struct cfg_value *v)
{
    const char *p = *pp + 1;
    size_t len = strlen(p);
    char *out = malloc(len + 1);
    if (!out)
        return AX_E_NOMEM;
    size_t n = 0;
    while (*p && *p != '"') {
        char c = *p++;
        if (c == '\\') {
            char e = *p++;
            c = e == 'n' ? '\n' : e == 't' ? '\t' : e == '"' ? '"' : e == '\\' ? '\\' : 0;
            if (!c) {
                free(out);
                return set_error(cfg, AX_E_FORMAT, line, "bad escape in string");
            }
        }
        out[n++] = c;
    }
    if (*p != '"') {
        free(out);
        return set_error(cfg, AX_E_FORMAT, line, "unterminated string");
    }
    out[n] = 0;
    v->type = CFG_STRING;
    v->s = out;
    *pp = p + 1;
    return 0;
}

static int parse_number(ax_config *cfg, int line, const char **pp, struct cfg_value *v)
{
    const char *p = *pp;
    const char *end = p;
    while (*end && (isalnum((unsigned char)*end) || strchr("+-.", *end)))
        end++;
    char *tok = dup_range(p, (size_t)(end - p));
    if (!tok)
        return AX_E_NOMEM;
    int rc = 0;
    char *stop;
    errno = 0;
    if (!strcmp(tok, "true") || !strcmp(tok, "false")) {
        v->type = CFG_BOOL;
        v->b = tok[0] == 't';
    } else if (strpbrk(tok, "xX")) {
        rc = set_error(cfg, AX_E_FORMAT, line, "bad value '%s' (hex is not supported)", tok);
    } else if (!strpbrk(tok, ".eE") && (v->i = strtoll(tok, &stop, 10), *stop == 0) &&
               stop != tok && errno == 0) {
        v->type = CFG_INT;
        v->d = (double)v->i;
    } else {
        errno = 0;
        v->d = strtod(tok, &stop);
        if (stop == tok || *stop != 0 || !isfinite(v->d) || isalpha((unsigned char)tok[0]) ||
            errno == ERANGE)
            rc = set_error(cfg, AX_E_FORMAT, line, "bad value '%s'", tok);
        v->type = CFG_DOUBLE;
    }
    free(tok);
    *pp = end;
    return rc;
}

static int parse_scalar(ax_config *cfg, int line, const char **pp, struct cfg_value *v)
{
    if (**pp == '"')
        return parse_string(cfg, line, pp, v);
    if (**pp == 0 || **pp == '#' || **pp == ',' || **pp == ']')
        return set_error(cfg, AX_E_FORMAT, line, "missing value");
    return parse_number(cfg, line, pp, v);
}

static int parse_list(ax_config *cfg, int line, const char **pp, struct cfg_value *v)
{
    const char *p = skip_space(*pp + 1);
    v->type = CFG_LIST;
    if (*p == ']') {
        *pp = p + 1;
        return 0;
    }
    for (;;) {
        struct cfg_value *items = realloc(v->items, (v->n_items + 1) * sizeof *items);
        if (!items)
            return AX_E_NOMEM;
        v->items = items;
        struct cfg_value *item = &items[v->n_items];
        memset(item, 0, sizeof *item);
        v->n_items++;
        int rc = parse_scalar(cfg, line, &p, item);
        if (rc)
            return rc;
        p = skip_space(p);
        if (*p == ']') {
            *pp = p + 1;
            return 0;
        }
        if (*p != ',')
            return set_error(cfg, AX_E_FORMAT, line, "expected ',' or ']' in list");
        p = skip_space(p + 1);
    }
}

/* ---------------------------------------------------------------------------
 * lines */

static int add_section(ax_config *cfg, int line, const char *name, size_t n)
{
    for (size_t i = 0; i < cfg->n_sections; i++)
        if (strlen(cfg->sections[i].name) == n && !strncmp(cfg->sections[i].name, name, n))
            return set_error(cfg, AX_E_FORMAT, line, "duplicate section [%.*s]", (int)n, name);
    if (cfg->n_sections == cfg->cap_sections) {
        size_t cap = cfg->cap_sections ? 2 * cfg->cap_sections : 8;
        struct cfg_section *s = realloc(cfg->sections, cap * sizeof *s);
        if (!s)
            return AX_E_NOMEM;
        cfg->sections = s;
        cfg->cap_sections = cap;
    }
    struct cfg_section *s = &cfg->sections[cfg->n_sections];
    s->name = dup_range(name, n);
    s->line = line;
    s->used = false;
    if (!s->name)
        return AX_E_NOMEM;
    cfg->n_sections++;
    return 0;
}

static struct cfg_entry *find_entry(ax_config *cfg, const char *section, const char *key)
{
    for (size_t i = 0; i < cfg->n_entries; i++)
        if (!strcmp(cfg->entries[i].section, section) && !strcmp(cfg->entries[i].key, key))
            return &cfg->entries[i];
    return NULL;
}

static int add_entry(ax_config *cfg, int line, const char *section, char *key,
                     struct cfg_value *value)
{
    if (find_entry(cfg, section, key)) {
        set_error(cfg, AX_E_FORMAT, line, "duplicate key '%s' in [%s]", key, section);
        return AX_E_FORMAT;
    }
    if (cfg->n_entries == cfg->cap_entries) {
        size_t cap = cfg->cap_entries ? 2 * cfg->cap_entries : 16;
        struct cfg_entry *e = realloc(cfg->entries, cap * sizeof *e);
        if (!e)
            return AX_E_NOMEM;
        cfg->entries = e;
        cfg->cap_entries = cap;
    }
    struct cfg_entry *e = &cfg->entries[cfg->n_entries];
    e->section = dup_range(section, strlen(section));
    if (!e->section)
        return AX_E_NOMEM;
    e->key = key;
    e->line = line;
    e->used = false;
    e->value = *value;
    cfg->n_entries++;
    return 0;
}

static int parse_line(ax_config *cfg, int line, const char *p, const char **section)
{
    p = skip_space(p);
    if (at_line_end(p))
        return 0;
    if (*p == '[') {
        const char *name = p + 1, *end = name;
        while (is_name_char(*end))
            end++;
        if (end == name || *end != ']' || !at_line_end(end + 1))
            return set_error(cfg, AX_E_FORMAT, line, "bad section header");
        int rc = add_section(cfg, line, name, (size_t)(end - name));
        if (rc)
            return rc;
        *section = cfg->sections[cfg->n_sections - 1].name;
        return 0;
    }
    const char *key = p;
    while (is_name_char(*p))
        p++;
    size_t key_len = (size_t)(p - key);
    p = skip_space(p);
    if (key_len == 0 || *p != '=')
        return set_error(cfg, AX_E_FORMAT, line, "expected 'key = value'");
    p = skip_space(p + 1);
    struct cfg_value v = {0};
    int rc = *p == '[' ? parse_list(cfg, line, &p, &v) : parse_scalar(cfg, line, &p, &v);
    if (!rc && !at_line_end(p))
        rc = set_error(cfg, AX_E_FORMAT, line, "unexpected text after value");
    char *k = rc ? NULL : dup_range(key, key_len);
    if (!rc && !k)
        rc = AX_E_NOMEM;
    if (!rc)
        rc = add_entry(cfg, line, *section, k, &v);
    if (rc) {
        free(k);
        free_value(&v);
    }
    return rc;
}

static unsigned long long fnv1a(const char *s)
{
    unsigned long long h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

int ax_config_load_string(ax_config **out, const char *text, const char *name)
{
    *out = NULL;
    ax_config *cfg = calloc(1, sizeof *cfg);
    if (!cfg ||
        !(cfg->name = dup_range(name ? name : "<string>", strlen(name ? name : "<string>")))) {
        free(cfg);
        return ax_fail(AX_E_NOMEM, "%s: out of memory", name ? name : "<string>");
    }
    cfg->hash = fnv1a(text);
    const char *section = "";
    int rc = 0, line = 1;
    for (const char *p = text; *p && !rc; line++) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        char *buf = dup_range(p, n);
        if (!buf)
            rc = AX_E_NOMEM;
        else if (strlen(buf) != n)
            rc = set_error(cfg, AX_E_FORMAT, line, "NUL byte in text");
        else
            rc = parse_line(cfg, line, buf, &section);
        free(buf);
        p = nl ? nl + 1 : p + n;
    }
    if (rc) {
        if (rc == AX_E_NOMEM)
            set_error(cfg, rc, line - 1, "%s", ax_strerror(rc));
        ax_config_free(cfg);
        return rc;
    }
    *out = cfg;
    return 0;
}

/* Reads at most AX_CONFIG_MAX_BYTES + 1 bytes: a config is a few KiB, and a
 * path that names an endless source (/dev/zero, a pipe) must not eat memory. */
static int read_text(FILE *f, const char *path, char **out)
{
    size_t cap = 4096, n = 0;
    char *text = malloc(cap);
    if (!text)
        return ax_fail(AX_E_NOMEM, "%s: out of memory", path);
    for (;;) {
        if (n + 1 >= cap) {
            char *t = cap > AX_CONFIG_MAX_BYTES ? NULL : realloc(text, cap *= 2);
            if (!t) {
                free(text);
                return n > AX_CONFIG_MAX_BYTES
                           ? ax_fail(AX_E_RANGE, "%s: larger than %u bytes, not a config", path,
                                     AX_CONFIG_MAX_BYTES)
                           : ax_fail(AX_E_NOMEM, "%s: out of memory", path);
            }
            text = t;
        }
        size_t got = fread(text + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        free(text);
        return ax_fail(AX_E_IO, "%s: cannot read: %s", path, ax_strerror(AX_E_IO));
    }
    text[n] = 0;
    if (strlen(text) != n) {
        free(text);
        return ax_fail(AX_E_FORMAT, "%s: NUL byte in file", path);
    }
    *out = text;
    return 0;
}

int ax_config_load_file(ax_config **out, const char *path)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        int e = errno;
        return ax_fail(e == ENOENT ? AX_E_NOTFOUND : AX_E_IO, "%s: cannot open: %s", path,
                       strerror(e));
    }
    char *text = NULL;
    int rc = read_text(f, path, &text);
    fclose(f);
    if (!rc)
        rc = ax_config_load_string(out, text, path);
    free(text);
    return rc;
}

void ax_config_free(ax_config *cfg)
{
    if (!cfg)
        return;
    for (size_t i = 0; i < cfg->n_entries; i++) {
        free(cfg->entries[i].section);
        free(cfg->entries[i].key);
        free_value(&cfg->entries[i].value);
    }
    for (size_t i = 0; i < cfg->n_sections; i++)
        free(cfg->sections[i].name);
    free(cfg->entries);
    free(cfg->sections);
    free(cfg->name);
    free(cfg);
}

/* ---------------------------------------------------------------------------
 * typed getters */

static struct cfg_entry *lookup(ax_config *cfg, const char *section, const char *key)
{
    for (size_t i = 0; i < cfg->n_sections; i++)
        if (!strcmp(cfg->sections[i].name, section))
            cfg->sections[i].used = true;
    struct cfg_entry *e = find_entry(cfg, section, key);
    if (e)
        e->used = true;
    return e;
}

bool ax_config_has(ax_config *cfg, const char *section, const char *key)
{
    return lookup(cfg, section, key) != NULL;
}

static const char *type_name(enum cfg_type t)
{
    switch (t) {
    case CFG_INT:
        return "an integer";
    case CFG_DOUBLE:
        return "a number";
    case CFG_BOOL:
        return "a boolean";
    case CFG_STRING:
        return "a string";
    default:
        return "a list";
    }
}

static int wrong_type(ax_config *cfg, const struct cfg_entry *e, const char *want)
{
    return set_error(cfg, AX_E_FORMAT, e->line, "%s.%s: expected %s, got %s", e->section, e->key,
                     want, type_name(e->value.type));
}

static int check_int(ax_config *cfg, const struct cfg_entry *e, const struct cfg_value *v,
                     long long min, long long max, long long *out)
{
    if (v->type != CFG_INT)
        return set_error(cfg, AX_E_FORMAT, e->line, "%s.%s: expected an integer, got %s",
                         e->section, e->key, type_name(v->type));
    if (v->i < min || v->i > max)
        return set_error(cfg, AX_E_RANGE, e->line, "%s.%s: %lld is out of range [%lld, %lld]",
                         e->section, e->key, v->i, min, max);
    *out = v->i;
    return 0;
}

static int check_double(ax_config *cfg, const struct cfg_entry *e, const struct cfg_value *v,
                        double min, double max, double *out)
{
    if (v->type != CFG_INT && v->type != CFG_DOUBLE)
        return set_error(cfg, AX_E_FORMAT, e->line, "%s.%s: expected a number, got %s", e->section,
                         e->key, type_name(v->type));
    if (!(v->d >= min && v->d <= max))
        return set_error(cfg, AX_E_RANGE, e->line, "%s.%s: %g is out of range [%g, %g]", e->section,
                         e->key, v->d, min, max);
    *out = v->d;
    return 0;
}

int ax_config_get_int(ax_config *cfg, const char *section, const char *key, long long min,
                      long long max, long long *out)
{
    struct cfg_entry *e = lookup(cfg, section, key);
    return e ? check_int(cfg, e, &e->value, min, max, out) : AX_E_NOTFOUND;
}

int ax_config_get_double(ax_config *cfg, const char *section, const char *key, double min,
                         double max, double *out)
{
    struct cfg_entry *e = lookup(cfg, section, key);
    return e ? check_double(cfg, e, &e->value, min, max, out) : AX_E_NOTFOUND;
}

int ax_config_get_bool(ax_config *cfg, const char *section, const char *key, bool *out)
{
    struct cfg_entry *e = lookup(cfg, section, key);
    if (!e)
        return AX_E_NOTFOUND;
    if (e->value.type != CFG_BOOL)
        return wrong_type(cfg, e, "a boolean");
    *out = e->value.b;
    return 0;
}

int ax_config_get_string(ax_config *cfg, const char *section, const char *key, const char **out)
{
    struct cfg_entry *e = lookup(cfg, section, key);
    if (!e)
        return AX_E_NOTFOUND;
    if (e->value.type != CFG_STRING)
        return wrong_type(cfg, e, "a string");
    *out = e->value.s;
    return 0;
}

int ax_config_get_choice(ax_config *cfg, const char *section, const char *key,
                         const char *const *choices, int *out)
{
    const char *s;
    int rc = ax_config_get_string(cfg, section, key, &s);
    if (rc)
        return rc;
    char list[256] = "";
    for (int i = 0; choices[i]; i++) {
        if (!strcmp(s, choices[i])) {
            *out = i;
            return 0;
        }
        size_t used = strlen(list);
        snprintf(list + used, sizeof list - used, "%s\"%s\"", i ? ", " : "", choices[i]);
    }
    struct cfg_entry *e = find_entry(cfg, section, key);
    return set_error(cfg, AX_E_RANGE, e->line, "%s.%s: \"%s\" is not one of %s", section, key, s,
                     list);
}

/* The list items of an entry; a scalar is a list of one. */
static int list_items(ax_config *cfg, struct cfg_entry *e, size_t min_n, size_t max_n,
                      const struct cfg_value **items, size_t *n)
{
    if (e->value.type == CFG_LIST) {
        *items = e->value.items;
        *n = e->value.n_items;
    } else {
        *items = &e->value;
        *n = 1;
    }
    if (*n < min_n || *n > max_n)
        return set_error(cfg, AX_E_RANGE, e->line, "%s.%s: expected %zu to %zu values, got %zu",
                         e->section, e->key, min_n, max_n, *n);
    return 0;
}

int ax_config_get_double_list(ax_config *cfg, const char *section, const char *key, double min,
                              double max, size_t min_n, size_t max_n, double *out, size_t *n)
{
    struct cfg_entry *e = lookup(cfg, section, key);
    if (!e)
        return AX_E_NOTFOUND;
    const struct cfg_value *items;
    size_t count;
    int rc = list_items(cfg, e, min_n, max_n, &items, &count);
    for (size_t i = 0; i < count && !rc; i++)
        rc = check_double(cfg, e, &items[i], min, max, &out[i]);
    if (!rc)
        *n = count;
    return rc;
}

int ax_config_get_int_list(ax_config *cfg, const char *section, const char *key, long long min,
                           long long max, size_t min_n, size_t max_n, long long *out, size_t *n)
{
    struct cfg_entry *e = lookup(cfg, section, key);
    if (!e)
        return AX_E_NOTFOUND;
    const struct cfg_value *items;
    size_t count;
    int rc = list_items(cfg, e, min_n, max_n, &items, &count);
    for (size_t i = 0; i < count && !rc; i++)
        rc = check_int(cfg, e, &items[i], min, max, &out[i]);
    if (!rc)
        *n = count;
    return rc;
}

int ax_config_check_unknown(ax_config *cfg)
{
    for (size_t i = 0; i < cfg->n_sections; i++)
        if (!cfg->sections[i].used)
            return set_error(cfg, AX_E_FORMAT, cfg->sections[i].line, "unknown section [%s]",
                             cfg->sections[i].name);
    for (size_t i = 0; i < cfg->n_entries; i++) {
        const struct cfg_entry *e = &cfg->entries[i];
        if (!e->used)
            return set_error(cfg, AX_E_FORMAT, e->line, "unknown key '%s' in [%s]", e->key,
                             e->section);
    }
    return 0;
}
