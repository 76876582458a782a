/* ledger_csv.c — the ledger as one CSV file: import in one transaction (a
 * bad row imports nothing and is named by its line), export that reads back
 * (parley/ledger.h; the columns are described in docs/scoring.md). */
#include "ledger_internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley/alloc.h"
#include "report/report_internal.h"

#define X_COLUMNS(X)                                                                     \
    X(COL_RECORD, "record") X(COL_QUESTION, "question") X(COL_KIND, "kind")              \
    X(COL_LOW, "low") X(COL_HIGH, "high") X(COL_CLOSE, "close") X(COL_BY, "by")          \
    X(COL_DATE, "date") X(COL_PROBABILITY, "probability")                               \
    X(COL_DISTRIBUTION, "distribution") X(COL_OUTCOME, "outcome") X(COL_TEXT, "text")    \
    X(COL_CRITERIA, "criteria") X(COL_SOURCE, "source") X(COL_MODEL, "model")            \
    X(COL_SCENARIO, "scenario_sha256") X(COL_RUN, "run")

enum column {
#define X_ENUM(name, text) name,
    X_COLUMNS(X_ENUM)
#undef X_ENUM
    N_COLUMNS
};

static const char *const column_names[N_COLUMNS] = {
#define X_NAME(name, text) text,
    X_COLUMNS(X_NAME)
#undef X_NAME
};

/* ---- reading records ------------------------------------------------------ */

/* A CSV reader over text (RFC 4180: quoted fields may hold commas, doubled
 * quotes and line breaks).  Field text is unquoted into scratch. */
typedef struct csv_reader {
    const char *at, *end;
    int line;              /* the line the reader is on */
    char *scratch;         /* as long as the input, reused per record */
    size_t used;
    const char *fields[N_COLUMNS + 8];
    size_t n_fields;
} csv_reader;

/* Reads the next record.  1: a record (starting on *line), 0: the end, -1:
 * a malformed one (err says why). */
static int read_record(csv_reader *r, int *line, parley_error *err)
{
    while (r->at < r->end && (*r->at == '\n' || *r->at == '\r')) {
        r->line += *r->at == '\n';
        r->at++;
    }
    if (r->at >= r->end)
        return 0;
    *line = r->line;
    r->used = 0;
    r->n_fields = 0;
    for (;;) {
        if (r->n_fields == sizeof r->fields / sizeof r->fields[0]) {
            parley_error_set(err, PARLEY_EPARSE, "more than %zu fields", r->n_fields);
            return -1;
        }
        char *field = r->scratch + r->used;
        r->fields[r->n_fields++] = field;
        if (r->at < r->end && *r->at == '"') {
            r->at++;
            for (;;) {
                if (r->at >= r->end) {
                    parley_error_set(err, PARLEY_EPARSE,
                                     "a quoted field opened on line %d is never closed", *line);
                    return -1;
                }
                if (*r->at == '"') {
                    if (r->at + 1 < r->end && r->at[1] == '"') {
                        r->scratch[r->used++] = '"';
                        r->at += 2;
                        continue;
                    }
                    r->at++;
                    break;
                }
                r->line += *r->at == '\n';
                r->scratch[r->used++] = *r->at++;
            }
            if (r->at < r->end && *r->at != ',' && *r->at != '\n' && *r->at != '\r') {
                parley_error_set(err, PARLEY_EPARSE,
                                 "text after a closing quote (a quote inside a field is "
                                 "written \"\")");
                return -1;
            }
        } else {
            while (r->at < r->end && *r->at != ',' && *r->at != '\n' && *r->at != '\r') {
                if (*r->at == '"') {
                    parley_error_set(err, PARLEY_EPARSE,
                                     "a quote inside an unquoted field (quote the field and "
                                     "write \"\")");
                    return -1;
                }
                r->scratch[r->used++] = *r->at++;
            }
        }
        r->scratch[r->used++] = '\0';
        if (r->at < r->end && *r->at == ',') {
            r->at++;
            continue;
        }
        if (r->at < r->end && *r->at == '\r')
            r->at++;
        if (r->at < r->end && *r->at == '\n') {
            r->at++;
            r->line++;
        }
        return 1;
    }
}

/* ---- one row -------------------------------------------------------------- */

typedef struct import_state {
    parley_store *store;
    int index[N_COLUMNS];   /* field of each column in a record, -1: absent */
    const char *const *fields;
    size_t n_fields;
    parley_ledger_counts counts;
} import_state;

static const char *field(const import_state *s, enum column c)
{
    int k = s->index[c];
    return k >= 0 && (size_t)k < s->n_fields ? s->fields[k] : "";
}

