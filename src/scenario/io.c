/* io.c — reading and writing whole files, and the entry points of
 * parley/format.h that pick a format's reader or writer.
 *
 * Files are written through a temporary file in the target's directory,
 * fsync(2) and rename(2) (POSIX guarantees rename is atomic within a file
 * system), so a reader sees the old file or the new one, never half of one. */
#include "format_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parley/alloc.h"

#define MAX_FILE_BYTES ((size_t)256 * 1024 * 1024)

/* ---- names -------------------------------------------------------------- */

static const char *const format_names[] = {
#define PARLEY_X_NAME(name, text, summary) text,
    PARLEY_FORMATS(PARLEY_X_NAME)
#undef PARLEY_X_NAME
};
#define N_FORMATS (sizeof format_names / sizeof format_names[0])

const char *parley_format_name(parley_format f)
{
    return (size_t)f < N_FORMATS ? format_names[f] : "unknown";
}

int parley_format_parse(const char *name)
{
    if (!name)
        return -1;
    for (size_t k = 0; k < N_FORMATS; k++)
        if (strcmp(format_names[k], name) == 0)
            return (int)k;
    return -1;
}

/* ---- reading ------------------------------------------------------------ */

static int read_stream(FILE *in, const char *name, char **out, size_t *len,
                       parley_error *err)
{
    size_t cap = 64 * 1024, used = 0;
    char *data = parley_malloc(cap);
    if (!data)
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    for (;;) {
        if (cap - used < 2) {
            if (cap > MAX_FILE_BYTES) {
                parley_free(data);
                return fmt_fail(err, PARLEY_EIO, name, 0, 0, NULL,
                                "the file is larger than 256 MiB; parley does not read "
                                "files that large");
            }
            char *bigger = parley_reallocarray(data, cap, 2);
            if (!bigger) {
                parley_free(data);
                return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
            }
            data = bigger;
            cap *= 2;
        }
        size_t got = fread(data + used, 1, cap - used - 1, in);
        used += got;
        if (got == 0)
            break;
    }
    if (ferror(in)) {
        parley_free(data);
        return fmt_fail(err, PARLEY_EIO, name, 0, 0, NULL, "cannot read: %s",
                        strerror(errno));
    }
    if (used > MAX_FILE_BYTES) {
        parley_free(data);
        return fmt_fail(err, PARLEY_EIO, name, 0, 0, NULL,
                        "the file is larger than 256 MiB; parley does not read files "
                        "that large");
    }
    data[used] = '\0';
    *out = data;
    *len = used;
    return PARLEY_OK;
}

