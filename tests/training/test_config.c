/* The key = value config parser: every type, lists, errors with file:line. */
#include <stdio.h>
#include <string.h>

#include "axon/config.h"
#include "axon/status.h"

#include "ttfs_testutil.h"

static const char good[] = "# top comment\n"
                           "name = \"a \\\"quoted\\\" \\\\ text\"  # trailing comment\n"
                           "\n"
                           "[net]\n"
                           "sizes = [4, 120, 3]\n"
                           "rate = 5e-3\n"
                           "count = -42\n"
                           "flag = true\n"
                           "mix = [0.3, 0]\n"
                           "empty = []\n"
                           "one = 0.25\n";

static void test_good(void)
{
    ax_config *c;
    int rc = ax_config_load_string(&c, good, "good.cfg");
    CHECK(rc == 0, "load: %s", ax_error_detail());
    if (rc)
        return;
    const char *s = NULL;
    CHECK(ax_config_get_string(c, "", "name", &s) == 0 && !strcmp(s, "a \"quoted\" \\ text"),
          "string '%s'", s ? s : "(null)");
    long long sizes[4];
    size_t n = 0;
    CHECK(ax_config_get_int_list(c, "net", "sizes", 1, 1000, 1, 4, sizes, &n) == 0 && n == 3 &&
              sizes[0] == 4 && sizes[1] == 120 && sizes[2] == 3,
          "sizes n=%zu", n);
    double d = 0;
    CHECK(ax_config_get_double(c, "net", "rate", 0, 1, &d) == 0 && d == 5e-3, "rate %g", d);
    long long i = 0;
    CHECK(ax_config_get_int(c, "net", "count", -100, 100, &i) == 0 && i == -42, "count %lld", i);
    bool b = false;
    CHECK(ax_config_get_bool(c, "net", "flag", &b) == 0 && b, "flag");
    double mix[2];
    CHECK(ax_config_get_double_list(c, "net", "mix", 0, 1, 2, 2, mix, &n) == 0 && mix[0] == 0.3 &&
              mix[1] == 0.0,
          "mix");
    CHECK(ax_config_get_double_list(c, "net", "empty", 0, 1, 0, 2, mix, &n) == 0 && n == 0,
          "empty list n=%zu", n);
    CHECK(ax_config_get_double_list(c, "net", "one", 0, 1, 1, 3, mix, &n) == 0 && n == 1 &&
              mix[0] == 0.25,
          "scalar as list");
    d = 7.0;
    CHECK(ax_config_get_double(c, "net", "missing", 0, 1, &d) == AX_E_NOTFOUND && d == 7.0,
          "absent key keeps the default");
    CHECK(ax_config_check_unknown(c) == 0, "all keys used: %s", ax_config_error(c));
    ax_config_free(c);
}

/* Errors from getters name file:line and the field. */
static void test_type_and_range_errors(void)
{
    ax_config *c;
    CHECK(ax_config_load_string(&c, "[a]\nx = \"text\"\ny = 5\nz = 1\n", "t.cfg") == 0, "load");
    double d;
    CHECK(ax_config_get_double(c, "a", "x", 0, 1, &d) == AX_E_FORMAT, "string as number");
    CHECK(strstr(ax_config_error(c), "t.cfg:2: a.x: expected a number") != NULL, "msg '%s'",
          ax_config_error(c));
    long long i;
    CHECK(ax_config_get_int(c, "a", "y", 0, 3, &i) == AX_E_RANGE, "range");
    CHECK(strstr(ax_config_error(c), "t.cfg:3: a.y: 5 is out of range") != NULL, "msg '%s'",
          ax_config_error(c));
    CHECK(ax_config_check_unknown(c) == AX_E_FORMAT, "z unused");
    CHECK(strstr(ax_config_error(c), "t.cfg:4: unknown key 'z' in [a]") != NULL, "msg '%s'",
          ax_config_error(c));
    ax_config_free(c);
}

static void expect_syntax_error(const char *text, const char *message)
{
    ax_config *c = NULL;
    int rc = ax_config_load_string(&c, text, "bad.cfg");
    const char *err = ax_error_detail();
    CHECK(rc == AX_E_FORMAT && c == NULL, "'%s' should fail", text);
    CHECK(strstr(err, message) != NULL, "'%s': got '%s', want '%s'", text, err, message);
    ax_config_free(c);
}

static void test_syntax_errors(void)
{
    expect_syntax_error("a = 1\na = 2\n", "bad.cfg:2: duplicate key 'a'");
    expect_syntax_error("[s]\n[s]\n", "bad.cfg:2: duplicate section [s]");
    expect_syntax_error("x = \"open\n", "bad.cfg:1: unterminated string");
    expect_syntax_error("\n\nx = [1, 2\n", "bad.cfg:3: expected ',' or ']' in list");
    expect_syntax_error("x = 1 2\n", "bad.cfg:1: unexpected text after value");
    expect_syntax_error("x = inf\n", "bad.cfg:1: bad value 'inf'");
    expect_syntax_error("x = 0x10\n", "hex");
    expect_syntax_error("just words\n", "bad.cfg:1: expected 'key = value'");
    expect_syntax_error("[bad section\n", "bad.cfg:1: bad section header");
    expect_syntax_error("x =\n", "bad.cfg:1: missing value");
}

int main(void)
{
    test_good();
    test_type_and_range_errors();
    test_syntax_errors();
    ax_config *c;
    CHECK(ax_config_load_file(&c, "/nonexistent/x.cfg") == AX_E_NOTFOUND &&
              strstr(ax_error_detail(), "/nonexistent/x.cfg: cannot open"),
          "missing file: %s", ax_error_detail());
    /* An endless source is refused at the size limit, not read into memory. */
    CHECK(ax_config_load_file(&c, "/dev/zero") == AX_E_RANGE && c == NULL &&
              strstr(ax_error_detail(), "/dev/zero: larger than 1048576 bytes"),
          "endless file: %s", ax_error_detail());
    /* A getter's error is also the thread's error detail. */
    CHECK(ax_config_load_string(&c, "x = 1\n", "d.cfg") == 0, "load");
    bool b;
    CHECK(ax_config_get_bool(c, "", "x", &b) == AX_E_FORMAT &&
              strstr(ax_error_detail(), "d.cfg:1: .x: expected") != NULL,
          "getter detail: %s", ax_error_detail());
    ax_config_free(c);
    return check_summary();
}
