/* test_web_api.c — the web API over loopback: each route, each error, and
 * every path trick against the scenario directory.  The server runs in this
 * process on an ephemeral port; requests go through plain sockets
 * (web_client.h). */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "parley/format.h"
#include "parley/model.h"
#include "parley/report.h"
#include "parley/web.h"
#include "support.h"
#include "web_client.h"

static char root[] = "/tmp/parley-web-XXXXXX";
static char dir[256], db[256], secret[256];
static parley_web *server;
static unsigned port;

#define SECRET_MARK "do-not-leak-7f3a"

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs(text, f);
    fclose(f);
}

static void setup(void)
{
    cr_assert(mkdtemp(root));
    snprintf(dir, sizeof dir, "%s/scenarios", root);
    snprintf(db, sizeof db, "%s/runs.db", root);
    snprintf(secret, sizeof secret, "%s/secret.json", root);
    cr_assert_eq(mkdir(dir, 0755), 0);
    size_t len = 0;
    write_text(secret, "{\"" SECRET_MARK "\": 1}");
    char path[512];
    snprintf(path, sizeof path, "%s/ukraine.json", dir);
    write_text(path, parley_default_scenario_json(&len));
    snprintf(path, sizeof path, "%s/evil.json", dir);
    cr_assert_eq(symlink(secret, path), 0);
    snprintf(path, sizeof path, "%s/inside-link.json", dir);
    cr_assert_eq(symlink("ukraine.json", path), 0);
    parley_web_opts opts;
    parley_web_opts_init(&opts);
    opts.port = 0;
    opts.scenario_dir = dir;
    opts.db_path = db;
    opts.max_body = 256 * 1024;
    opts.threads = 2;
    parley_error err;
    parley_error_clear(&err);
    cr_assert_eq(parley_web_start(&opts, &server, &err), PARLEY_OK, "%s", err.message);
    port = parley_web_port(server);
    cr_assert_gt(port, 0);
}

static void teardown(void)
{
    parley_web_stop(server);
    server = NULL;
    char command[600];
    snprintf(command, sizeof command, "rm -rf '%s'", root);
    cr_assert_eq(system(command), 0);
    strcpy(root, "/tmp/parley-web-XXXXXX");
}

TestSuite(web, .init = setup, .fini = teardown);

/* The body of an answer as JSON (caller decrefs). */
static json_t *body_json(const web_answer *a)
{
    json_error_t jerr;
    json_t *v = json_loads(a->body ? a->body : "", 0, &jerr);
    cr_assert(v, "not JSON (%s): %.200s", jerr.text, a->body ? a->body : "");
    return v;
}

/* Asserts status and the error shape with this code word; returns nothing. */
static void expect_error(const web_answer *a, int status, const char *code)
{
    cr_assert_eq(a->status, status, "status %d, body %s", a->status, a->body);
    json_t *v = body_json(a);
    json_t *e = json_object_get(v, "error");
    cr_assert(json_is_object(e), "no error object: %s", a->body);
    cr_assert_str_eq(json_string_value(json_object_get(e, "code")), code);
    cr_assert(json_string_length(json_object_get(e, "message")) > 0);
    cr_assert(json_object_get(e, "field"), "no field key");
    json_decref(v);
}

static void get_expect(const char *path, int status, const char *code)
{
    web_answer a;
    web_request_raw(port, "GET", path, NULL, NULL, 0, &a);
    expect_error(&a, status, code);
    cr_assert_null(strstr(a.body, SECRET_MARK), "%s leaked the secret", path);
    web_answer_free(&a);
}

Test(web, models_lists_every_registered_model_with_params)
{
    web_answer a;
    cr_assert_eq(web_request_raw(port, "GET", "/api/models", NULL, NULL, 0, &a), 200);
    cr_assert(strstr(a.head, "application/json"));
    json_t *v = body_json(&a);
    size_t n = 0;
    for (const parley_model *const *m = parley_models(); *m; m++, n++) {
        json_t *entry = json_array_get(v, n);
        cr_assert_str_eq(json_string_value(json_object_get(entry, "name")), (*m)->name);
        cr_assert_eq(json_array_size(json_object_get(entry, "params")),
                     parley_model_count_params(*m));
    }
    cr_assert_eq(json_array_size(v), n);
    json_decref(v);
    web_answer_free(&a);
}

