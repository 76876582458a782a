/* registry.c — the one list of models.  Adding a model is one line here and
 * one file in src/models/; nothing else in parley names a model. */
#include "parley/model.h"

extern const parley_model parley_model_compromise;
extern const parley_model parley_model_median;
extern const parley_model parley_model_nash;

static const parley_model *const registry[] = {
    &parley_model_compromise,
    &parley_model_median,
    &parley_model_nash,
    NULL,
};

const parley_model *const *parley_models(void)
{
    return registry;
}
