// Cards: what an attendee of a meeting sees — the invitation (参加 / 请假并委派), the same card once
// answered, the notice of a new time, the cancellation, the reminder, the delegate's notice, and the
// organiser's short notice of a leave. Callback values carry the meeting's version (n): an answer on an
// older version's card changes nothing.
import { z } from 'zod';
import { button, card, column, columnSet, escapeMd, form, hr, input, markdown, note, type Card, type CardElement, type HeaderTemplate } from './card.ts';
import { KIND_WORDS, type MeetingKindWord } from './meeting.ts';
import { limitedText } from './text-limits.ts';

export const MEETING_RSVP = 'meeting.rsvp';
export const RSVP_FIELDS = { delegate: 'delegate', reason: 'reason' } as const;
export const RSVP_TEXT_MAX = { delegate: 30, reason: 200 } as const;
export const STALE_VERSION = '会议时间已变更，请以最新通知为准';

/** 参加 (r: 1) or 请假并委派 (r: 0) on the invitation of version n. */
export const MeetingRsvpValue = z.object({ a: z.literal(MEETING_RSVP), v: z.literal(1), m: z.string().min(1), n: z.int().min(0), r: z.union([z.literal(0), z.literal(1)]) });
export const MeetingLeaveFormValue = z.object({
  [RSVP_FIELDS.delegate]: limitedText('委派人', RSVP_TEXT_MAX.delegate, { required: true, missing: '请假需委派他人参加：请填写委派人姓名（如「张明」）后再点「请假并委派」' }),
  [RSVP_FIELDS.reason]: limitedText('请假原因', RSVP_TEXT_MAX.reason),
});

export type AttendeeRoleWord = 'HOST' | 'ATTENDEE' | 'EXCHANGE_SEAT' | 'STATEMENT_SEAT' | 'INTERVIEWEE';
export type RsvpWord = 'PENDING' | 'ACCEPTED' | 'DECLINED' | 'DELEGATED';
export const ROLE_LABELS: Record<AttendeeRoleWord, string> = { HOST: '主持', ATTENDEE: '参会', EXCHANGE_SEAT: '经验交流席', STATEMENT_SEAT: '表态席', INTERVIEWEE: '约谈对象' };

/** What a role has to prepare (seat notices of the 例会, the subject of a 约谈). */
export const ROLE_PREPARE: Record<AttendeeRoleWord, string | undefined> = {
  HOST: undefined,
  ATTENDEE: undefined,
  EXCHANGE_SEAT: '请准备经验交流发言，5 分钟以内，介绍本单位的好做法和成效；书面材料请于会前一天报例会办公室。',
  STATEMENT_SEAT: '请准备表态发言 3 分钟：指标落后的原因、下一步整改措施和时间节点。',
  INTERVIEWEE: '请本人参加，准备情况说明：存在问题、原因分析、整改措施和时间节点。约谈情况记入档案。',
};
const KIND_TEMPLATE: Record<MeetingKindWord, HeaderTemplate> = { INTERVIEW: 'orange', SPECIAL: 'blue', MONTHLY: 'indigo' };
const MAX_LINES = 12;

export interface MeetingInviteView {
  meetingId: string;
  version: number;
  no: number;
  kind: MeetingKindWord;
  title: string;
  /** 2026年12月8日周二 15:00–16:00 */
  whenLabel: string;
  /** The old time, on a notice of a new time. */
  previousWhen?: string;
  location: string;
  role: AttendeeRoleWord;
  /** The unit the reader attends for. */
  unitName?: string;
  agenda: string;
  reasons: string[];
  /** The organiser who scheduled it. */
  organiser: string;
  /** Who else is there: 「主持：林振华（常务副市长）」. */
  attendees: string[];
  /** The reader's answer; PENDING shows the buttons only. */
  rsvp: RsvpWord;
  delegateName?: string;
  leaveReason?: string;
  /** False once the meeting has begun: no buttons. */
  open: boolean;
}

const bullet = (lines: string[]) => lines.map((l) => `- ${escapeMd(l)}`).join('\n');
const capped = (lines: string[]) => (lines.length > MAX_LINES ? [...lines.slice(0, MAX_LINES), `等 ${lines.length} 人`] : lines);

