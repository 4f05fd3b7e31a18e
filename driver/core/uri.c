/* Device URI parsing. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "axon/status.h"
#include "uri.h"

static int copy_part(char *dst, size_t cap, const char *src, size_t n)
{
    if (n >= cap)
        return AX_E_INVAL;
    memcpy(dst, src, n);
    dst[n] = '\0';
    return AX_OK;
}

static int parse_opts(const char *q, ax_uri *u)
{
    while (*q) {
        const char *amp = strchr(q, '&');
        size_t n = amp ? (size_t)(amp - q) : strlen(q);
        const char *eq = memchr(q, '=', n);
        if (!eq || eq == q || u->nopts == AX_URI_MAX_OPTS)
            return AX_E_INVAL;
        unsigned i = u->nopts;
        if (copy_part(u->opt[i].key, sizeof u->opt[i].key, q, (size_t)(eq - q)) ||
            copy_part(u->opt[i].value, sizeof u->opt[i].value, eq + 1, n - (size_t)(eq - q) - 1))
            return AX_E_INVAL;
        if (!u->opt[i].value[0])
            return ax_fail(AX_E_INVAL, "empty value for '%s'", u->opt[i].key);
        if (ax_uri_get(u, u->opt[i].key))
            return ax_fail(AX_E_INVAL, "repeated option '%s'", u->opt[i].key);
        u->nopts++;
        q += n + (amp ? 1 : 0);
    }
    return AX_OK;
}

int ax_uri_parse(const char *s, ax_uri *u)
{
    if (!s || !u)
        return AX_E_INVAL;
    memset(u, 0, sizeof *u);
    const char *colon = strchr(s, ':');
    if (!colon || colon == s)
        return AX_E_INVAL;
    if (copy_part(u->scheme, sizeof u->scheme, s, (size_t)(colon - s)))
        return AX_E_INVAL;
    const char *rest = colon + 1;
    const char *q = strchr(rest, '?');
    size_t plen = q ? (size_t)(q - rest) : strlen(rest);
    if (copy_part(u->path, sizeof u->path, rest, plen))
        return AX_E_INVAL;
    return q ? parse_opts(q + 1, u) : AX_OK;
}

const char *ax_uri_get(const ax_uri *u, const char *key)
{
    for (unsigned i = 0; i < u->nopts; i++)
        if (!strcmp(u->opt[i].key, key))
            return u->opt[i].value;
    return NULL;
}

int ax_uri_get_u64(const ax_uri *u, const char *key, uint64_t lo, uint64_t hi, uint64_t *v)
{
    const char *s = ax_uri_get(u, key);
    if (!s)
        return AX_OK;
    /* Decimal, or hex with an explicit 0x: a leading 0 is not octal. */
    int hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    const char *digits = s + (hex ? 2 : 0);
    if (!(hex ? isxdigit((unsigned char)*digits) : isdigit((unsigned char)*digits)))
        return AX_E_INVAL;
    char *end;
    errno = 0;
    unsigned long long x = strtoull(digits, &end, hex ? 16 : 10);
    if (errno || *end || x < lo || x > hi)
        return AX_E_INVAL;
    *v = x;
    return AX_OK;
}

int ax_uri_get_double(const ax_uri *u, const char *key, double lo, double hi, double *v)
{
    const char *s = ax_uri_get(u, key);
    if (!s)
        return AX_OK;
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    if (errno || end == s || *end || !(x >= lo && x <= hi))
        return AX_E_INVAL;
    *v = x;
    return AX_OK;
}

int ax_uri_check_keys(const ax_uri *u, const char *const *allowed)
{
    for (unsigned i = 0; i < u->nopts; i++) {
        bool ok = false;
        for (const char *const *a = allowed; *a && !ok; a++)
            ok = !strcmp(*a, u->opt[i].key);
        if (!ok)
            return AX_E_INVAL;
    }
    return AX_OK;
}
