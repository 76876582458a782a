/* parley/institutions.h — voting institutions carried in a scenario's
 * metadata, and the EU's as the DEU III data need them.
 *
 * A decision rule (parley_rule) says majority, qualified or unanimity; who
 * votes with what weight is data.  It travels in the scenario's metadata so
 * that every format keeps it:
 *   "vote_weight:<actor id>"  a voter's weight in the vote (e.g. the Council
 *                             votes of a member state).  When any actor has
 *                             one, only those actors vote; otherwise every
 *                             actor votes with its capability.
 *   "population:<actor id>"   a voter's population, for a double majority.
 *   "qualified_majority"      "weighted" (default: the rule's threshold of
 *                             the vote weight) or "double-majority" (55 % of
 *                             the voters and 65 % of their population, a
 *                             blocking minority of at least 4: Art. 16(4)
 *                             TEU, Art. 238(3) TFEU).
 * The procedural model reads them (src/models/procedural.c).
 *
 * Thread-safety: the functions modify only the scenario given. */
#ifndef PARLEY_INSTITUTIONS_H
#define PARLEY_INSTITUTIONS_H

#include "parley/error.h"
#include "parley/scenario.h"

#define PARLEY_META_VOTE_WEIGHT "vote_weight:"
#define PARLEY_META_POPULATION "population:"
#define PARLEY_META_QUALIFIED "qualified_majority"
#define PARLEY_QUALIFIED_DOUBLE "double-majority"

/* Applies the EU's institutional facts to a scenario read from the DEU III
 * data (parley/format.h, PARLEY_FORMAT_DEU), from its metadata "proposal"
 * (the year of the Commission proposal is in its number), "procedure" (COD,
 * CNS) and "council_rule" (QMV, Unan):
 *   - the Council's weighting of the period: Amsterdam votes (EU-15, 62 of
 *     87) for proposals of 1996-2002, Nice votes (EU-25 232 of 321; EU-27
 *     255 of 345 when Bulgaria or Romania have a stake) for 2003-2012, the
 *     double majority over EU-28 with 2016 populations for 2013 on;
 *   - capabilities: a member state's Council votes (EU-28 Nice votes in the
 *     double-majority period); the Commission and, under COD, the European
 *     Parliament the Council's blocking minority (total - quota + 1 votes);
 *     the EP under CNS the smallest member state's votes; states that were
 *     not members 1e-6 (no vote);
 *   - the rule: QMV qualified with threshold quota/total, Unan unanimity;
 *     under COD the EP is a veto player.
 * docs/deu-institutions.md gives the sources of every figure.  Writes
 * metadata "institutions" (a one-line description of what was applied).
 * PARLEY_EINVAL (metadata missing or not DEU, err says which), PARLEY_ENOMEM. */
int parley_deu_apply_institutions(parley_scenario *sc, parley_error *err);

#endif