Test(web, page_and_assets_are_served_from_the_binary)
{
    web_answer a;
    cr_assert_eq(web_request_raw(port, "GET", "/", NULL, NULL, 0, &a), 200);
    cr_assert(strstr(a.head, "text/html"));
    cr_assert(strstr(a.body, "app.js"));
    cr_assert_null(strstr(a.body, "http://"), "the page must load nothing from the network");
    cr_assert_null(strstr(a.body, "https://"));
    web_answer_free(&a);
    cr_assert_eq(web_request_raw(port, "GET", "/app.js", NULL, NULL, 0, &a), 200);
    cr_assert(strstr(a.head, "text/javascript"));
    web_answer_free(&a);
    cr_assert_eq(web_request_raw(port, "GET", "/style.css", NULL, NULL, 0, &a), 200);
    web_answer_free(&a);
}

Test(web, unknown_routes_404_and_wrong_methods_405)
{
    get_expect("/nope", 404, "not_found");
    get_expect("/api/nope", 404, "not_found");
    web_answer a;
    web_request_raw(port, "DELETE", "/api/models", NULL, NULL, 0, &a);
    expect_error(&a, 405, "method_not_allowed");
    cr_assert(strstr(a.head, "Allow: GET"));
    web_answer_free(&a);
}

Test(web, scenarios_lists_regular_files_only)
{
    web_answer a;
    cr_assert_eq(web_request_raw(port, "GET", "/api/scenarios", NULL, NULL, 0, &a), 200);
    json_t *v = body_json(&a);
    json_t *list = json_object_get(v, "scenarios");
    cr_assert_eq(json_array_size(list), 2, "%s", a.body); /* default + ukraine.json */
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(list, 0), "name")),
                     "default");
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(list, 1), "name")),
                     "ukraine.json");
    json_decref(v);
    web_answer_free(&a);
}

Test(web, scenario_reads_builtin_and_file_as_canonical_json)
{
    const char *paths[] = {"/api/scenarios/default", "/api/scenarios/ukraine.json"};
    for (size_t k = 0; k < 2; k++) {
        web_answer a;
        cr_assert_eq(web_request_raw(port, "GET", paths[k], NULL, NULL, 0, &a), 200, "%s",
                     paths[k]);
        json_t *v = body_json(&a);
        cr_assert_str_eq(json_string_value(json_object_get(v, "id")), "ukraine-2014");
        cr_assert_eq(json_array_size(json_object_get(v, "actors")), 11);
        json_decref(v);
        web_answer_free(&a);
    }
}

/* Every way out of the directory we know of; none may answer 200 or show
 * the secret file's content. */
Test(web, path_tricks_are_refused)
{
    static const struct {
        const char *path;
        int status;
    } tricks[] = {
        {"/api/scenarios/../secret.json", 400},
        {"/api/scenarios/..%2fsecret.json", 400},
        {"/api/scenarios/%2e%2e%2fsecret.json", 400},
        {"/api/scenarios/%2E%2E/secret.json", 400},
        {"/api/scenarios/%252e%252e%252fsecret.json", 400}, /* double-encoded */
        {"/api/scenarios/..%5csecret.json", 400},           /* backslash */
        {"/api/scenarios/..", 400},
        {"/api/scenarios/.", 400},
        {"/api/scenarios/", 400},
        {"/api/scenarios//etc/passwd", 400},                 /* absolute */
        {"/api/scenarios/%2fetc%2fpasswd", 400},
        {"/api/scenarios/evil.json", 400},                   /* symlink out */
        {"/api/scenarios/inside-link.json", 400},            /* any symlink */
        {"/api/scenarios/.hidden.json", 400},
        {"/api/scenarios/ukraine.json%00.txt", 400},         /* NUL would cut the name */
        {"/api/scenarios/missing.json", 404},
    };
    for (size_t k = 0; k < sizeof tricks / sizeof tricks[0]; k++) {
        web_answer a;
        web_request_raw(port, "GET", tricks[k].path, NULL, NULL, 0, &a);
        cr_assert(a.status == 400 || a.status == 404, "%s answered %d", tricks[k].path,
                  a.status);
        cr_assert_null(strstr(a.body, SECRET_MARK), "%s leaked the secret", tricks[k].path);
        if (a.status != tricks[k].status)
            cr_log_warn("%s: %d (expected %d)", tricks[k].path, a.status, tricks[k].status);
        web_answer_free(&a);
    }
}

