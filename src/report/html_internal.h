/* html_internal.h — what the HTML report's files share (private to
 * src/report). */
#ifndef PARLEY_HTML_INTERNAL_H
#define PARLEY_HTML_INTERNAL_H

#include "chart_internal.h"
#include "parley/html.h"

/* Escaped text; NULL writes nothing. */
void html_esc(parley_buf *b, const char *text);
/* A number with its spread: "100 ± 15", "40 (30 to 55)". */
void html_value(parley_buf *b, const parley_value *v, int decimals);
/* The scenario: actors, issues with their scales, rules and positions, with
 * every note. */
void html_scenario(parley_buf *b, const parley_scenario *sc);

#endif
