/* event.c — event expressions for Monte Carlo (parley/montecarlo.h).
 *
 * Grammar (and binds tighter than or):
 *     expr   := term  { ("or" | "||") term }
 *     term   := factor { ("and" | "&&") factor }
 *     factor := "(" expr ")" | ISSUE OP NUMBER
 * A recursive-descent parser emits the expression in postfix order, so that
 * evaluating it per sample is a loop over a flat array with a small stack
 * and no allocation. */
#include "parley/montecarlo.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley/alloc.h"

#define MAX_DEPTH 64   /* of the evaluation stack: plenty for a person's event */

typedef enum { OP_LT, OP_LE, OP_GT, OP_GE, OP_EQ, OP_NE } compare_op;
typedef enum { NODE_COMPARE, NODE_AND, NODE_OR } node_kind;

typedef struct node {
    node_kind kind;
    compare_op op;
    size_t issue;
    double number;
} node;

struct parley_mc_event {
    char *text;
    size_t n_nodes;
    node *nodes;    /* postfix */
};

typedef struct parser {
    const char *text;
    size_t pos;
    const parley_scenario *sc;
    node *nodes;
    size_t n_nodes, cap_nodes;
    int depth, max_depth;   /* evaluation stack use */
    parley_error *err;
} parser;

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static int fail(parser *p, size_t at, int code, const char *fmt, ...)
{
    char message[400];
    va_list args;
    va_start(args, fmt);
    vsnprintf(message, sizeof message, fmt, args);
    va_end(args);
    parley_error_at(p->err, NULL, 0, (int)at + 1, NULL);
    return parley_error_set(p->err, code, "event \"%s\", column %zu: %s", p->text, at + 1,
                            message);
}

static void skip_space(parser *p)
{
    while (isspace((unsigned char)p->text[p->pos]))
        p->pos++;
}

static int emit(parser *p, node n)
{
    if (p->n_nodes == p->cap_nodes) {
        size_t cap = p->cap_nodes ? 2 * p->cap_nodes : 8;
        node *grown = parley_reallocarray(p->nodes, cap, sizeof *grown);
        if (!grown)
            return parley_error_set(p->err, PARLEY_ENOMEM, "out of memory");
        p->nodes = grown;
        p->cap_nodes = cap;
    }
    p->nodes[p->n_nodes++] = n;
    p->depth += n.kind == NODE_COMPARE ? 1 : -1;
    if (p->depth > p->max_depth)
        p->max_depth = p->depth;
    return PARLEY_OK;
}

/* A keyword (and/or) must end at a word boundary. */
static int at_keyword(const parser *p, const char *word, const char *symbol)
{
    const char *s = p->text + p->pos;
    size_t n = strlen(word);
    if (strncmp(s, symbol, strlen(symbol)) == 0)
        return (int)strlen(symbol);
    if (strncmp(s, word, n) == 0 && !isalnum((unsigned char)s[n]) && s[n] != '_')
        return (int)n;
    return 0;
}

static int is_word_char(char c)
{
    return c && !isspace((unsigned char)c) && !strchr("<>=!()&|'\"", c);
}

static int parse_expr(parser *p);

static int parse_issue(parser *p, size_t *issue)
{
    size_t start = p->pos;
    char word[256];
    size_t len = 0;
    char quote = p->text[p->pos];
    if (quote == '\'' || quote == '"') {
        const char *close = strchr(p->text + p->pos + 1, quote);
        if (!close)
            return fail(p, start, PARLEY_EPARSE, "unterminated quoted issue name");
        len = (size_t)(close - (p->text + p->pos + 1));
        if (len >= sizeof word)
            return fail(p, start, PARLEY_EPARSE, "issue name too long");
        memcpy(word, p->text + p->pos + 1, len);
        p->pos += len + 2;
    } else {
        while (is_word_char(p->text[p->pos + len]))
            len++;
        if (len == 0) {
            if (!p->text[p->pos])
                return fail(p, start, PARLEY_EPARSE,
                            "expected an issue at the end of the expression");
            return fail(p, start, PARLEY_EPARSE, "expected an issue, found \"%.1s\"",
                        p->text + p->pos);
        }
        if (len >= sizeof word)
            return fail(p, start, PARLEY_EPARSE, "issue name too long");
        memcpy(word, p->text + p->pos, len);
        p->pos += len;
    }
    word[len] = '\0';
    long found = parley_scenario_find_issue(p->sc, word);
    for (size_t i = 0; found < 0 && i < p->sc->n_issues; i++)
        if (p->sc->issues[i].name && strcmp(p->sc->issues[i].name, word) == 0)
            found = (long)i;
    if (found < 0) {
        if (strcmp(word, "and") == 0 || strcmp(word, "or") == 0)
            return fail(p, start, PARLEY_EPARSE,
                        "expected an issue before \"%s\" (dangling and/or)", word);
        return fail(p, start, PARLEY_EPARSE, "unknown issue \"%s\" (give an issue id or name)",
                    word);
    }
    *issue = (size_t)found;
    return PARLEY_OK;
}

