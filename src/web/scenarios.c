/* scenarios.c — the scenarios of --dir: list, read, validate, save.
 *
 * No path outside the directory can be reached.  A name is one plain file
 * name ([A-Za-z0-9._-], not starting with '.', at most 128 bytes), so "..",
 * absolute paths and anything holding '/' or '\' (also once the HTTP layer
 * has decoded %2e%2e%2f) are refused before the file system is asked; the
 * file is then opened relative to the directory's descriptor with
 * O_NOFOLLOW, so a symbolic link in the directory is refused too (even one
 * pointing inside it), and it must be a regular file. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parley/alloc.h"
#include "parley/format.h"
#include "parley/report.h"
#include "web/web_internal.h"

#define MAX_NAME 128
#define MAX_FILE (16u << 20)
#define BUILTIN_NAME "default"

static int name_ok(const char *name)
{
    size_t len = strlen(name);
    if (len == 0 || len > MAX_NAME || name[0] == '.')
        return 0;
    return strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                        "0123456789._-") == len;
}

static int check_name(const web_context *ctx, const char *name, web_response *res)
{
    if (!name_ok(name)) {
        web_reply_error(res, 400, "bad_name", "name",
                        "a scenario is named by one file name of letters, digits, '.', '_' "
                        "and '-', not starting with '.'");
        return -1;
    }
    if (ctx->dir_fd < 0) {
        web_reply_error(res, 404, "not_found", "name",
                        "the server has no scenario directory (parley serve --dir)");
        return -1;
    }
    return 0;
}

/* Reads name (relative to the directory, no symlinks, regular file only)
 * into a NUL-terminated buffer. */
static char *read_in_dir(int dir_fd, const char *name, size_t *len, web_response *res)
{
    int fd = openat(dir_fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ELOOP)
            web_reply_error(res, 400, "bad_name", "name", "%s is a symbolic link", name);
        else
            web_reply_error(res, 404, "not_found", "name", "no scenario called %s", name);
        return NULL;
    }
    struct stat st;
    char *text = NULL;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > MAX_FILE) {
        web_reply_error(res, 400, "bad_name", "name", "%s is not a regular file of at most "
                        "16 MiB", name);
        goto done;
    }
    text = parley_malloc((size_t)st.st_size + 1);
    size_t got = 0;
    while (text && got < (size_t)st.st_size) {
        ssize_t n = read(fd, text + got, (size_t)st.st_size - got);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    if (!text || got != (size_t)st.st_size) {
        parley_free(text);
        text = NULL;
        web_reply_error(res, 500, "io", "name", "could not read %s", name);
        goto done;
    }
    text[got] = '\0';
    *len = got;
done:
    close(fd);
    return text;
}

