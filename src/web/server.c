/* server.c — the HTTP side, the only file that knows libmicrohttpd.
 *
 * Each request is checked before its body is read: the Host header must
 * name this server (so a page on another site cannot reach it through DNS
 * rebinding), a state-changing request must come from the page itself
 * (Origin, Sec-Fetch-Site), a body must be JSON and within max_body (413
 * at once when Content-Length says so, or as soon as a chunked body passes
 * it).  The request then goes to web_dispatch (routes.c).  MHD runs a pool
 * of threads; long work runs on job threads (jobs.c), so no request waits
 * for another. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "parley/alloc.h"
#include "web/web_internal.h"

#ifdef PARLEY_HAVE_MHD
#include <microhttpd.h>
#endif

#define MAX_HOSTS 4

struct parley_web {
#ifdef PARLEY_HAVE_MHD
    struct MHD_Daemon *daemon;
#endif
    web_context ctx;
    unsigned port;
    int any_host;                 /* bound to a wildcard address */
    char hosts[MAX_HOSTS][80];    /* Host values that name this server */
};

void parley_web_opts_init(parley_web_opts *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->bind = PARLEY_WEB_DEFAULT_BIND;
    opts->port = PARLEY_WEB_DEFAULT_PORT;
}

int parley_web_is_loopback(const char *address)
{
    unsigned char bytes[16];
    if (strcmp(address, "localhost") == 0)
        return 1;
    if (inet_pton(AF_INET, address, bytes) == 1)
        return bytes[0] == 127;
    return inet_pton(AF_INET6, address, bytes) == 1 &&
           memcmp(bytes, in6addr_loopback.s6_addr, 16) == 0;
}

unsigned parley_web_port(const parley_web *web)
{
    return web->port;
}

#ifdef PARLEY_HAVE_MHD

/* ---- per-request state ------------------------------------------------ */

typedef struct conn_state {
    char *body;
    size_t len, cap;
    int too_large;
    int refused;          /* a response is already queued */
} conn_state;

static int append_body(conn_state *st, const char *data, size_t n, size_t max)
{
    if (st->too_large || st->len + n > max) {
        st->too_large = 1;
        return 0;
    }
    if (st->len + n + 1 > st->cap) {
        size_t cap = st->cap ? st->cap : 4096;
        while (cap < st->len + n + 1)
            cap *= 2;
        char *grown = parley_reallocarray(st->body, cap, 1);
        if (!grown)
            return -1;
        st->body = grown;
        st->cap = cap;
    }
    memcpy(st->body + st->len, data, n);
    st->len += n;
    st->body[st->len] = '\0';
    return 0;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode why)
{
    (void)cls, (void)c, (void)why;
    conn_state *st = *con_cls;
    if (st)
        parley_free(st->body);
    parley_free(st);
    *con_cls = NULL;
}

/* ---- sending ------------------------------------------------------------ */

static enum MHD_Result send_response(struct MHD_Connection *c, web_response *res)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(
        res->len, res->body, res->body_static ? MHD_RESPMEM_PERSISTENT : MHD_RESPMEM_MUST_COPY);
    if (!r) {
        web_response_free(res);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", res->content_type);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'self'; style-src 'self' 'unsafe-inline'; "
                            "img-src 'self' data:; frame-ancestors 'none'");
    if (res->allow)
        MHD_add_response_header(r, "Allow", res->allow);
    enum MHD_Result ok = MHD_queue_response(c, res->status, r);
    MHD_destroy_response(r);
    web_response_free(res);
    return ok;
}

/* ---- checks before the body --------------------------------------------- */

static int host_ok(const parley_web *web, const char *host)
{
    if (!host)
        return 0;
    if (web->any_host)
        return 1;
    for (size_t k = 0; k < MAX_HOSTS; k++)
        if (web->hosts[k][0] && strcasecmp(web->hosts[k], host) == 0)
            return 1;
    return 0;
}

static int is_json_type(const char *type)
{
    static const char json[] = "application/json";
    if (!type || strncasecmp(type, json, sizeof json - 1) != 0)
        return 0;
    char next = type[sizeof json - 1];
    return next == '\0' || next == ';' || next == ' ';
}