/** Time, place, role and what to prepare, agenda or reasons, organiser: shared by the invitation and the delegate's copy. */
function details(v: Pick<MeetingInviteView, 'kind' | 'whenLabel' | 'previousWhen' | 'location' | 'role' | 'unitName' | 'agenda' | 'reasons' | 'organiser' | 'attendees'>): CardElement[] {
  const lines = [
    `**时间**：${v.previousWhen ? `~~${escapeMd(v.previousWhen)}~~ → ` : ''}**${escapeMd(v.whenLabel)}**`,
    `**地点**：${v.location ? escapeMd(v.location) : '待定，另行通知'}`,
  ];
  lines.push(`**您的角色**：${ROLE_LABELS[v.role]}${v.unitName ? `（${escapeMd(v.unitName)}）` : ''}`);
  const out: CardElement[] = [markdown(lines.join('\n'))];
  const prepare = ROLE_PREPARE[v.role];
  if (prepare) out.push(markdown(`<font color="orange">**${v.role === 'INTERVIEWEE' ? '约谈须知' : '席位通知'}**</font>\n${prepare}`));
  if (v.agenda) out.push(markdown(`**${v.kind === 'INTERVIEW' ? '约谈事由' : '议程'}**\n${escapeMd(v.agenda)}`));
  // A typed 约谈 has its reason as both agenda and only reason: say it once.
  const reasons = v.reasons.filter((r) => r !== v.agenda);
  if (reasons.length) out.push(markdown(`**${v.kind === 'INTERVIEW' ? '有关情况' : '会议要点'}**\n${bullet(reasons.slice(0, 8))}`));
  if (v.attendees.length) out.push(markdown(`**参加人员**\n${bullet(capped(v.attendees))}`));
  return out;
}

export function rsvpStatus(v: Pick<MeetingInviteView, 'rsvp' | 'delegateName'>): string | undefined {
  if (v.rsvp === 'ACCEPTED') return '已确认参加';
  if (v.rsvp === 'DELEGATED') return `已请假，委派 ${v.delegateName ?? ''} 参加`;
  if (v.rsvp === 'DECLINED') return '已请假';
  return undefined;
}

/** The invitation (or, with previousWhen, the notice of a new time); once answered it says so and still lets the reader change the answer. */
export function meetingInviteCard(v: MeetingInviteView): Card {
  const kind = KIND_WORDS[v.kind];
  const status = rsvpStatus(v);
  const elements = details(v);
  if (v.previousWhen) elements.unshift(markdown('<font color="red">**会议时间已调整**</font>，此前的回复已作废，请按新时间重新确认。'));
  if (status) elements.push(markdown(`<font color="green">**${escapeMd(status)}**</font>${v.rsvp === 'DELEGATED' && v.leaveReason ? `\n请假原因：${escapeMd(v.leaveReason)}` : ''}`));
  const value = (r: 0 | 1) => ({ a: MEETING_RSVP, v: 1, m: v.meetingId, n: v.version, r });
  if (v.open) {
    elements.push(hr());
    if (v.rsvp !== 'ACCEPTED') {
      elements.push(columnSet([column([button({ name: 'rsvp_accept', label: status ? '改为参加' : '参加', type: 'primary_filled', value: value(1) })], { width: 'auto' })], { flexMode: 'flow' }));
    }
    elements.push(
      markdown(status ? '**如需更改**：填写委派人后点「请假并委派」' : '**不能参加？** 请填写委派人，由其代为参加'),
      form('rsvp_leave', [
        input({ name: RSVP_FIELDS.delegate, label: '委派人', placeholder: '姓名，如：张明', maxLength: RSVP_TEXT_MAX.delegate, required: true, ...(v.delegateName ? { defaultValue: v.delegateName } : {}) }),
        input({ name: RSVP_FIELDS.reason, label: '请假原因', placeholder: '选填', maxLength: RSVP_TEXT_MAX.reason, ...(v.leaveReason ? { defaultValue: v.leaveReason } : {}) }),
        button({ name: 'rsvp_leave', label: '请假并委派', type: 'default', submit: true, value: value(0) }),
      ]),
    );
  }
  elements.push(note(`编号 ${v.no} · 组织：${v.organiser}。会前一天和会前一小时提醒。如有疑问请联系经济运行例会办公室。`));
  const head = v.previousWhen ? `${kind}改期通知` : v.kind === 'INTERVIEW' && v.role === 'INTERVIEWEE' ? '约谈通知' : `${kind}邀请`;
  return card({
    title: `${head}：${v.title}`,
    subtitle: v.whenLabel,
    template: KIND_TEMPLATE[v.kind],
    summary: `${head}：${v.title} ${v.whenLabel}`,
    tags: [status ? { text: status.startsWith('已确认') ? '已确认' : '已请假', color: 'green' } : { text: '待回复', color: 'orange' }],
    elements,
  });
}