void web_list_scenarios(const web_context *ctx, const web_request *req,
                        const char *const *captures, web_response *res)
{
    (void)req, (void)captures;
    json_t *list = json_array();
    json_array_append_new(list, json_pack("{s:s, s:b}", "name", BUILTIN_NAME, "builtin", 1));
    int fd = ctx->dir_fd >= 0 ? dup(ctx->dir_fd) : -1;
    DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
    if (fd >= 0 && !dir)
        close(fd);
    if (dir) {
        rewinddir(dir);
        for (struct dirent *e; (e = readdir(dir));) {
            struct stat st;
            if (!name_ok(e->d_name) ||
                fstatat(ctx->dir_fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
                !S_ISREG(st.st_mode))
                continue;
            json_array_append_new(list, json_pack("{s:s, s:b, s:I}", "name", e->d_name,
                                                  "builtin", 0, "size",
                                                  (json_int_t)st.st_size));
        }
        closedir(dir);
    }
    web_reply_json(res, 200, web_dump(json_pack("{s:o}", "scenarios", list)));
}

/* Parses text (any format parley reads) and replies with its canonical
 * JSON, or with the parse error (line, column and path). */
static void reply_canonical(const char *text, size_t len, const char *name,
                            web_response *res)
{
    parley_scenario **list = NULL;
    size_t count = 0;
    char *json = NULL;
    parley_error err;
    parley_error_clear(&err);
    int code = parley_scenarios_parse(text, len, name, PARLEY_FORMAT_AUTO, &list, &count, &err);
    if (code == PARLEY_OK && count != 1)
        code = parley_error_set(&err, PARLEY_EINVAL, "%s holds %zu scenarios; the page "
                                "edits one at a time", name, count);
    if (code == PARLEY_OK)
        code = parley_scenario_format(list[0], PARLEY_FORMAT_JSON, &json, &err);
    parley_scenarios_free(list, count);
    if (code != PARLEY_OK)
        web_reply_parley_error(res, &err);
    else
        web_reply_json(res, 200, json);
}

void web_get_scenario(const web_context *ctx, const web_request *req,
                      const char *const *captures, web_response *res)
{
    (void)req;
    size_t len = 0;
    if (strcmp(captures[0], BUILTIN_NAME) == 0) {
        const char *text = parley_default_scenario_json(&len);
        reply_canonical(text, len, BUILTIN_NAME, res);
        return;
    }
    if (check_name(ctx, captures[0], res))
        return;
    char *text = read_in_dir(ctx->dir_fd, captures[0], &len, res);
    if (!text)
        return;
    reply_canonical(text, len, captures[0], res);
    parley_free(text);
}

/* The body is a scenario document itself, so that line and column in an
 * error point into what the client sent. */
static parley_scenario *parse_document(const web_request *req, web_response *res)
{
    parley_error err;
    parley_scenario *sc = web_parse_scenario(req->body, req->body_len, "body", &err);
    if (!sc)
        web_reply_parley_error(res, &err);
    return sc;
}

void web_post_validate(const web_context *ctx, const web_request *req,
                       const char *const *captures, web_response *res)
{
    (void)ctx, (void)captures;
    parley_scenario *sc = parse_document(req, res);
    if (!sc)
        return;
    web_reply_json(res, 200, web_dump(json_pack("{s:b, s:s, s:I, s:I}", "valid", 1, "id",
                                                sc->id, "n_actors", (json_int_t)sc->n_actors,
                                                "n_issues", (json_int_t)sc->n_issues)));
    parley_scenario_free(sc);
}

/* Writes text as name in the directory: a temporary file created there
 * (O_EXCL, O_NOFOLLOW), synced, then renamed over name, so a reader never
 * sees half a scenario. */
static int write_in_dir(int dir_fd, const char *name, const char *text, web_response *res)
{
    char tmp[MAX_NAME + 32];
    snprintf(tmp, sizeof tmp, ".%s.%lx.tmp", name, (unsigned long)pthread_self());
    int fd = openat(dir_fd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) {
        web_reply_error(res, 500, "io", "name", "cannot create a file in the scenario "
                        "directory: %s", strerror(errno));
        return -1;
    }
    size_t len = strlen(text), put = 0;
    while (put < len) {
        ssize_t n = write(fd, text + put, len - put);
        if (n <= 0)
            break;
        put += (size_t)n;
    }
    int ok = put == len && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok || renameat(dir_fd, tmp, dir_fd, name) != 0) {
        unlinkat(dir_fd, tmp, 0);
        web_reply_error(res, 500, "io", "name", "cannot write %s: %s", name, strerror(errno));
        return -1;
    }
    return 0;
}

void web_put_scenario(const web_context *ctx, const web_request *req,
                      const char *const *captures, web_response *res)
{
    const char *name = captures[0];
    size_t len = strlen(name);
    if (check_name(ctx, name, res))
        return;
    if (len < 6 || strcmp(name + len - 5, ".json") != 0) {
        web_reply_error(res, 400, "bad_name", "name", "a saved scenario's name ends in .json");
        return;
    }
    struct stat st;
    if (fstatat(ctx->dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISREG(st.st_mode)) {
        web_reply_error(res, 400, "bad_name", "name", "%s exists and is not a regular file",
                        name);
        return;
    }
    parley_scenario *sc = parse_document(req, res);
    if (!sc)
        return;
    char *json = NULL;
    parley_error err;
    if (parley_scenario_format(sc, PARLEY_FORMAT_JSON, &json, &err) != PARLEY_OK)
        web_reply_parley_error(res, &err);
    else if (write_in_dir(ctx->dir_fd, name, json, res) == 0)
        web_reply_json(res, 200, web_dump(json_pack("{s:s, s:s}", "saved", name, "id", sc->id)));
    parley_free(json);
    parley_scenario_free(sc);
}