/* Fills res and returns 1 when the request is refused before its body. */
static int refuse_early(const parley_web *web, struct MHD_Connection *c, const char *method,
                        web_response *res)
{
    const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
    if (!host_ok(web, host)) {
        web_reply_error(res, 403, "forbidden_host", "Host",
                        "Host \"%s\" does not name this server", host ? host : "");
        return 1;
    }
    int changes = strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
    if (!changes)
        return 0;
    const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
    const char *site = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Sec-Fetch-Site");
    char expected[96];
    snprintf(expected, sizeof expected, "http://%s", host);
    if ((origin && strcasecmp(origin, expected) != 0) ||
        (site && strcmp(site, "same-origin") != 0 && strcmp(site, "none") != 0)) {
        web_reply_error(res, 403, "cross_origin", "Origin",
                        "%s from origin \"%s\" refused: only the page served here may change "
                        "things", method, origin ? origin : site);
        return 1;
    }
    const char *type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
    if (strcmp(method, "DELETE") != 0 && !is_json_type(type)) {
        web_reply_error(res, 415, "unsupported_media_type", "Content-Type",
                        "%s needs Content-Type: application/json", method);
        return 1;
    }
    const char *length = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
    if (length && strtoull(length, NULL, 10) > web->ctx.max_body) {
        web_reply_error(res, 413, "payload_too_large", NULL,
                        "the body is larger than %zu bytes", web->ctx.max_body);
        return 1;
    }
    return 0;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)version;
    parley_web *web = cls;
    conn_state *st = *con_cls;
    web_response res = {0};
    if (!st) {
        st = parley_calloc(1, sizeof *st);
        if (!st)
            return MHD_NO;
        *con_cls = st;
        if (refuse_early(web, c, method, &res)) {
            st->refused = 1;
            return send_response(c, &res);
        }
        return MHD_YES;
    }
    if (st->refused)
        return MHD_YES;
    if (*upload_data_size) {
        int fail = append_body(st, upload_data, *upload_data_size, web->ctx.max_body);
        *upload_data_size = 0;
        return fail ? MHD_NO : MHD_YES;
    }
    if (st->too_large) {
        web_reply_error(&res, 413, "payload_too_large", NULL,
                        "the body is larger than %zu bytes", web->ctx.max_body);
        return send_response(c, &res);
    }
    web_request req = {strcmp(method, "HEAD") == 0 ? "GET" : method, url,
                       st->body ? st->body : "", st->len};
    web_dispatch(&web->ctx, &req, &res);
    return send_response(c, &res);
}

/* Decodes %XX in place, except %00: a NUL would cut the path short of what
 * the client wrote, so it stays as the three characters, which no route or
 * scenario name accepts. */
static size_t unescape(void *cls, struct MHD_Connection *c, char *text)
{
    (void)cls, (void)c;
    char *out = text;
    for (const char *in = text; *in; in++) {
        unsigned value;
        if (in[0] == '%' && isxdigit((unsigned char)in[1]) && isxdigit((unsigned char)in[2]) &&
            sscanf(in + 1, "%2x", &value) == 1 && value != 0) {
            *out++ = (char)value;
            in += 2;
        } else {
            *out++ = *in;
        }
    }
    *out = '\0';
    return (size_t)(out - text);
}

/* ---- starting and stopping ------------------------------------------------ */

static void set_hosts(parley_web *web, const char *bind, int ipv6)
{
    unsigned char any[16] = {0}, bytes[16];
    web->any_host = inet_pton(ipv6 ? AF_INET6 : AF_INET, bind, bytes) == 1 &&
                    memcmp(bytes, any, ipv6 ? 16 : 4) == 0;
    snprintf(web->hosts[0], sizeof web->hosts[0], "127.0.0.1:%u", web->port);
    snprintf(web->hosts[1], sizeof web->hosts[1], "localhost:%u", web->port);
    snprintf(web->hosts[2], sizeof web->hosts[2], "[::1]:%u", web->port);
    snprintf(web->hosts[3], sizeof web->hosts[3], ipv6 ? "[%s]:%u" : "%s:%u", bind, web->port);
}