Test(web, saving_outside_the_directory_is_refused)
{
    size_t len = 0;
    const char *doc = parley_default_scenario_json(&len);
    const char *paths[] = {"/api/scenarios/..%2fsecret.json", "/api/scenarios/%2e%2e%2fx.json",
                           "/api/scenarios/evil.json", "/api/scenarios/notjson.txt"};
    for (size_t k = 0; k < 4; k++) {
        web_answer a;
        web_request_json(port, "PUT", paths[k], doc, &a);
        cr_assert_eq(a.status, 400, "%s answered %d: %s", paths[k], a.status, a.body);
        web_answer_free(&a);
    }
    char *after = test_read_file(secret, NULL);
    cr_assert_str_eq(after, "{\"" SECRET_MARK "\": 1}");
    free(after);
    char outside[300];
    snprintf(outside, sizeof outside, "%s/x.json", root);
    cr_assert_neq(access(outside, F_OK), 0);
}

Test(web, save_then_read_back)
{
    size_t len = 0;
    const char *doc = parley_default_scenario_json(&len);
    web_answer a;
    cr_assert_eq(web_request_json(port, "PUT", "/api/scenarios/copy.json", doc, &a), 200, "%s",
                 a.body);
    web_answer_free(&a);
    char path[512];
    snprintf(path, sizeof path, "%s/copy.json", dir);
    parley_scenario *sc = NULL;
    cr_assert_eq(parley_scenario_load(path, PARLEY_FORMAT_JSON, &sc, NULL), PARLEY_OK);
    cr_assert_str_eq(sc->id, "ukraine-2014");
    parley_scenario_free(sc);
    cr_assert_eq(web_request_raw(port, "GET", "/api/scenarios/copy.json", NULL, NULL, 0, &a),
                 200);
    web_answer_free(&a);
}

Test(web, validate_reports_the_field_and_the_line)
{
    size_t len = 0;
    web_answer a;
    cr_assert_eq(web_request_json(port, "POST", "/api/validate",
                                  parley_default_scenario_json(&len), &a), 200);
    json_t *v = body_json(&a);
    cr_assert(json_is_true(json_object_get(v, "valid")));
    json_decref(v);
    web_answer_free(&a);
    const char *bad = "{\"parley\": 1, \"id\": \"x\",\n \"actors\": [{\"id\": \"a\", "
                      "\"capability\": -5}],\n \"issues\": [], \"positions\": []}";
    web_request_json(port, "POST", "/api/validate", bad, &a);
    expect_error(&a, 400, "range");
    v = body_json(&a);
    const char *field = json_string_value(json_object_get(json_object_get(v, "error"), "field"));
    cr_assert(field && strstr(field, "actors[0].capability"), "field %s", field);
    json_decref(v);
    web_answer_free(&a);
    web_request_json(port, "POST", "/api/validate", "{\"parley\": 1,\n \"id\": }", &a);
    cr_assert_eq(a.status, 400);
    cr_assert(strstr(a.body, "line 2"), "%s", a.body);
    web_answer_free(&a);
}

Test(web, malformed_json_is_400_with_the_parse_error)
{
    web_answer a;
    web_request_json(port, "POST", "/api/run", "{\"models\": [\"eu\",]}", &a);
    expect_error(&a, 400, "bad_json");
    cr_assert(strstr(a.body, "column"), "%s", a.body);
    web_answer_free(&a);
    web_request_json(port, "POST", "/api/run", "[1, 2]", &a);
    expect_error(&a, 400, "bad_json");
    web_answer_free(&a);
    web_request_json(port, "POST", "/api/run", "{\"seed\": 1, \"seed\": 2}", &a);
    expect_error(&a, 400, "bad_json");
    web_answer_free(&a);
}

