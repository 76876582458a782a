/* web_client.h — a minimal HTTP/1.1 client over loopback for the web API's
 * tests and bench_web: one request per connection, the whole answer read
 * until the server closes it.  Header-only (static functions) so that the
 * test and the benchmark share it without a library. */
#ifndef PARLEY_TEST_WEB_CLIENT_H
#define PARLEY_TEST_WEB_CLIENT_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

typedef struct web_answer {
    int status;       /* 0 when no answer could be read */
    char *head;       /* the status line and headers; malloc'd */
    char *body;       /* NUL-terminated; malloc'd */
    size_t body_len;
} web_answer;

static void web_answer_free(web_answer *a)
{
    free(a->head);
    free(a->body);
    memset(a, 0, sizeof *a);
}

static int web_send_all(int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
        if (n <= 0)
            return -1;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Sends method path to 127.0.0.1:port with extra_headers (each line ending
 * in \r\n; may be NULL) and body (may be NULL).  Unless extra_headers has
 * its own, Host is 127.0.0.1:port.  Returns the answer's status. */
static int web_request_raw(unsigned port, const char *method, const char *path,
                           const char *extra_headers, const char *body, size_t body_len,
                           web_answer *out)
{
    memset(out, 0, sizeof *out);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        if (fd >= 0)
            close(fd);
        return 0;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    extra_headers = extra_headers ? extra_headers : "";
    char host[64] = "";
    if (!strstr(extra_headers, "Host:"))
        snprintf(host, sizeof host, "Host: 127.0.0.1:%u\r\n", port);
    size_t head_cap = strlen(path) + strlen(extra_headers) + 256;
    char *head = malloc(head_cap);
    int head_len = snprintf(head, head_cap,
                            "%s %s HTTP/1.1\r\n%s%sConnection: close\r\nContent-Length: %zu\r\n\r\n",
                            method, path, host, extra_headers, body ? body_len : 0);
    int failed = web_send_all(fd, head, (size_t)head_len) != 0 ||
                 (body && web_send_all(fd, body, body_len) != 0);
    free(head);
    size_t cap = 8192, used = 0;
    char *buf = malloc(cap);
    for (ssize_t n; !failed && (n = recv(fd, buf + used, cap - used - 1, 0)) > 0;) {
        used += (size_t)n;
        if (cap - used < 2)
            buf = realloc(buf, cap *= 2);
    }
    close(fd);
    buf[used] = '\0';
    char *split = strstr(buf, "\r\n\r\n");
    if (split && sscanf(buf, "HTTP/1.%*d %d", &out->status) == 1) {
        *split = '\0';
        out->head = strdup(buf);
        out->body_len = used - (size_t)(split + 4 - buf);
        out->body = malloc(out->body_len + 1);
        memcpy(out->body, split + 4, out->body_len + 1);
    } else {
        out->status = 0;
    }
    free(buf);
    return out->status;
}

/* A JSON request as the page sends it. */
static int web_request_json(unsigned port, const char *method, const char *path,
                            const char *body, web_answer *out)
{
    return web_request_raw(port, method, path, "Content-Type: application/json\r\n", body,
                           body ? strlen(body) : 0, out);
}

#endif