static int copy(char *dst, size_t n, const import_state *s, enum column c, parley_error *err)
{
    const char *text = field(s, c);
    if (strlen(text) >= n) {
        parley_error_at(err, NULL, 0, 0, column_names[c]);
        return parley_error_set(err, PARLEY_EINVAL, "longer than %zu characters", n - 1);
    }
    memcpy(dst, text, strlen(text) + 1);
    return PARLEY_OK;
}

static int number(const import_state *s, enum column c, double *out, parley_error *err)
{
    const char *text = field(s, c);
    char *end = NULL;
    errno = 0;
    *out = strtod(text, &end);
    if (!*text || errno || *end || !isfinite(*out)) {
        parley_error_at(err, NULL, 0, 0, column_names[c]);
        return parley_error_set(err, PARLEY_EPARSE, "\"%s\" is not a number", text);
    }
    return PARLEY_OK;
}

/* The id of the question a row names. */
static int question_of(const import_state *s, int64_t *id, parley_error *err)
{
    parley_question q;
    int rc = parley_ledger_question(s->store, field(s, COL_QUESTION), &q, err);
    if (rc == PARLEY_ENOTFOUND)
        rc = PARLEY_EINVAL; /* a bad row, not a missing file */
    if (rc != PARLEY_OK && err)
        err->code = rc;
    *id = rc == PARLEY_OK ? q.id : 0;
    return rc;
}

static int import_question(import_state *s, parley_error *err)
{
    parley_question q;
    parley_question_init(&q);
    int rc = copy(q.slug, sizeof q.slug, s, COL_QUESTION, err);
    if (rc == PARLEY_OK && !q.slug[0]) {
        parley_error_at(err, NULL, 0, 0, "question");
        rc = parley_error_set(err, PARLEY_EINVAL,
                              "a question row needs an id in column question, so that "
                              "other rows can name it");
    }
    int kind = parley_question_kind_parse(field(s, COL_KIND));
    if (rc == PARLEY_OK && kind < 0) {
        parley_error_at(err, NULL, 0, 0, "kind");
        rc = parley_error_set(err, PARLEY_EINVAL, "\"%s\": expected binary or numeric",
                              field(s, COL_KIND));
    }
    if (rc == PARLEY_OK)
        q.kind = (parley_question_kind)kind;
    if (rc == PARLEY_OK && q.kind == PARLEY_QUESTION_NUMERIC)
        rc = number(s, COL_LOW, &q.low, err);
    if (rc == PARLEY_OK && q.kind == PARLEY_QUESTION_NUMERIC)
        rc = number(s, COL_HIGH, &q.high, err);
    if (rc == PARLEY_OK)
        rc = copy(q.close, sizeof q.close, s, COL_CLOSE, err);
    if (rc == PARLEY_OK)
        rc = copy(q.text, sizeof q.text, s, COL_TEXT, err);
    if (rc == PARLEY_OK)
        rc = copy(q.criteria, sizeof q.criteria, s, COL_CRITERIA, err);
    if (rc == PARLEY_OK)
        rc = lg_ask(s->store, &q, NULL, err);
    s->counts.questions += rc == PARLEY_OK;
    return rc;
}

/* 1 if the store holds run id of the scenario sha256 (when given). */
static int run_matches(parley_store *store, int64_t id, const char *sha256)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(store->db,
                           "SELECT 1 FROM run JOIN scenario ON scenario.id = run.scenario "
                           "WHERE run.id = ?1 AND (?2 = '' OR scenario.sha256 = ?2)",
                           -1, &stmt, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_int64(stmt, 1, id);
    st_bind_text(stmt, 2, sha256);
    int found = sqlite3_step(stmt) == SQLITE_ROW;
    sqlite3_finalize(stmt);
    return found;
}

static int import_forecast(import_state *s, parley_error *err)
{
    parley_ledger_forecast f;
    parley_ledger_forecast_init(&f);
    int rc = question_of(s, &f.question, err);
    if (rc == PARLEY_OK)
        rc = copy(f.by, sizeof f.by, s, COL_BY, err);
    if (rc == PARLEY_OK)
        rc = copy(f.date, sizeof f.date, s, COL_DATE, err);
    if (rc == PARLEY_OK && *field(s, COL_PROBABILITY))
        rc = number(s, COL_PROBABILITY, &f.probability, err);
    if (rc == PARLEY_OK)
        rc = copy(f.distribution, sizeof f.distribution, s, COL_DISTRIBUTION, err);
    if (rc == PARLEY_OK)
        rc = copy(f.rationale, sizeof f.rationale, s, COL_TEXT, err);
    if (rc == PARLEY_OK)
        rc = copy(f.model, sizeof f.model, s, COL_MODEL, err);
    if (rc == PARLEY_OK)
        rc = copy(f.scenario_sha256, sizeof f.scenario_sha256, s, COL_SCENARIO, err);
    double run = 0;
    if (rc == PARLEY_OK && *field(s, COL_RUN))
        rc = number(s, COL_RUN, &run, err);
    /* A run id means something only in the store that holds that run: keep
     * it when this store has it (for the same scenario), else the forecast
     * keeps its model and scenario hash without a run. */
    if (rc == PARLEY_OK && run >= 1 && run_matches(s->store, (int64_t)run, f.scenario_sha256))
        f.run = (int64_t)run;
    if (rc == PARLEY_OK)
        rc = lg_add(s->store, &f, NULL, err);
    s->counts.forecasts += rc == PARLEY_OK;
    return rc;
}

