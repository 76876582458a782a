/* bench_web.c — a loopback load test of `parley serve`'s API.
 *
 * Starts the server in this process on 127.0.0.1 (an ephemeral port, 4
 * request threads) and sends POST /api/run from CLIENTS client threads,
 * one request per connection (as tests/web_client.h does), for at most
 * MAX_REQUESTS requests or SECONDS seconds per case.  Prints requests per
 * second and the p50/p99 latency for one model (eu) and for every model
 * (what the page's what-if sends) on the built-in scenario.  Nothing but
 * 127.0.0.1 is contacted.  Usage: bench_web [clients] [seconds] */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../tests/web_client.h"
#include "parley/web.h"

#define MAX_REQUESTS 20000
#define MAX_CLIENTS 16

typedef struct load {
    unsigned port;
    const char *body;
    double seconds;
    double *latency;       /* MAX_REQUESTS */
    size_t count, failed;
    pthread_mutex_t lock;
} load;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void *client(void *arg)
{
    load *l = arg;
    double end = now() + l->seconds;
    while (now() < end) {
        double t0 = now();
        web_answer a;
        int status = web_request_json(l->port, "POST", "/api/run", l->body, &a);
        double t1 = now();
        web_answer_free(&a);
        pthread_mutex_lock(&l->lock);
        int full = l->count >= MAX_REQUESTS;
        if (!full && status == 200)
            l->latency[l->count++] = t1 - t0;
        else if (status != 200)
            l->failed++;
        pthread_mutex_unlock(&l->lock);
        if (full)
            break;
    }
    return NULL;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void run_case(const char *name, unsigned port, const char *body, int clients,
                     double seconds)
{
    load l = {port, body, seconds, calloc(MAX_REQUESTS, sizeof(double)), 0, 0,
              PTHREAD_MUTEX_INITIALIZER};
    pthread_t threads[MAX_CLIENTS];
    double t0 = now();
    for (int k = 0; k < clients; k++)
        pthread_create(&threads[k], NULL, client, &l);
    for (int k = 0; k < clients; k++)
        pthread_join(threads[k], NULL);
    double elapsed = now() - t0;
    qsort(l.latency, l.count, sizeof(double), by_value);
    double p50 = l.count ? l.latency[l.count / 2] : 0;
    double p99 = l.count ? l.latency[(size_t)((double)l.count * 0.99)] : 0;
    printf("%-28s %2d clients  %6zu requests  %8.1f req/s  p50 %7.2f ms  p99 %7.2f ms  "
           "failed %zu\n",
           name, clients, l.count, (double)l.count / elapsed, p50 * 1e3, p99 * 1e3, l.failed);
    free(l.latency);
}

int main(int argc, char **argv)
{
    int clients = argc > 1 ? atoi(argv[1]) : 4;
    double seconds = argc > 2 ? atof(argv[2]) : 3.0;
    if (clients < 1 || clients > MAX_CLIENTS || seconds <= 0 || seconds > 60) {
        fprintf(stderr, "usage: bench_web [clients 1..%d] [seconds 0..60]\n", MAX_CLIENTS);
        return 2;
    }
    parley_web_opts opts;
    parley_web_opts_init(&opts);
    opts.port = 0;
    parley_web *web = NULL;
    parley_error err;
    parley_error_clear(&err);
    if (parley_web_start(&opts, &web, &err) != PARLEY_OK) {
        fprintf(stderr, "bench_web: %s\n", err.message);
        return 1;
    }
    unsigned port = parley_web_port(web);
    printf("parley serve on 127.0.0.1:%u, %d request threads; built-in scenario\n", port,
           PARLEY_WEB_DEFAULT_THREADS);
    run_case("one model (eu)", port, "{\"models\": [\"eu\"]}", clients, seconds);
    run_case("what-if: every model", port, "{\"history\": [\"eu\"]}", clients, seconds);
    run_case("what-if, 1 client", port, "{\"history\": [\"eu\"]}", 1, seconds);
    parley_web_stop(web);
    return 0;
}
