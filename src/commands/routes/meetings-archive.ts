// Card routes after a meeting: 已召开 (专题会 / 例会), 记入档案 (the 约谈 record form), and the follow-up's
// 已落实 / 部分落实 / 未落实. Text limits and the required fields are checked here, in Chinese.
import {
  FOLLOWUP_FIELDS,
  FollowUpFormValue,
  HELD_FIELDS,
  HeldFormValue,
  INTERVIEW_FOLLOWUP,
  INTERVIEW_RECORD,
  InterviewFollowUpValue,
  InterviewFormValue,
  InterviewRecordValue,
  MEETING_HELD,
  MeetingHeldValue,
  RECORD_FIELDS,
} from '../../../cards/meeting-record.ts';
import type { InterviewForm } from '../command.ts';
import { badForm, byId, expired, type CardRoute } from '../card-route.ts';

const MET = { met: true, partly: null, unmet: false } as const;

export const archiveRoutes: Record<string, CardRoute> = {
  [MEETING_HELD]: byId(MeetingHeldValue, 'm', (meetingId, a) => {
    const f = HeldFormValue.safeParse(a.formValue ?? {});
    if (!f.success) return badForm(f.error, '填写的内容有误，请检查后重新提交');
    const note = f.data[HELD_FIELDS.note];
    return { kind: 'meeting.held', meetingId, ...(note ? { note } : {}) };
  }),
  [INTERVIEW_RECORD]: byId(InterviewRecordValue, 'm', (meetingId, a) => {
    const f = InterviewFormValue.safeParse(a.formValue ?? {});
    if (!f.success) return badForm(f.error, '填写的内容有误，请检查后重新提交');
    const v = f.data;
    const form: InterviewForm = {
      commitments: v[RECORD_FIELDS.commitments],
      ...(v[RECORD_FIELDS.interviewee] ? { interviewee: v[RECORD_FIELDS.interviewee] } : {}),
      ...(v[RECORD_FIELDS.interviewers] ? { interviewers: v[RECORD_FIELDS.interviewers] } : {}),
      ...(v[RECORD_FIELDS.followUpDate] ? { followUpDate: v[RECORD_FIELDS.followUpDate] } : {}),
      ...(v[RECORD_FIELDS.note] ? { note: v[RECORD_FIELDS.note] } : {}),
    };
    return { kind: 'interview.record', meetingId, form };
  }),
  [INTERVIEW_FOLLOWUP]: byId(InterviewFollowUpValue, 'r', (recordId, a) => {
    const o = a.value.o;
    if (o !== 'met' && o !== 'partly' && o !== 'unmet') return expired;
    const f = FollowUpFormValue.safeParse(a.formValue ?? {});
    if (!f.success) return badForm(f.error, '填写的内容有误，请检查后重新提交');
    return { kind: 'interview.followup', recordId, outcome: f.data[FOLLOWUP_FIELDS.outcome], met: MET[o] };
  }),
};