static int open_context(const parley_web_opts *opts, web_context *ctx, parley_error *err)
{
    ctx->dir_fd = -1;
    ctx->max_body = opts->max_body ? opts->max_body : PARLEY_WEB_DEFAULT_MAX_BODY;
    ctx->job_threads = opts->job_threads;
    if (opts->scenario_dir) {
        ctx->dir_fd = open(opts->scenario_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (ctx->dir_fd < 0)
            return parley_error_set(err, PARLEY_ENOTFOUND, "%s: not a directory one can "
                                    "open", opts->scenario_dir);
    }
    if (opts->db_path && !(ctx->db_path = parley_strdup(opts->db_path)))
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    if (web_jobs_new(opts->max_jobs ? opts->max_jobs : PARLEY_WEB_DEFAULT_MAX_JOBS,
                     &ctx->jobs) != PARLEY_OK)
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    return PARLEY_OK;
}

/* bind(2), out of the way of the variables called bind. */
static int bind_socket(int fd, const struct sockaddr *addr, socklen_t len)
{
    return bind(fd, addr, len);
}

/* Binds and listens here rather than in MHD, so that the port (chosen by
 * the kernel when opts->port is 0) and the Host values are known before the
 * first request can arrive. */
static int listen_on(const char *bind, unsigned port, int *ipv6, unsigned *bound,
                     parley_error *err)
{
    struct sockaddr_in v4 = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    struct sockaddr_in6 v6 = {.sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port)};
    *ipv6 = inet_pton(AF_INET, bind, &v4.sin_addr) != 1;
    if (port > 65535 || (*ipv6 && inet_pton(AF_INET6, bind, &v6.sin6_addr) != 1))
        return parley_error_set(err, PARLEY_EINVAL, "bind address \"%s\" or port %u is not "
                                "valid", bind, port), -1;
    int fd = socket(*ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd >= 0)
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    socklen_t len = *ipv6 ? sizeof v6 : sizeof v4;
    struct sockaddr *addr = *ipv6 ? (struct sockaddr *)&v6 : (struct sockaddr *)&v4;
    if (fd < 0 || bind_socket(fd, addr, len) != 0 || listen(fd, 128) != 0 ||
        getsockname(fd, addr, &len) != 0) {
        parley_error_set(err, PARLEY_EIO, "cannot listen on %s port %u: %s", bind, port,
                         strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    *bound = ntohs(*ipv6 ? v6.sin6_port : v4.sin_port);
    return fd;
}

static struct MHD_Daemon *start_daemon(parley_web *web, const parley_web_opts *opts, int fd)
{
    unsigned threads = opts->threads ? opts->threads : PARLEY_WEB_DEFAULT_THREADS;
    return MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO, 0, NULL, NULL,
                            on_request, web, MHD_OPTION_LISTEN_SOCKET, fd,
                            MHD_OPTION_THREAD_POOL_SIZE, threads,
                            MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
                            MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_CONNECTION_LIMIT,
                            256u, MHD_OPTION_NOTIFY_COMPLETED, on_completed, web,
                            MHD_OPTION_END);
}

int parley_web_start(const parley_web_opts *opts, parley_web **out, parley_error *err)
{
    *out = NULL;
    const char *bind = strcmp(opts->bind, "localhost") == 0 ? "127.0.0.1" : opts->bind;
    parley_web *web = parley_calloc(1, sizeof *web);
    if (!web)
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    int code = open_context(opts, &web->ctx, err), ipv6 = 0;
    int fd = code == PARLEY_OK ? listen_on(bind, opts->port, &ipv6, &web->port, err) : -1;
    if (code == PARLEY_OK && fd < 0)
        code = err ? err->code : PARLEY_EIO;
    if (code == PARLEY_OK) {
        set_hosts(web, bind, ipv6);
        web->daemon = start_daemon(web, opts, fd);
        if (!web->daemon) {
            close(fd);
            code = parley_error_set(err, PARLEY_EIO, "cannot start the HTTP server on %s "
                                    "port %u", opts->bind, web->port);
        }
    }
    if (code != PARLEY_OK) {
        parley_web_stop(web);
        return code;
    }
    *out = web;
    return PARLEY_OK;
}

void parley_web_stop(parley_web *web)
{
    if (!web)
        return;
    if (web->daemon)
        MHD_stop_daemon(web->daemon);
    web_jobs_free(web->ctx.jobs);
    if (web->ctx.dir_fd >= 0)
        close(web->ctx.dir_fd);
    parley_free(web->ctx.db_path);
    parley_free(web);
}

#else /* !PARLEY_HAVE_MHD */

int parley_web_start(const parley_web_opts *opts, parley_web **out, parley_error *err)
{
    (void)opts;
    *out = NULL;
    return parley_error_set(err, PARLEY_EINTERNAL,
                            "this parley was built without libmicrohttpd: no web UI");
}

void parley_web_stop(parley_web *web)
{
    parley_free(web);
}

#endif