Test(web, run_gives_the_same_forecasts_as_the_library)
{
    web_answer a;
    cr_assert_eq(web_request_json(port, "POST", "/api/run", "{}", &a), 200, "%s", a.body);
    json_t *v = body_json(&a);
    json_t *runs = json_object_get(v, "runs");
    size_t len = 0;
    const char *doc = parley_default_scenario_json(&len);
    parley_scenario **list = NULL;
    size_t count = 0;
    cr_assert_eq(parley_scenarios_parse(doc, len, "default", PARLEY_FORMAT_JSON, &list, &count,
                                        NULL), PARLEY_OK);
    parley_result *r = parley_result_new();
    size_t k = 0;
    for (const parley_model *const *m = parley_models(); *m; m++, k++) {
        json_t *run = json_array_get(runs, k);
        cr_assert_str_eq(json_string_value(json_object_get(run, "model")), (*m)->name);
        if (parley_model_run(*m, list[0], NULL, r, NULL) != PARLEY_OK)
            continue;
        json_t *forecasts = json_object_get(run, "forecasts");
        for (size_t i = 0; i < r->n_issues; i++) {
            json_t *f = json_object_get(json_array_get(forecasts, i), "forecast");
            if (isnan(r->forecast[i]))
                cr_assert(json_is_null(f));
            else
                cr_assert_float_eq(json_number_value(f), r->forecast[i], 1e-12, "%s issue %zu",
                                   (*m)->name, i);
        }
    }
    cr_assert_eq(json_array_size(runs), k);
    parley_result_free(r);
    parley_scenarios_free(list, count);
    json_decref(v);
    web_answer_free(&a);
}

Test(web, run_checks_models_and_params)
{
    web_answer a;
    web_request_json(port, "POST", "/api/run", "{\"models\": [\"nosuch\"]}", &a);
    expect_error(&a, 404, "not_found");
    web_answer_free(&a);
    web_request_json(port, "POST", "/api/run",
                     "{\"models\": [\"eu\"], \"params\": {\"eu\": {\"nosuch\": 3}}}", &a);
    expect_error(&a, 400, "invalid");
    cr_assert(strstr(a.body, "params.nosuch"), "%s", a.body);
    web_answer_free(&a);
    web_request_json(port, "POST", "/api/run", "{\"scenario\": {\"parley\": 1}}", &a);
    cr_assert_eq(a.status, 400);
    cr_assert(strstr(a.body, "\"scenario"), "%s", a.body);
    web_answer_free(&a);
    web_request_json(port, "POST", "/api/run", "{\"models\": [\"eu\"], \"trace\": true}", &a);
    cr_assert_eq(a.status, 200);
    cr_assert(strstr(a.body, "\"events\""));
    web_answer_free(&a);
}

Test(web, bodies_over_the_limit_are_413)
{
    size_t n = 300 * 1024;
    char *big = malloc(n + 1);
    memset(big, ' ', n);
    big[0] = '{', big[n - 1] = '}', big[n] = '\0';
    web_answer a;
    web_request_json(port, "POST", "/api/run", big, &a);
    expect_error(&a, 413, "payload_too_large");
    web_answer_free(&a);
    free(big);
}

Test(web, posts_need_json_and_the_same_origin)
{
    web_answer a;
    web_request_raw(port, "POST", "/api/run", "Content-Type: text/plain\r\n", "{}", 2, &a);
    expect_error(&a, 415, "unsupported_media_type");
    web_answer_free(&a);
    web_request_raw(port, "POST", "/api/run",
                    "Content-Type: application/json\r\nOrigin: http://evil.example\r\n", "{}", 2,
                    &a);
    expect_error(&a, 403, "cross_origin");
    web_answer_free(&a);
    web_request_raw(port, "POST", "/api/run",
                    "Content-Type: application/json\r\nSec-Fetch-Site: cross-site\r\n", "{}", 2,
                    &a);
    expect_error(&a, 403, "cross_origin");
    web_answer_free(&a);
    char same[128];
    snprintf(same, sizeof same,
             "Content-Type: application/json; charset=utf-8\r\nOrigin: http://127.0.0.1:%u\r\n",
             port);
    cr_assert_eq(web_request_raw(port, "POST", "/api/run", same, "{\"models\": [\"median\"]}",
                                 22, &a), 200, "%s", a.body);
    web_answer_free(&a);
}

