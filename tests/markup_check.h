/* markup_check.h — a small well-formedness checker for the SVG and HTML
 * the reports write (libxml2 is not a dependency): tags balance, names are
 * names, attributes are quoted, every & starts an entity, no raw < in
 * text.  Void elements (HTML's br, meta, ...) may stand unclosed when
 * html is nonzero.  Returns NULL if well formed, else a static message. */
#ifndef PARLEY_TEST_MARKUP_CHECK_H
#define PARLEY_TEST_MARKUP_CHECK_H

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static int markup_is_void(const char *name, size_t len)
{
    static const char *const voids[] = {"br", "meta", "hr", "img", "input", "link", NULL};
    for (size_t k = 0; voids[k]; k++)
        if (strlen(voids[k]) == len && strncmp(voids[k], name, len) == 0)
            return 1;
    return 0;
}

static int markup_entity_ok(const char *s)
{
    static const char *const named[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&#", NULL};
    for (size_t k = 0; named[k]; k++)
        if (strncmp(s, named[k], strlen(named[k])) == 0) {
            if (k < 4)
                return 1;
            const char *d = s + 2;
            while (isdigit((unsigned char)*d))
                d++;
            return d > s + 2 && *d == ';';
        }
    return 0;
}

static const char *markup_check(const char *text, int html)
{
    static char message[256];
    const char *stack[512];
    size_t lens[512], depth = 0;
    const char *s = text;
    if (html && strncmp(s, "<!DOCTYPE html>", 15) == 0)
        s += 15;
    while (*s) {
        if (*s == '&') {
            if (!markup_entity_ok(s)) {
                snprintf(message, sizeof message, "bare & at %.20s", s);
                return message;
            }
            s++;
            continue;
        }
        if (*s == '>')
            return "bare > outside a tag";
        if (*s != '<') {
            s++;
            continue;
        }
        int closing = s[1] == '/';
        const char *name = s + 1 + closing;
        size_t len = 0;
        while (isalnum((unsigned char)name[len]) || name[len] == '-' || name[len] == ':')
            len++;
        if (len == 0 || !isalpha((unsigned char)name[0])) {
            snprintf(message, sizeof message, "not a tag: %.20s", s);
            return message;
        }
        const char *p = name + len;
        /* Attributes: name="value" with no < or raw " inside. */
        while (*p && *p != '>' && !(*p == '/' && p[1] == '>')) {
            if (isspace((unsigned char)*p)) {
                p++;
                continue;
            }
            while (isalnum((unsigned char)*p) || *p == '-' || *p == ':')
                p++;
            if (*p != '=' || p[1] != '"') {
                snprintf(message, sizeof message, "bad attribute near %.30s", p);
                return message;
            }
            p += 2;
            while (*p && *p != '"') {
                if (*p == '<')
                    return "< inside an attribute";
                if (*p == '&' && !markup_entity_ok(p))
                    return "bare & inside an attribute";
                p++;
            }
            if (!*p)
                return "unterminated attribute";
            p++;
        }
        if (!*p)
            return "unterminated tag";
        int self_closing = *p == '/';
        s = p + (self_closing ? 2 : 1);
        if (closing) {
            if (depth == 0 || lens[depth - 1] != len || strncmp(stack[depth - 1], name, len)) {
                snprintf(message, sizeof message, "</%.*s> closes %.*s", (int)len, name,
                         depth ? (int)lens[depth - 1] : 4, depth ? stack[depth - 1] : "none");
                return message;
            }
            depth--;
        } else if (!self_closing && !(html && markup_is_void(name, len))) {
            if (depth == 512)
                return "too deep";
            stack[depth] = name;
            lens[depth++] = len;
        }
    }
    return depth ? "unclosed element" : NULL;
}

#endif