int parley_read_file(const char *path, char **out, size_t *len, parley_error *err)
{
    if (!path || !out || !len)
        return parley_error_set(err, PARLEY_EINVAL, "parley_read_file: NULL argument");
    *out = NULL;
    *len = 0;
    if (strcmp(path, "-") == 0)
        return read_stream(stdin, "<stdin>", out, len, err);
    FILE *in = fopen(path, "rb");
    if (!in)
        return fmt_fail(err, PARLEY_EIO, path, 0, 0, NULL, "cannot open: %s",
                        strerror(errno));
    struct stat st;
    if (fstat(fileno(in), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(in);
        return fmt_fail(err, PARLEY_EIO, path, 0, 0, NULL, "is a directory, not a file");
    }
    if (fstat(fileno(in), &st) == 0 && S_ISREG(st.st_mode) &&
        (unsigned long long)st.st_size > MAX_FILE_BYTES) {
        fclose(in);
        return fmt_fail(err, PARLEY_EIO, path, 0, 0, NULL,
                        "the file is larger than 256 MiB; parley does not read files "
                        "that large");
    }
    int rc = read_stream(in, path, out, len, err);
    fclose(in);
    return rc;
}

/* ---- writing ------------------------------------------------------------ */

static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

int parley_write_file_atomic(const char *path, const char *data, size_t len,
                             parley_error *err)
{
    if (!path || (!data && len))
        return parley_error_set(err, PARLEY_EINVAL,
                                "parley_write_file_atomic: NULL argument");
    if (strcmp(path, "-") == 0) {
        if ((len && fwrite(data, 1, len, stdout) != len) || fflush(stdout) != 0)
            return fmt_fail(err, PARLEY_EIO, "<stdout>", 0, 0, NULL, "cannot write: %s",
                            strerror(errno));
        return PARLEY_OK;
    }
    /* The temporary file sits beside the target so that rename stays within
     * one file system. */
    size_t path_len = strlen(path);
    char *temp = parley_malloc(path_len + sizeof ".tmp-XXXXXX");
    if (!temp)
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    memcpy(temp, path, path_len);
    memcpy(temp + path_len, ".tmp-XXXXXX", sizeof ".tmp-XXXXXX");
    int fd = mkstemp(temp);
    if (fd < 0) {
        int rc = fmt_fail(err, PARLEY_EIO, path, 0, 0, NULL,
                          "cannot create a temporary file beside it: %s", strerror(errno));
        parley_free(temp);
        return rc;
    }
    /* mkstemp makes the file 0600; keep an existing file's mode, else 0644. */
    struct stat st;
    mode_t mode = (stat(path, &st) == 0) ? (st.st_mode & 07777) : 0644;
    const char *failed = NULL;
    if (fchmod(fd, mode) != 0)
        failed = "cannot set the mode of";
    else if (write_all(fd, data, len) != 0)
        failed = "cannot write";
    else if (fsync(fd) != 0)
        failed = "cannot flush to disk";
    int saved_errno = errno;
    if (close(fd) != 0 && !failed) {
        failed = "cannot close";
        saved_errno = errno;
    }
    if (!failed && rename(temp, path) != 0) {
        failed = "cannot rename the temporary file onto";
        saved_errno = errno;
    }
    if (failed) {
        unlink(temp);
        parley_free(temp);
        return fmt_fail(err, PARLEY_EIO, path, 0, 0, NULL, "%s the file: %s", failed,
                        strerror(saved_errno));
    }
    parley_free(temp);
    return PARLEY_OK;
}

/* ---- recognising a format ----------------------------------------------- */

/* Splits the first line of buf into up to max fields (quote-aware, trimmed,
 * each cut to the size of its slot).  Returns the number of fields. */
static size_t first_line_fields(const char *buf, size_t len, char fields[][48], size_t max)
{
    size_t n = 0, k = 0, at = 0;
    int quoted = 0;
    if (max == 0)
        return 0;
    fields[0][0] = '\0';
    for (; at < len; at++) {
        char c = buf[at];
        if (c == '"') {
            quoted = !quoted;
            continue;
        }
        if (!quoted && (c == '\n' || c == '\r'))
            break;
        if (!quoted && c == ',') {
            if (++n == max)
                return n;
            k = 0;
            fields[n][0] = '\0';
            continue;
        }
        if ((c == ' ' || c == '\t') && k == 0)
            continue;
        if (k + 1 < 48) {
            fields[n][k++] = c;
            fields[n][k] = '\0';
        }
    }
    for (size_t f = 0; f <= n && f < max; f++) {
        size_t l = strlen(fields[f]);
        while (l && (fields[f][l - 1] == ' ' || fields[f][l - 1] == '\t'))
            fields[f][--l] = '\0';
    }
    return n + 1;
}

static int is_count(const char *text)
{
    if (!*text)
        return 0;
    for (const char *p = text; *p; p++)
        if (*p < '0' || *p > '9')
            return 0;
    return 1;
}

parley_format parley_format_detect(const char *buf, size_t len)
{
    if (!buf)
        return PARLEY_FORMAT_AUTO;
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
        buf += 3;
        len -= 3;
    }
    size_t at = 0;
    while (at < len && (buf[at] == ' ' || buf[at] == '\t' || buf[at] == '\r' ||
                        buf[at] == '\n'))
        at++;
    if (at < len && (buf[at] == '{' || buf[at] == '['))
        return PARLEY_FORMAT_JSON;
    buf += at;
    len -= at;
    if (len >= strlen(FMT_LONG_MAGIC) && memcmp(buf, FMT_LONG_MAGIC, strlen(FMT_LONG_MAGIC)) == 0)
        return PARLEY_FORMAT_CSV;
    if (len >= 20 && memcmp(buf, "prnrnmc,isnrnmc,prnr", 20) == 0)
        return PARLEY_FORMAT_DEU;
    char fields[5][48];
    size_t n = first_line_fields(buf, len, fields, 5);
    static const char *const bdm[] = {"actor", "capability", "position", "salience"};
    if (n >= 4 && (n == 4 || fields[4][0] == '\0')) {
        int match = 1;
        for (size_t k = 0; k < 4; k++)
            if (strcasecmp(fields[k], bdm[k]) != 0)
                match = 0;
        if (match)
            return PARLEY_FORMAT_BDM;
    }
    if (n >= 4 && is_count(fields[2]) && is_count(fields[3]))
        return PARLEY_FORMAT_KTAB;
    return PARLEY_FORMAT_AUTO;
}

/* ---- the entry points --------------------------------------------------- */