Test(web, foreign_host_headers_are_refused)
{
    web_answer a;
    web_request_raw(port, "GET", "/api/models", "Host: evil.example\r\n", NULL, 0, &a);
    expect_error(&a, 403, "forbidden_host");
    web_answer_free(&a);
    char local[64];
    snprintf(local, sizeof local, "Host: localhost:%u\r\n", port);
    cr_assert_eq(web_request_raw(port, "GET", "/api/models", local, NULL, 0, &a), 200);
    web_answer_free(&a);
}

/* Polls job id until it leaves "running" (at most ~20 s); returns its JSON. */
static json_t *wait_job(long id)
{
    char path[64];
    snprintf(path, sizeof path, "/api/jobs/%ld", id);
    for (int tries = 0; tries < 2000; tries++) {
        web_answer a;
        cr_assert_eq(web_request_raw(port, "GET", path, NULL, NULL, 0, &a), 200);
        json_t *v = body_json(&a);
        web_answer_free(&a);
        if (strcmp(json_string_value(json_object_get(v, "state")), "running") != 0)
            return v;
        json_decref(v);
        usleep(10000);
    }
    cr_assert_fail("job %ld did not finish", id);
    return NULL;
}

static long start_job(const char *body)
{
    web_answer a;
    cr_assert_eq(web_request_json(port, "POST", "/api/jobs", body, &a), 202, "%s", a.body);
    json_t *v = body_json(&a);
    long id = (long)json_integer_value(json_object_get(v, "id"));
    cr_assert_gt(id, 0);
    json_decref(v);
    web_answer_free(&a);
    return id;
}

Test(web, monte_carlo_job_runs_to_the_end)
{
    long id = start_job("{\"kind\": \"mc\", \"model\": \"median\", \"samples\": 500, "
                        "\"events\": [\"federalisation >= 50\"]}");
    json_t *v = wait_job(id);
    cr_assert_str_eq(json_string_value(json_object_get(v, "state")), "done");
    json_t *result = json_object_get(v, "result");
    cr_assert_eq(json_integer_value(json_object_get(result, "done")), 500);
    json_t *issues = json_object_get(result, "issues");
    cr_assert_eq(json_array_size(issues), 6);
    json_t *hist = json_object_get(json_object_get(json_array_get(issues, 0), "histogram"),
                                   "counts");
    json_int_t total = 0;
    for (size_t b = 0; b < json_array_size(hist); b++)
        total += json_integer_value(json_array_get(hist, b));
    cr_assert_eq(total, json_integer_value(json_object_get(json_array_get(issues, 0), "count")));
    double p = json_number_value(json_object_get(
        json_array_get(json_object_get(result, "events"), 0), "probability"));
    cr_assert(p >= 0 && p <= 1);
    json_decref(v);
}

Test(web, sensitivity_job_gives_a_tornado_per_issue)
{
    long id = start_job("{\"kind\": \"sensitivity\", \"model\": \"median\"}");
    json_t *v = wait_job(id);
    cr_assert_str_eq(json_string_value(json_object_get(v, "state")), "done", "%s",
                     json_dumps(v, 0));
    json_t *issues = json_object_get(json_object_get(v, "result"), "issues");
    cr_assert_eq(json_array_size(issues), 6);
    json_t *bars = json_object_get(json_array_get(issues, 0), "inputs");
    cr_assert_gt(json_array_size(bars), 1);
    double previous = INFINITY;
    for (size_t k = 0; k < json_array_size(bars); k++) {
        double swing = json_number_value(json_object_get(json_array_get(bars, k), "swing"));
        cr_assert_leq(swing, previous, "the tornado is ordered by swing");
        previous = swing;
    }
    json_decref(v);
}

