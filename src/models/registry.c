/* registry.c — the one list of models.  Adding a model is one line here and
 * one file in src/models/; nothing else in parley names a model. */
#include "parley/model.h"

extern const parley_model parley_model_compromise;
extern const parley_model parley_model_median;
extern const parley_model parley_model_nash;
extern const parley_model parley_model_eu;
extern const parley_model parley_model_smp;
extern const parley_model parley_model_exchange;
extern const parley_model parley_model_procedural;

static const parley_model *const registry[] = {
    &parley_model_compromise,
    &parley_model_median,
    &parley_model_nash,
    &parley_model_eu,
    &parley_model_smp,
    &parley_model_exchange,
    &parley_model_procedural,
    NULL,
};

const parley_model *const *parley_models(void)
{
    return registry;
}