static int import_resolution(import_state *s, parley_error *err)
{
    int64_t question = 0;
    int rc = question_of(s, &question, err);
    if (rc != PARLEY_OK)
        return rc;
    const char *text = field(s, COL_OUTCOME);
    double outcome = 0;
    if (strcmp(text, "yes") == 0)
        outcome = 1;
    else if (strcmp(text, "no") == 0)
        outcome = 0;
    else
        rc = number(s, COL_OUTCOME, &outcome, err);
    if (rc == PARLEY_OK)
        rc = lg_resolve(s->store, question, outcome, field(s, COL_DATE), field(s, COL_SOURCE),
                        err);
    s->counts.resolutions += rc == PARLEY_OK;
    return rc;
}

static int import_row(import_state *s, parley_error *err)
{
    const char *record = field(s, COL_RECORD);
    if (strcmp(record, "question") == 0)
        return import_question(s, err);
    if (strcmp(record, "forecast") == 0)
        return import_forecast(s, err);
    if (strcmp(record, "resolution") == 0)
        return import_resolution(s, err);
    parley_error_at(err, NULL, 0, 0, "record");
    return parley_error_set(err, PARLEY_EPARSE,
                            "\"%s\": expected question, forecast or resolution", record);
}

static int read_header(import_state *s, const csv_reader *r, parley_error *err)
{
    for (size_t c = 0; c < N_COLUMNS; c++)
        s->index[c] = -1;
    for (size_t k = 0; k < r->n_fields; k++) {
        size_t c = 0;
        while (c < N_COLUMNS && strcmp(column_names[c], r->fields[k]) != 0)
            c++;
        if (c == N_COLUMNS)
            return parley_error_set(err, PARLEY_EPARSE,
                                    "unknown column \"%s\" (the header is %s)", r->fields[k],
                                    PARLEY_LEDGER_CSV_HEADER);
        s->index[c] = (int)k;
    }
    if (s->index[COL_RECORD] < 0 || s->index[COL_QUESTION] < 0)
        return parley_error_set(err, PARLEY_EPARSE,
                                "the header needs columns record and question (the header "
                                "is %s)",
                                PARLEY_LEDGER_CSV_HEADER);
    return PARLEY_OK;
}

int parley_ledger_import_csv(parley_store *store, const char *text, size_t len,
                             const char *name, parley_ledger_counts *counts,
                             parley_error *err)
{
    if (counts)
        *counts = (parley_ledger_counts){0, 0, 0};
    import_state state = {.store = store};
    csv_reader reader = {.at = text, .end = text + len, .line = 1};
    reader.scratch = parley_malloc(len + 1);
    if (!reader.scratch)
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    int line = 1, got = read_record(&reader, &line, err);
    int rc = got < 0 ? PARLEY_EPARSE : PARLEY_OK;
    if (got == 0)
        rc = parley_error_set(err, PARLEY_EPARSE, "empty file (the header is %s)",
                              PARLEY_LEDGER_CSV_HEADER);
    if (rc == PARLEY_OK)
        rc = read_header(&state, &reader, err);
    if (rc == PARLEY_OK)
        rc = st_begin(store, err);
    int in_transaction = rc == PARLEY_OK;
    while (rc == PARLEY_OK && (got = read_record(&reader, &line, err)) > 0) {
        state.fields = reader.fields;
        state.n_fields = reader.n_fields;
        rc = import_row(&state, err);
    }
    if (rc == PARLEY_OK && got < 0)
        rc = PARLEY_EPARSE;
    if (rc != PARLEY_OK) {
        if (in_transaction)
            st_rollback(store);
        /* The file and line of the row at fault, whatever the check was. */
        if (err) {
            snprintf(err->file, sizeof err->file, "%s", name ? name : "");
            err->line = line;
            err->column = 0;
            err->code = rc;
        }
    } else {
        rc = st_commit(store, err);
    }
    parley_free(reader.scratch);
    if (rc == PARLEY_OK && counts)
        *counts = state.counts;
    return rc;
}