export interface MeetingDelegateView extends Omit<MeetingInviteView, 'rsvp' | 'delegateName' | 'leaveReason' | 'open' | 'version' | 'meetingId'> {
  /** Who delegated the reader: 「王建国（区长）」. */
  delegatedBy: string;
  leaveReason?: string;
}

/** To the person named as delegate: attend in someone's place (no buttons: the one who delegated answers). */
export function meetingDelegateCard(v: MeetingDelegateView): Card {
  const kind = KIND_WORDS[v.kind];
  const seat = `「${ROLE_LABELS[v.role]}」${v.unitName ? `（${escapeMd(v.unitName)}）` : ''}`;
  // After a new time the delegation no longer stands: the one who delegated answers again.
  const lead = v.previousWhen
    ? `<font color="red">**会议时间已调整**</font>。**${escapeMd(v.delegatedBy)}** 此前委派您代为参加${kind}（${seat}）；新时间是否仍由您参加，以其重新回复为准。`
    : `**${escapeMd(v.delegatedBy)}** 请假，委派您代为参加${kind}，席位为${seat}。`;
  const elements = [markdown(lead), ...details(v)];
  elements.push(note(`编号 ${v.no} · 组织：${v.organiser}。如不能参加，请与 ${v.delegatedBy} 联系。`));
  return card({ title: `${v.previousWhen ? '改期通知（委派参会）' : '委派参会'}：${v.title}`, subtitle: v.whenLabel, template: KIND_TEMPLATE[v.kind], summary: `委派您参加${kind}：${v.title}`, tags: [{ text: '代为参加', color: 'blue' }], elements });
}

export interface MeetingCancelledView {
  no: number;
  kind: MeetingKindWord;
  title: string;
  whenLabel: string;
  location: string;
  reason?: string;
  by: string;
}

/** The meeting will not take place: no buttons. */
export function meetingCancelledCard(v: MeetingCancelledView): Card {
  const kind = KIND_WORDS[v.kind];
  const lines = [`原定 ~~${escapeMd(v.whenLabel)}~~${v.location ? ` 在 ${escapeMd(v.location)}` : ''} 召开的${kind}「${escapeMd(v.title)}」**已取消**。`];
  lines.push(`**取消原因**：${v.reason ? escapeMd(v.reason) : '未说明'}`);
  return card({
    title: `${kind}取消通知：${v.title}`,
    template: 'grey',
    summary: `${kind}已取消：${v.title}`,
    tags: [{ text: '已取消', color: 'neutral' }],
    elements: [markdown(lines.join('\n')), note(`编号 ${v.no} · ${v.by}。无需回复，相关提醒不再发送；如另行安排，将重新通知。`)],
  });
}

export interface MeetingReminderView {
  no: number;
  kind: MeetingKindWord;
  title: string;
  whenLabel: string;
  location: string;
  role: AttendeeRoleWord;
  unitName?: string;
  /** 'day': the day before; 'hour': an hour before. */
  at: 'day' | 'hour';
  /** The reader has not answered the invitation. */
  pending: boolean;
  /** The reader attends in this person's place. */
  onBehalfOf?: string;
  /** The reader delegated, but the delegate is not in the directory: remind them to pass it on. */
  delegatedTo?: string;
}

