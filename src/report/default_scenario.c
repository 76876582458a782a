/* default_scenario.c — the scenario compiled into libparley
 * (scenarios/ukraine-2014.json through cmake/embed.cmake). */
#include "parley/report.h"

extern const char parley_default_scenario[];
extern const size_t parley_default_scenario_size;

const char *parley_default_scenario_json(size_t *len)
{
    if (len)
        *len = parley_default_scenario_size;
    return parley_default_scenario;
}