/* ---- export --------------------------------------------------------------- */

static void put_field(parley_buf *b, const char *text)
{
    parley_buf_puts(b, ",");
    if (!strpbrk(text, ",\"\n\r")) {
        parley_buf_puts(b, text);
        return;
    }
    parley_buf_puts(b, "\"");
    for (const char *c = text; *c; c++)
        parley_buf_printf(b, *c == '"' ? "\"\"" : "%c", *c);
    parley_buf_puts(b, "\"");
}

/* The shortest of %.15g and %.17g that reads back exactly. */
static const char *number_text(double x, char *buf, size_t n)
{
    if (isnan(x))
        return "";
    snprintf(buf, n, "%.15g", x);
    if (strtod(buf, NULL) != x)
        snprintf(buf, n, "%.17g", x);
    return buf;
}

static const char *slug_of(const parley_question *q, char *buf, size_t n)
{
    if (q->slug[0])
        return q->slug;
    snprintf(buf, n, "q%lld", (long long)q->id);
    return buf;
}

/* One row: the values of the columns in order (NULL: empty). */
static void put_row(parley_buf *b, const char *const values[N_COLUMNS])
{
    parley_buf_puts(b, values[0]);
    for (size_t c = 1; c < N_COLUMNS; c++)
        put_field(b, values[c] ? values[c] : "");
    parley_buf_puts(b, "\n");
}

static void export_question(parley_buf *b, const parley_question *q,
                            const parley_ledger_forecast *forecasts, size_t n)
{
    char slug[32], low[32], high[32], number[32], run[32];
    const char *values[N_COLUMNS] = {0};
    values[COL_RECORD] = "question";
    values[COL_QUESTION] = slug_of(q, slug, sizeof slug);
    values[COL_KIND] = parley_question_kind_name(q->kind);
    if (q->kind == PARLEY_QUESTION_NUMERIC) {
        values[COL_LOW] = number_text(q->low, low, sizeof low);
        values[COL_HIGH] = number_text(q->high, high, sizeof high);
    }
    values[COL_CLOSE] = q->close;
    values[COL_TEXT] = q->text;
    values[COL_CRITERIA] = q->criteria;
    put_row(b, values);
    for (size_t k = 0; k < n; k++) {
        const parley_ledger_forecast *f = &forecasts[k];
        const char *row[N_COLUMNS] = {0};
        row[COL_RECORD] = "forecast";
        row[COL_QUESTION] = values[COL_QUESTION];
        row[COL_BY] = f->by;
        row[COL_DATE] = f->date;
        row[COL_PROBABILITY] = number_text(f->probability, number, sizeof number);
        row[COL_DISTRIBUTION] = f->distribution;
        row[COL_TEXT] = f->rationale;
        row[COL_MODEL] = f->model;
        row[COL_SCENARIO] = f->scenario_sha256;
        if (f->run > 0) {
            snprintf(run, sizeof run, "%lld", (long long)f->run);
            row[COL_RUN] = run;
        }
        put_row(b, row);
    }
    if (q->resolved) {
        const char *row[N_COLUMNS] = {0};
        row[COL_RECORD] = "resolution";
        row[COL_QUESTION] = values[COL_QUESTION];
        row[COL_DATE] = q->resolved_on;
        row[COL_OUTCOME] = q->kind == PARLEY_QUESTION_BINARY
                               ? (q->outcome == 1 ? "yes" : "no")
                               : number_text(q->outcome, number, sizeof number);
        row[COL_SOURCE] = q->source;
        put_row(b, row);
    }
}

int parley_ledger_export_csv(parley_store *store, char **out, parley_error *err)
{
    *out = NULL;
    parley_question *questions = NULL;
    parley_ledger_forecast *forecasts = NULL;
    size_t n_questions = 0, n_forecasts = 0;
    int rc = parley_ledger_questions(store, &questions, &n_questions, err);
    if (rc == PARLEY_OK)
        rc = parley_ledger_forecasts(store, 0, NULL, &forecasts, &n_forecasts, err);
    if (rc == PARLEY_OK) {
        parley_buf b = {0};
        parley_buf_puts(&b, PARLEY_LEDGER_CSV_HEADER "\n");
        /* Forecasts come ordered by question, as the questions do. */
        size_t first = 0;
        for (size_t k = 0; k < n_questions; k++) {
            size_t last = first;
            while (last < n_forecasts && forecasts[last].question == questions[k].id)
                last++;
            export_question(&b, &questions[k], forecasts + first, last - first);
            first = last;
        }
        rc = parley_buf_finish(&b, out, err);
    }
    parley_free(questions);
    parley_free(forecasts);
    return rc;
}
