// Card routes of scheduling: the scheduling card's 确认安排 / 仍然安排 and 放弃 / 暂不安排.
import { MEETING_DISCARD, MEETING_FIELDS, MEETING_SCHEDULE, MeetingDiscardValue, MeetingFormValue, MeetingScheduleValue } from '../../../cards/meeting.ts';
import { badForm, byId, type CardRoute } from '../card-route.ts';

export const schedulingRoutes: Record<string, CardRoute> = {
  [MEETING_SCHEDULE]: byId(MeetingScheduleValue, 'm', (meetingId, a) => {
    const f = MeetingFormValue.safeParse(a.formValue ?? {});
    if (!f.success) return badForm(f.error, '填写的内容有误，请检查后重新确认');
    const v = f.data;
    const has = (k: string) => a.formValue !== undefined && k in a.formValue;
    return {
      kind: 'meeting.confirm',
      meetingId,
      ...(a.value.f === 1 ? { force: true } : {}),
      form: {
        ...(v.title ? { title: v.title } : {}),
        ...(v.date ? { date: v.date } : {}),
        ...(v.time ? { time: v.time } : {}),
        ...(v.duration !== undefined && Number.isFinite(v.duration) ? { durationMin: v.duration } : {}),
        ...(has(MEETING_FIELDS.location) ? { location: v.location } : {}),
        // Untouched selects may be left out of form_value (UNCONFIRMED): absent keeps what the meeting has.
        ...(has(MEETING_FIELDS.units) ? { units: v.units } : {}),
        ...(has(MEETING_FIELDS.people) ? { people: v.people } : {}),
        ...(has(MEETING_FIELDS.agenda) ? { agenda: v.agenda } : {}),
        ...(has(MEETING_FIELDS.chat) ? { wantsChat: v.chat } : {}),
      },
    };
  }),
  [MEETING_DISCARD]: byId(MeetingDiscardValue, 'm', (meetingId) => ({ kind: 'meeting.discard', meetingId })),
};