static int parse_compare(parser *p)
{
    static const struct {
        const char *text;
        compare_op op;
    } ops[] = {{"<=", OP_LE}, {">=", OP_GE}, {"==", OP_EQ}, {"!=", OP_NE},
               {"<", OP_LT},  {">", OP_GT},  {"=", OP_EQ}};
    node n = {NODE_COMPARE, OP_LT, 0, 0};
    int rc = parse_issue(p, &n.issue);
    if (rc)
        return rc;
    const char *issue_id = p->sc->issues[n.issue].id;
    skip_space(p);
    size_t at = p->pos;
    size_t k = 0;
    for (; k < sizeof ops / sizeof ops[0]; k++)
        if (strncmp(p->text + p->pos, ops[k].text, strlen(ops[k].text)) == 0)
            break;
    if (k == sizeof ops / sizeof ops[0])
        return fail(p, at, PARLEY_EPARSE,
                    "expected a comparison (<, <=, >, >=, ==, !=) after issue \"%s\"",
                    issue_id);
    n.op = ops[k].op;
    p->pos += strlen(ops[k].text);
    skip_space(p);
    at = p->pos;
    char *end = NULL;
    errno = 0;
    n.number = strtod(p->text + p->pos, &end);
    size_t used = (size_t)(end - (p->text + p->pos));
    if (used == 0 || errno || !isfinite(n.number) || is_word_char(p->text[p->pos + used])) {
        size_t len = 0;
        while (is_word_char(p->text[at + len]))
            len++;
        char word[64];
        snprintf(word, sizeof word, "%.*s", (int)(len < 60 ? len : 60), p->text + at);
        if (len == 0)
            return fail(p, at, PARLEY_EPARSE, "expected a number after the comparison");
        return fail(p, at, PARLEY_EPARSE, "bad number \"%s\"", word);
    }
    p->pos += used;
    return emit(p, n);
}

static int parse_factor(parser *p)
{
    skip_space(p);
    if (p->text[p->pos] == '(') {
        size_t open = p->pos++;
        int rc = parse_expr(p);
        if (rc)
            return rc;
        skip_space(p);
        if (p->text[p->pos] != ')')
            return fail(p, open, PARLEY_EPARSE, "this parenthesis is never closed");
        p->pos++;
        return PARLEY_OK;
    }
    return parse_compare(p);
}

static int parse_joined(parser *p, int (*operand)(parser *), const char *word,
                        const char *symbol, node_kind kind)
{
    int rc = operand(p);
    while (!rc) {
        skip_space(p);
        int len = at_keyword(p, word, symbol);
        if (!len)
            break;
        size_t at = p->pos;
        p->pos += (size_t)len;
        skip_space(p);
        if (!p->text[p->pos] || p->text[p->pos] == ')')
            return fail(p, at, PARLEY_EPARSE, "dangling \"%s\": nothing follows it", word);
        rc = operand(p);
        if (!rc)
            rc = emit(p, (node){kind, OP_LT, 0, 0});
    }
    return rc;
}

static int parse_term(parser *p)
{
    return parse_joined(p, parse_factor, "and", "&&", NODE_AND);
}

static int parse_expr(parser *p)
{
    return parse_joined(p, parse_term, "or", "||", NODE_OR);
}

int parley_mc_event_parse(const char *text, const parley_scenario *sc,
                          parley_mc_event **out, parley_error *err)
{
    *out = NULL;
    parser p = {.text = text, .sc = sc, .err = err};
    int rc = parse_expr(&p);
    if (!rc) {
        skip_space(&p);
        if (p.text[p.pos] == ')')
            rc = fail(&p, p.pos, PARLEY_EPARSE, "unbalanced \")\"");
        else if (p.text[p.pos])
            rc = fail(&p, p.pos, PARLEY_EPARSE,
                      "expected \"and\", \"or\" or the end, found \"%.12s\"", p.text + p.pos);
        else if (p.max_depth > MAX_DEPTH)
            rc = fail(&p, 0, PARLEY_EPARSE, "too deeply nested");
    }
    if (rc) {
        parley_free(p.nodes);
        return rc;
    }
    parley_mc_event *ev = parley_calloc(1, sizeof *ev);
    char *copy = parley_strdup(text);
    if (!ev || !copy) {
        parley_free(ev);
        parley_free(copy);
        parley_free(p.nodes);
        return parley_error_set(err, PARLEY_ENOMEM, "out of memory");
    }
    ev->text = copy;
    ev->nodes = p.nodes;
    ev->n_nodes = p.n_nodes;
    *out = ev;
    return PARLEY_OK;
}

void parley_mc_event_free(parley_mc_event *ev)
{
    if (!ev)
        return;
    parley_free(ev->text);
    parley_free(ev->nodes);
    parley_free(ev);
}

const char *parley_mc_event_text(const parley_mc_event *ev)
{
    return ev->text;
}

static int compare(compare_op op, double x, double number)
{
    if (isnan(x))
        return 0;
    switch (op) {
    case OP_LT: return x < number;
    case OP_LE: return x <= number;
    case OP_GT: return x > number;
    case OP_GE: return x >= number;
    case OP_EQ: return x == number;
    case OP_NE: return x != number;
    }
    return 0;
}

int parley_mc_event_eval(const parley_mc_event *ev, const double *forecast)
{
    unsigned char stack[MAX_DEPTH];
    size_t top = 0;
    for (size_t k = 0; k < ev->n_nodes; k++) {
        const node *n = &ev->nodes[k];
        switch (n->kind) {
        case NODE_COMPARE:
            stack[top++] = (unsigned char)compare(n->op, forecast[n->issue], n->number);
            break;
        case NODE_AND:
            top--;
            stack[top - 1] = stack[top - 1] && stack[top];
            break;
        case NODE_OR:
            top--;
            stack[top - 1] = stack[top - 1] || stack[top];
            break;
        }
    }
    return top ? stack[0] : 0;
}
