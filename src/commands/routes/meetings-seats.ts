// Card routes of this feature: action name → typed command (see ../card-route.ts).
// 确认 on the seats card: the three pickers as the organiser left them (unit codes).
import { SEAT_FIELDS, SEATS_CONFIRM, SeatsConfirmValue, SeatsFormValue } from '../../../cards/seats.ts';
import { badForm, byId, type CardRoute } from '../card-route.ts';

const split = (s: unknown) => (typeof s === 'string' && s ? s.split(',') : []);

export const seatRoutes: Record<string, CardRoute> = {
  [SEATS_CONFIRM]: byId(SeatsConfirmValue, 'p', (periodId, a) => {
    const f = SeatsFormValue.safeParse(a.formValue ?? {});
    if (!f.success) return badForm(f.error, '选择的单位有误，请重新选择后再确认');
    // A picker missing from form_value (UNCONFIRMED whether Feishu leaves out an untouched one) keeps the proposal shown.
    const pick = (field: (typeof SEAT_FIELDS)[keyof typeof SEAT_FIELDS], shown: unknown) => f.data[field] ?? split(shown);
    return {
      kind: 'seats.confirm',
      periodId,
      exchange: pick(SEAT_FIELDS.exchange, a.value.e),
      statement: pick(SEAT_FIELDS.statement, a.value.s),
      interview: pick(SEAT_FIELDS.interview, a.value.i),
    };
  }),
};
