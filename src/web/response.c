/* response.c — building the answers: JSON bodies and the one error shape
 * {"error": {"code", "message", "field"}}. */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "parley/alloc.h"
#include "web/web_internal.h"

static const char json_content_type[] = "application/json; charset=utf-8";

void web_reply_json(web_response *res, unsigned status, char *text)
{
    web_response_free(res);
    if (!text) {
        web_reply_error(res, 500, "out_of_memory", NULL, "out of memory");
        return;
    }
    res->status = status;
    res->content_type = json_content_type;
    res->body = text;
    res->len = strlen(text);
    res->body_static = 0;
}

void web_reply_static(web_response *res, unsigned status, const char *content_type,
                      const char *body, size_t len)
{
    web_response_free(res);
    res->status = status;
    res->content_type = content_type;
    res->body = (char *)body;
    res->len = len;
    res->body_static = 1;
}

/* Used when even the error cannot be allocated. */
static const char enomem_body[] =
    "{\"error\": {\"code\": \"out_of_memory\", \"message\": \"out of memory\", "
    "\"field\": null}}";

void web_reply_error(web_response *res, unsigned status, const char *code,
                     const char *field, const char *fmt, ...)
{
    char message[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    json_t *root = json_pack("{s:{s:s, s:s, s:s?}}", "error", "code", code, "message",
                             message, "field", field);
    char *text = root ? json_dumps(root, JSON_PRESERVE_ORDER) : NULL;
    json_decref(root);
    char *copy = text ? parley_strdup(text) : NULL;
    free(text);
    web_response_free(res);
    if (!copy) {
        web_reply_static(res, 500, json_content_type, enomem_body, sizeof enomem_body - 1);
        return;
    }
    web_reply_json(res, status, copy);
}

void web_reply_parley_error(web_response *res, const parley_error *err)
{
    static const struct {
        int code;
        unsigned status;
        const char *word;
    } table[] = {
        {PARLEY_ENOMEM, 500, "out_of_memory"}, {PARLEY_EINVAL, 400, "invalid"},
        {PARLEY_EPARSE, 400, "parse"},         {PARLEY_ESCHEMA, 400, "schema"},
        {PARLEY_ERANGE, 400, "range"},         {PARLEY_EIO, 500, "io"},
        {PARLEY_EUNDEF, 422, "undefined"},     {PARLEY_ENOTFOUND, 404, "not_found"},
        {PARLEY_ECANCEL, 409, "cancelled"},
    };
    unsigned status = 500;
    const char *word = "internal";
    for (size_t k = 0; k < sizeof table / sizeof table[0]; k++)
        if (table[k].code == err->code) {
            status = table[k].status;
            word = table[k].word;
        }
    char where[64] = "";
    if (err->line > 0)
        snprintf(where, sizeof where, "line %d, column %d: ", err->line, err->column);
    web_reply_error(res, status, word, err->path[0] ? err->path : NULL, "%s%s", where,
                    err->message[0] ? err->message : parley_strerror(err->code));
}

void web_response_free(web_response *res)
{
    if (!res->body_static)
        parley_free(res->body);
    res->body = NULL;
    res->len = 0;
    res->body_static = 0;
}
