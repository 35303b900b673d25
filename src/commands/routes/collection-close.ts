// Card routes of this feature: action name → typed command (see ../card-route.ts).
// The list of periods to close or reopen, and the confirmation card's 确认 and 取消.
import { PERIOD_CANCEL, PERIOD_CONFIRM, PERIOD_PICK, PeriodCancelValue, PeriodConfirmValue, PeriodPickValue } from '../../../cards/collection-close.ts';
import { byId, type CardRoute } from '../card-route.ts';

const action = (w: unknown) => (w === 'reopen' ? 'reopen' : 'close');

export const periodStateRoutes: Record<string, CardRoute> = {
  [PERIOD_PICK]: byId(PeriodPickValue, 'p', (periodId, a) => ({ kind: 'period.pick', periodId, action: action(a.value.w) })),
  [PERIOD_CONFIRM]: byId(PeriodConfirmValue, 'p', (periodId, a) => ({ kind: 'period.confirm', periodId, action: action(a.value.w), round: Number(a.value.n) })),
  [PERIOD_CANCEL]: byId(PeriodCancelValue, 'p', (periodId, a) => ({ kind: 'period.cancel', periodId, action: action(a.value.w) })),
};