Test(web, long_job_is_cancelled_and_does_not_block_requests)
{
    long id = start_job("{\"kind\": \"mc\", \"model\": \"eu\", \"samples\": 10000000}");
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    web_answer a;
    cr_assert_eq(web_request_raw(port, "GET", "/api/models", NULL, NULL, 0, &a), 200);
    web_answer_free(&a);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
    cr_assert_lt(seconds, 1.0, "a request waited %.2f s behind a job", seconds);
    char path[64];
    snprintf(path, sizeof path, "/api/jobs/%ld", id);
    cr_assert_eq(web_request_raw(port, "DELETE", path, NULL, NULL, 0, &a), 202);
    web_answer_free(&a);
    json_t *v = wait_job(id);
    cr_assert_str_eq(json_string_value(json_object_get(v, "state")), "cancelled");
    cr_assert_lt(json_integer_value(json_object_get(v, "done")), 10000000);
    json_decref(v);
    get_expect("/api/jobs/99999", 404, "not_found");
    get_expect("/api/jobs/-1", 404, "not_found");
}

Test(web, job_requests_are_checked)
{
    web_answer a;
    web_request_json(port, "POST", "/api/jobs", "{\"kind\": \"x\", \"model\": \"eu\"}", &a);
    expect_error(&a, 400, "invalid");
    web_answer_free(&a);
    web_request_json(port, "POST", "/api/jobs",
                     "{\"kind\": \"mc\", \"model\": \"eu\", \"samples\": -3}", &a);
    expect_error(&a, 400, "invalid");
    web_answer_free(&a);
    web_request_json(port, "POST", "/api/jobs",
                     "{\"kind\": \"mc\", \"model\": \"eu\", \"events\": [\"nosuch > 3\"]}", &a);
    expect_error(&a, 400, "invalid");
    cr_assert(strstr(a.body, "events[0]"));
    web_answer_free(&a);
}

Test(web, stored_runs_list_read_diff_and_report)
{
    web_answer a;
    get_expect("/api/runs/1", 404, "not_found"); /* no store file yet */
    cr_assert_eq(web_request_raw(port, "GET", "/api/runs", NULL, NULL, 0, &a), 200);
    cr_assert(strstr(a.body, "[]"), "%s", a.body);
    web_answer_free(&a);
    cr_assert_eq(web_request_json(port, "POST", "/api/run",
                                  "{\"models\": [\"median\", \"compromise\"], \"store\": true}",
                                  &a), 200, "%s", a.body);
    json_t *v = body_json(&a);
    json_t *ids = json_object_get(v, "stored");
    cr_assert_eq(json_array_size(ids), 2);
    long first = (long)json_integer_value(json_array_get(ids, 0));
    long second = (long)json_integer_value(json_array_get(ids, 1));
    json_decref(v);
    web_answer_free(&a);

    cr_assert_eq(web_request_raw(port, "GET", "/api/runs", NULL, NULL, 0, &a), 200);
    v = body_json(&a);
    cr_assert_eq(json_array_size(json_object_get(v, "runs")), 2);
    json_decref(v);
    web_answer_free(&a);

    char path[96];
    snprintf(path, sizeof path, "/api/runs/%ld", first);
    cr_assert_eq(web_request_raw(port, "GET", path, NULL, NULL, 0, &a), 200);
    v = body_json(&a);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(v, "info"), "model")),
                     "median");
    cr_assert(json_is_object(json_object_get(v, "run")));
    json_decref(v);
    web_answer_free(&a);

    snprintf(path, sizeof path, "/api/runs/%ld/diff/%ld", first, second);
    cr_assert_eq(web_request_raw(port, "GET", path, NULL, NULL, 0, &a), 200, "%s", a.body);
    cr_assert(strstr(a.body, "\"model\""), "the diff names the model change: %s", a.body);
    cr_assert(strstr(a.body, "forecast of"));
    web_answer_free(&a);

    get_expect("/api/runs/999", 404, "not_found");
    get_expect("/api/runs/abc", 400, "invalid");
    snprintf(path, sizeof path, "/api/runs/%ld/report", first);
    cr_assert_eq(web_request_raw(port, "GET", path, NULL, NULL, 0, &a), 200, "%s", a.body);
    cr_assert(strstr(a.head, "text/html"));
    cr_assert(strstr(a.body, "<svg"), "the report has its charts inline");
    web_answer_free(&a);
}
