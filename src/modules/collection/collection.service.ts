// Compatibility only: the collection use cases live in submissions.ts, liaison-commands.ts,
// organiser-commands.ts and form-cards.ts; shared helpers in src/modules/shared/. These re-exports keep
// modules not yet on the use-case contract (lights/, tasks/) and the benches compiling; remove with them.
import type { Card } from '../../../cards/card.ts';
import type { Toast } from '../shared/outcome.ts';

export { asDate, dayOf } from '../shared/dates.ts';
export { isOrganiser, standingFor, type Standing } from '../shared/roles.ts';
export type { Toast };

/** The old answer shape of a card action; the contract's is Outcome (src/modules/shared/outcome.ts). */
export interface CardAnswer {
  toast: Toast;
  card?: Card;
  outbound?: string[];
  evaluate?: { periodId: string; indicatorIds?: string[]; unitIds?: string[] };
}