export function meetingReminderCard(v: MeetingReminderView): Card {
  const kind = KIND_WORDS[v.kind];
  const soon = v.at === 'day' ? '明天' : '1 小时后';
  const lines = [`**时间**：${escapeMd(v.whenLabel)}`, `**地点**：${v.location ? escapeMd(v.location) : '待定'}`, `**席位**：${ROLE_LABELS[v.role]}${v.unitName ? `（${escapeMd(v.unitName)}）` : ''}`];
  const elements: CardElement[] = [markdown(lines.join('\n'))];
  if (v.onBehalfOf) elements.push(markdown(`您代 **${escapeMd(v.onBehalfOf)}** 参加。`));
  if (v.delegatedTo) elements.push(markdown(`您已请假并委派 **${escapeMd(v.delegatedTo)}** 参加，请转告其准时出席。`));
  const prepare = ROLE_PREPARE[v.role];
  if (prepare && !v.delegatedTo) elements.push(markdown(`<font color="orange">**请做好准备**</font>\n${prepare}`));
  if (v.pending) elements.push(markdown('<font color="orange">您尚未回复邀请，请在邀请卡片上点「参加」或「请假并委派」。</font>'));
  elements.push(note(`编号 ${v.no}。如有变动请联系经济运行例会办公室。`));
  return card({ title: `${soon}${kind}：${v.title}`, subtitle: v.whenLabel, template: v.at === 'hour' ? 'orange' : KIND_TEMPLATE[v.kind], summary: `会议提醒：${soon}${kind}「${v.title}」`, tags: [{ text: '会议提醒', color: 'blue' }], elements });
}

export interface MeetingLeaveNoticeView {
  no: number;
  kind: MeetingKindWord;
  title: string;
  whenLabel: string;
  /** 「鞍东区 王建国（区长）」 */
  person: string;
  role: AttendeeRoleWord;
  rsvp: RsvpWord;
  delegateName?: string;
  /** False when the name matches nobody in the directory (the delegate gets no notice). */
  delegateKnown?: boolean;
  leaveReason?: string;
}

/** The organiser's short notice: someone took leave and named a delegate, or changed back to attending. */
export function meetingLeaveNoticeCard(v: MeetingLeaveNoticeView): Card {
  const kind = KIND_WORDS[v.kind];
  const lines = [`**${escapeMd(v.person)}**（${ROLE_LABELS[v.role]}）`];
  if (v.rsvp === 'DELEGATED') {
    lines.push(`请假，委派 **${escapeMd(v.delegateName ?? '')}** 参加${v.delegateKnown === false ? '（通讯录中未找到此人，未能通知本人）' : ''}`);
    lines.push(`**原因**：${v.leaveReason ? escapeMd(v.leaveReason) : '未填写'}`);
  } else lines.push('已改为本人参加。');
  lines.push(`**会议**：${kind}「${escapeMd(v.title)}」 ${escapeMd(v.whenLabel)}`);
  const leave = v.rsvp === 'DELEGATED';
  return card({
    title: leave ? `请假委派：${v.title}` : `改为参加：${v.title}`,
    template: leave ? 'orange' : 'green',
    summary: `${v.person}${leave ? ` 请假，委派 ${v.delegateName ?? ''}` : ' 改为参加'}`,
    elements: [markdown(lines.join('\n')), note(`编号 ${v.no}。委派人员以本通知为准，无需操作。`)],
  });
}

/** An answer on an old version's card (or a card of a meeting since cancelled): nothing changed. */
export function meetingStaleCard(v: { kind: MeetingKindWord; title: string; cancelled?: boolean }): Card {
  const words = v.cancelled ? '会议已取消，请以取消通知为准' : STALE_VERSION;
  return card({
    title: `${KIND_WORDS[v.kind]}：${v.title}`,
    template: 'grey',
    summary: words,
    tags: [{ text: v.cancelled ? '已取消' : '已过期', color: 'neutral' }],
    elements: [markdown(`${words}。此卡片上的回复不再有效。`)],
  });
}