int parley_scenarios_parse(const char *buf, size_t len, const char *name,
                           parley_format fmt, parley_scenario ***out, size_t *count,
                           parley_error *err)
{
    if (!out || !count || (!buf && len))
        return parley_error_set(err, PARLEY_EINVAL, "parley_scenarios_parse: NULL argument");
    *out = NULL;
    *count = 0;
    parley_error_clear(err);
    if (!name)
        name = "<input>";
    if (!buf)
        buf = "";
    if (fmt == PARLEY_FORMAT_AUTO) {
        fmt = parley_format_detect(buf, len);
        if (fmt == PARLEY_FORMAT_AUTO)
            return fmt_fail(err, PARLEY_EPARSE, name, len ? 1 : 0, 0, NULL,
                            len ? "cannot recognise the format: expected parley JSON, "
                                  "parley's long CSV, a BDM table "
                                  "(Actor,Capability,Position,Salience), KTAB's CSV or "
                                  "the DEU III data set"
                                : "the input is empty");
    }
    switch (fmt) {
    case PARLEY_FORMAT_JSON:
        return fmt_json_read(buf, len, name, out, count, err);
    case PARLEY_FORMAT_CSV:
        return fmt_long_read(buf, len, name, out, count, err);
    case PARLEY_FORMAT_BDM:
        return fmt_bdm_read(buf, len, name, out, count, err);
    case PARLEY_FORMAT_KTAB:
        return fmt_ktab_read(buf, len, name, out, count, err);
    case PARLEY_FORMAT_DEU:
        return fmt_deu_read(buf, len, name, out, count, err);
    case PARLEY_FORMAT_AUTO:
        break;
    }
    return parley_error_set(err, PARLEY_EINVAL, "unknown format %d", (int)fmt);
}

int parley_scenarios_load(const char *path, parley_format fmt, parley_scenario ***out,
                          size_t *count, parley_error *err)
{
    if (!path || !out || !count)
        return parley_error_set(err, PARLEY_EINVAL, "parley_scenarios_load: NULL argument");
    *out = NULL;
    *count = 0;
    char *buf;
    size_t len;
    int rc = parley_read_file(path, &buf, &len, err);
    if (rc != PARLEY_OK)
        return rc;
    rc = parley_scenarios_parse(buf, len, strcmp(path, "-") == 0 ? "<stdin>" : path, fmt,
                                out, count, err);
    parley_free(buf);
    return rc;
}

int parley_scenario_load(const char *path, parley_format fmt, parley_scenario **out,
                         parley_error *err)
{
    if (!out)
        return parley_error_set(err, PARLEY_EINVAL, "parley_scenario_load: NULL argument");
    *out = NULL;
    parley_scenario **all;
    size_t count;
    int rc = parley_scenarios_load(path, fmt, &all, &count, err);
    if (rc != PARLEY_OK)
        return rc;
    if (count != 1) {
        parley_scenarios_free(all, count);
        return fmt_fail(err, PARLEY_EINVAL, path, 0, 0, NULL,
                        "holds %zu scenarios where one was expected", count);
    }
    *out = all[0];
    parley_free(all);
    return PARLEY_OK;
}

void parley_scenarios_free(parley_scenario **scenarios, size_t count)
{
    if (!scenarios)
        return;
    for (size_t k = 0; k < count; k++)
        parley_scenario_free(scenarios[k]);
    parley_free(scenarios);
}

int parley_scenario_format(const parley_scenario *sc, parley_format fmt, char **out,
                           parley_error *err)
{
    if (!sc || !out)
        return parley_error_set(err, PARLEY_EINVAL, "parley_scenario_format: NULL argument");
    *out = NULL;
    switch (fmt) {
    case PARLEY_FORMAT_JSON:
        return fmt_json_write(sc, out, err);
    case PARLEY_FORMAT_CSV:
        return fmt_long_write(sc, out, err);
    case PARLEY_FORMAT_BDM:
        return fmt_bdm_write(sc, out, err);
    case PARLEY_FORMAT_KTAB:
        return fmt_ktab_write(sc, out, err);
    case PARLEY_FORMAT_DEU:
        return parley_error_set(err, PARLEY_EINVAL,
                                "parley reads the DEU III data set but does not write it");
    case PARLEY_FORMAT_AUTO:
        break;
    }
    return parley_error_set(err, PARLEY_EINVAL, "choose a format to write (json, csv, bdm, "
                                                "ktab)");
}

int parley_scenario_save(const parley_scenario *sc, parley_format fmt, const char *path,
                         parley_error *err)
{
    if (!path)
        return parley_error_set(err, PARLEY_EINVAL, "parley_scenario_save: NULL argument");
    char *text;
    int rc = parley_scenario_format(sc, fmt, &text, err);
    if (rc != PARLEY_OK)
        return rc;
    rc = parley_write_file_atomic(path, text, strlen(text), err);
    parley_free(text);
    return rc;
}
