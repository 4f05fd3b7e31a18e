/* Provenance: build revision, source folder, and the JSON provenance object. */
#include <stdio.h>

#include "ax_git_revision.h"
#include "axon/provenance.h"
#include "axon/status.h"

const char *ax_git_revision(void)
{
    return AX_GIT_REVISION;
}

const char *ax_source_dir(void)
{
    return AX_SOURCE_DIR;
}

void ax_provenance_init(struct ax_provenance *p, const char *format, int version)
{
    *p = (struct ax_provenance){.format = format,
                                .version = version,
                                .model_version = -1,
                                .protocol_major = -1,
                                .protocol_minor = -1};
}

void ax_json_write_string(FILE *f, const char *s)
{
    if (!s) {
        fputs("null", f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static void write_key(FILE *f, const char *key)
{
    fprintf(f, ",\"%s\":", key);
}

int ax_provenance_write_json(FILE *f, const struct ax_provenance *p, const char *extra_json)
{
    fputs("\"provenance\":{\"format\":", f);
    ax_json_write_string(f, p->format);
    fprintf(f, ",\"version\":%d", p->version);
    write_key(f, "config");
    ax_json_write_string(f, p->config);
    write_key(f, "config_hash");
    if (p->has_config_hash)
        fprintf(f, "\"%016llx\"", (unsigned long long)p->config_hash);
    else
        fputs("null", f);
    write_key(f, "seed");
    p->has_seed ? fprintf(f, "%llu", (unsigned long long)p->seed) : fputs("null", f);
    write_key(f, "backend");
    ax_json_write_string(f, p->backend);
    write_key(f, "die_seed");
    p->has_die_seed ? fprintf(f, "%llu", (unsigned long long)p->die_seed) : fputs("null", f);
    write_key(f, "calibration_id");
    ax_json_write_string(f, p->calibration_id);
    write_key(f, "model_version");
    p->model_version >= 0 ? fprintf(f, "%d", p->model_version) : fputs("null", f);
    write_key(f, "protocol_version");
    if (p->protocol_major >= 0)
        fprintf(f, "\"%d.%d\"", p->protocol_major, p->protocol_minor < 0 ? 0 : p->protocol_minor);
    else
        fputs("null", f);
    write_key(f, "git_revision");
    ax_json_write_string(f, AX_GIT_REVISION);
    if (extra_json && *extra_json)
        fprintf(f, ",%s", extra_json);
    fputc('}', f);
    return ferror(f) ? AX_E_IO : 0;
}
