// Card routes of invitations: 参加 and 请假并委派 (a form with the delegate's name and a reason).
import { MEETING_RSVP, MeetingLeaveFormValue, MeetingRsvpValue } from '../../../cards/meeting-invite.ts';
import { badForm, byId, type CardRoute } from '../card-route.ts';

export const invitationRoutes: Record<string, CardRoute> = {
  [MEETING_RSVP]: byId(MeetingRsvpValue, 'm', (meetingId, a) => {
    const version = Number(a.value.n);
    if (a.value.r === 1) return { kind: 'meeting.rsvp', meetingId, version, accept: true };
    // 请假 needs a delegate: refused at the edge, nothing stored.
    const f = MeetingLeaveFormValue.safeParse(a.formValue ?? {});
    if (!f.success) return badForm(f.error, '请填写委派人姓名后再点「请假并委派」');
    return { kind: 'meeting.rsvp', meetingId, version, accept: false, delegate: f.data.delegate, ...(f.data.reason ? { reason: f.data.reason } : {}) };
  }),
};
