/* ledger_internal.h — what the ledger's files share (private to src/store):
 * the writes without their transaction, so that an import can make many of
 * them in one. */
#ifndef PARLEY_LEDGER_INTERNAL_H
#define PARLEY_LEDGER_INTERNAL_H

#include "parley/ledger.h"
#include "store_internal.h"

/* parley_ledger_ask, _add and _resolve inside the caller's transaction. */
int lg_ask(parley_store *store, const parley_question *q, int64_t *id, parley_error *err);
int lg_add(parley_store *store, const parley_ledger_forecast *f, int64_t *id,
           parley_error *err);
int lg_resolve(parley_store *store, int64_t question, double outcome, const char *date,
               const char *source, parley_error *err);

/* Reads row `stmt` of lg_forecast_columns into *f. */
void lg_read_forecast(sqlite3_stmt *stmt, parley_ledger_forecast *f);

#endif
