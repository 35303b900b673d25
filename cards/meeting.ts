// Cards: scheduling a meeting — the card that echoes what the bot understood (time with weekday,
// duration, place, attendees, agenda) as an editable form, what the organiser sees once it is scheduled,
// what the other organisers' copies become, and the 「会议」 list.
import { z } from 'zod';
import {
  button,
  card,
  column,
  columnSet,
  datePicker,
  escapeMd,
  form,
  hr,
  input,
  markdown,
  multiSelectStatic,
  note,
  selectStatic,
  type Card,
  type CardElement,
  type HeaderTemplate,
  type SelectOption,
} from './card.ts';
import { limitedText } from './text-limits.ts';

export const MEETING_SCHEDULE = 'meeting.schedule';
export const MEETING_DISCARD = 'meeting.discard';

const id = z.string().min(1);
/** 确认安排 on the form; `f: 1` = 仍然安排 despite the conflicts shown. */
export const MeetingScheduleValue = z.object({ a: z.literal(MEETING_SCHEDULE), v: z.literal(1), m: id, f: z.literal(1).optional() });
export const MeetingDiscardValue = z.object({ a: z.literal(MEETING_DISCARD), v: z.literal(1), m: id });

export const MEETING_FIELDS = {
  title: 'title',
  date: 'date',
  time: 'time',
  duration: 'duration',
  location: 'location',
  units: 'units',
  people: 'people',
  agenda: 'agenda',
  chat: 'chat',
} as const;

export const MEETING_TEXT_MAX = { title: 60, location: 100, agenda: 500 } as const;
export const DURATIONS = [30, 45, 60, 90, 120, 150, 180, 240] as const;
/** The most units one meeting form offers (a select beyond this is unusable on a phone). */
export const MAX_MEETING_UNIT_OPTIONS = 60;

const strings = z.array(z.string()).optional().default([]);
/** The form as Feishu sends it; picker values carry a zone suffix ('2026-12-08 +0800', '15:00 +0800'). */
export const MeetingFormValue = z.object({
  [MEETING_FIELDS.title]: limitedText('会议名称', MEETING_TEXT_MAX.title),
  [MEETING_FIELDS.date]: z
    .string()
    .trim()
    .optional()
    .transform((s) => (s ? s.slice(0, 10) : undefined)),
  [MEETING_FIELDS.time]: z
    .string()
    .trim()
    .optional()
    .transform((s) => (s ? s.slice(0, 5) : undefined)),
  [MEETING_FIELDS.duration]: z
    .string()
    .optional()
    .transform((s) => (s ? Number(s) : undefined)),
  [MEETING_FIELDS.location]: limitedText('地点', MEETING_TEXT_MAX.location),
  [MEETING_FIELDS.units]: strings,
  [MEETING_FIELDS.people]: strings,
  [MEETING_FIELDS.agenda]: limitedText('议程', MEETING_TEXT_MAX.agenda),
  [MEETING_FIELDS.chat]: z
    .string()
    .optional()
    .transform((s) => s === 'yes'),
});

export type MeetingKindWord = 'INTERVIEW' | 'SPECIAL' | 'MONTHLY';
export const KIND_WORDS: Record<MeetingKindWord, string> = { INTERVIEW: '约谈', SPECIAL: '专题会议', MONTHLY: '经济运行例会' };
const KIND_TEMPLATE: Record<MeetingKindWord, HeaderTemplate> = { INTERVIEW: 'orange', SPECIAL: 'blue', MONTHLY: 'indigo' };

export interface MeetingFormView {
  meetingId: string;
  no: number;
  kind: MeetingKindWord;
  title: string;
  /** 'YYYY-MM-DD' and 'HH:mm' (Beijing) when a time was understood. */
  date?: string;
  time?: string;
  /** The interpreted time spelled out: 2026年12月8日（周二）15:00–16:00. */
  whenLabel?: string;
  durationMin: number;
  location: string;
  agenda: string;
  /** 约谈 reasons or the warning's reasons. */
  reasons: string[];
  /** The leader who asked for it (from a warning). */
  proposedBy?: string;
  unitOptions: SelectOption[];
  selectedUnits: string[];
  peopleOptions: SelectOption[];
  selectedPeople: string[];
  /** Who is invited, as lines: 「主持：林振华」「约谈对象：鞍东区 区长 王某」. */
  attendees: string[];
  /** Other meetings of the hosts or attendees at that time. */
  conflicts: string[];
  /** What was wrong with the last 确认安排 (shown in red). */
  problems: string[];
  wantsChat: boolean;
}

const bullet = (lines: string[]) => lines.map((l) => `- ${escapeMd(l)}`).join('\n');

/** The scheduling card: what was understood, editable, with 确认安排 / 放弃. */
export function meetingFormCard(view: MeetingFormView): Card {
  const kind = KIND_WORDS[view.kind];
  const m = view.meetingId;
  const echo: string[] = [
    `**时间**：${view.whenLabel ? escapeMd(view.whenLabel) : '<font color="red">待定，请在下方选择日期和时间</font>'}`,
    `**时长**：${view.durationMin} 分钟\u3000**地点**：${view.location ? escapeMd(view.location) : '待定'}`,
  ];
  // A leader who proposed and hosts is named once, on their attendee line.
  const hostLine = view.proposedBy ? view.attendees.findIndex((l) => l.startsWith(`主持：${view.proposedBy}`)) : -1;
  if (view.proposedBy && hostLine < 0) echo.push(`**提议人**：${escapeMd(view.proposedBy)}`);
  const attendees = view.attendees.map((l, i) => (i === hostLine ? `${l}（提议人）` : l));
  const elements: CardElement[] = [markdown(echo.join('\n'))];
  if (attendees.length) elements.push(markdown(`**参加人员**\n${bullet(attendees)}`));
  if (view.reasons.length) elements.push(markdown(`**${view.kind === 'INTERVIEW' ? '约谈事由' : '有关情况'}**\n${bullet(view.reasons.slice(0, 8))}`));
  if (view.conflicts.length) elements.push(markdown(`<font color="orange">**时间冲突**</font>\n${bullet(view.conflicts)}`));
  if (view.problems.length) elements.push(markdown(`<font color="red">**请修改后再确认**</font>\n${bullet(view.problems)}`));

  const durations: SelectOption[] = DURATIONS.map((d) => ({ label: d < 60 || d % 60 ? `${d} 分钟` : `${d / 60} 小时`, value: String(d) }));
  const fields: CardElement[] = [
    input({ name: MEETING_FIELDS.title, label: '会议名称', defaultValue: view.title, maxLength: MEETING_TEXT_MAX.title, required: true }),
    markdown('**日期和开始时间**'),
    columnSet(
      [
        column([datePicker({ name: MEETING_FIELDS.date, placeholder: '选择日期', ...(view.date ? { initialDate: view.date } : {}), width: 'fill' })]),
        column([
          {
            tag: 'picker_time',
            name: MEETING_FIELDS.time,
            placeholder: { tag: 'plain_text', content: '开始时间' },
            width: 'fill',
            ...(view.time ? { initial_time: view.time } : {}),
          },
        ]),
      ],
      { flexMode: 'bisect' },
    ),
    markdown('**时长**'),
    selectStatic({ name: MEETING_FIELDS.duration, options: durations, initialOption: String(view.durationMin), width: 'fill' }),
    input({ name: MEETING_FIELDS.location, label: '地点', defaultValue: view.location, maxLength: MEETING_TEXT_MAX.location, placeholder: '例如：市政府 3 楼第一会议室' }),
  ];
  if (view.unitOptions.length) {
    fields.push(
      markdown(view.kind === 'INTERVIEW' ? '**约谈单位**（请其主要负责人参加）' : '**参会单位**（请其主要负责人参加）'),
      multiSelectStatic({ name: MEETING_FIELDS.units, options: view.unitOptions, required: false, selectedValues: view.selectedUnits, width: 'fill', placeholder: '选择单位' }),
    );
  }
  if (view.peopleOptions.length) {
    fields.push(
      markdown(view.kind === 'INTERVIEW' ? '**约谈人 / 主持**' : '**主持 / 出席领导**'),
      multiSelectStatic({ name: MEETING_FIELDS.people, options: view.peopleOptions, required: false, selectedValues: view.selectedPeople, width: 'fill', placeholder: '选择领导' }),
    );
  }
  fields.push(
    input({ name: MEETING_FIELDS.agenda, label: view.kind === 'INTERVIEW' ? '约谈事由' : '议程', defaultValue: view.agenda, multiline: true, maxLength: MEETING_TEXT_MAX.agenda }),
    markdown('**建立会议群**'),
    selectStatic({ name: MEETING_FIELDS.chat, options: [{ label: '不建群', value: 'no' }, { label: '建立会议群并拉入参会人员', value: 'yes' }], initialOption: view.wantsChat ? 'yes' : 'no', width: 'fill' }),
    columnSet(
      [
        column([button({ name: 'meeting_schedule', label: '确认安排', type: 'primary_filled', submit: true, value: { a: MEETING_SCHEDULE, v: 1, m } })], { width: 'auto' }),
        ...(view.conflicts.length
          ? [column([button({ name: 'meeting_schedule_anyway', label: '仍然安排', type: 'danger', submit: true, value: { a: MEETING_SCHEDULE, v: 1, m, f: 1 } })], { width: 'auto' })]
          : []),
      ],
      { flexMode: 'flow' },
    ),
  );
  elements.push(hr(), form('meeting_form', fields));
  elements.push(
    columnSet([column([button({ name: 'meeting_discard', label: view.proposedBy ? '暂不安排' : '放弃', type: 'text', value: { a: MEETING_DISCARD, v: 1, m } })], { width: 'auto' })], {
      flexMode: 'flow',
    }),
    note(`编号 ${view.no}。确认后发出日程和邀请，会前一天和会前一小时提醒；确认前不通知任何人。`),
  );
  return card({
    title: `安排${kind}：${view.title}`,
    subtitle: view.whenLabel ?? '时间待定',
    template: KIND_TEMPLATE[view.kind],
    summary: `请确认${kind}安排：${view.title}`,
    tags: [{ text: '待确认', color: 'orange' }],
    elements,
  });
}

export interface MeetingSummaryView {
  no: number;
  kind: MeetingKindWord;
  title: string;
  whenLabel: string;
  location: string;
  attendees: string[];
  agenda: string;
  /** Who scheduled, changed or cancelled it. */
  by: string;
  state: 'scheduled' | 'rescheduled' | 'cancelled' | 'discarded';
  /** Old time, when rescheduled. */
  previousWhen?: string;
  cancelReason?: string;
  /** For the person who acted: what happens next. */
  nextSteps: string[];
}

const STATE_WORDS = { scheduled: '已安排', rescheduled: '已改期', cancelled: '已取消', discarded: '暂不安排' } as const;

/** A meeting after a decision: the organiser's answer, and what the other organisers' copies become. */
export function meetingSummaryCard(view: MeetingSummaryView): Card {
  const kind = KIND_WORDS[view.kind];
  const live = view.state === 'scheduled' || view.state === 'rescheduled';
  const lines = [
    `**时间**：${view.previousWhen ? `~~${escapeMd(view.previousWhen)}~~ → ` : ''}${escapeMd(view.whenLabel)}`,
    `**地点**：${view.location ? escapeMd(view.location) : '待定'}`,
  ];
  if (view.agenda) lines.push(`**${view.kind === 'INTERVIEW' ? '事由' : '议程'}**：${escapeMd(view.agenda)}`);
  if (view.cancelReason) lines.push(`**取消原因**：${escapeMd(view.cancelReason)}`);
  const elements: CardElement[] = [markdown(lines.join('\n'))];
  if (view.attendees.length && view.state !== 'discarded') elements.push(markdown(`**参加人员**\n${bullet(view.attendees.slice(0, 20))}${view.attendees.length > 20 ? `\n- 等 ${view.attendees.length} 人` : ''}`));
  elements.push(note([`编号 ${view.no} · ${STATE_WORDS[view.state]}（${view.by}）`, ...view.nextSteps].join('\n')));
  return card({
    title: `${kind}${STATE_WORDS[view.state]}：${view.title}`,
    subtitle: live ? view.whenLabel : STATE_WORDS[view.state],
    template: live ? 'green' : 'grey',
    summary: `${kind}${STATE_WORDS[view.state]}：${view.title}`,
    tags: [{ text: STATE_WORDS[view.state], color: live ? 'green' : 'neutral' }],
    elements,
  });
}

export interface MeetingListItem {
  no: number;
  kind: MeetingKindWord;
  title: string;
  whenLabel: string;
  location: string;
  /** SCHEDULED, or waiting for a time (PROPOSED / DRAFT). */
  pending: boolean;
  /** The reader's part: 主持 / 约谈对象 / 参会（已确认） … */
  role?: string;
}

export const MAX_MEETING_LIST = 15;

/** 会议: upcoming meetings, soonest first; those waiting for a time listed after. */
export function meetingListCard(view: { items: MeetingListItem[]; organiser: boolean; total: number }): Card {
  const scheduled = view.items.filter((i) => !i.pending);
  const pending = view.items.filter((i) => i.pending);
  const line = (i: MeetingListItem) =>
    `**${i.no}** · ${escapeMd(i.whenLabel)} · ${KIND_WORDS[i.kind]}「${escapeMd(i.title)}」${i.location ? ` · ${escapeMd(i.location)}` : ''}${i.role ? ` · ${escapeMd(i.role)}` : ''}`;
  const elements: CardElement[] = [];
  if (!view.items.length) elements.push(markdown('近期没有会议安排。'));
  if (scheduled.length) elements.push(markdown(scheduled.map(line).join('\n')));
  if (pending.length) elements.push(markdown(`**待安排时间**\n${pending.map((i) => `**${i.no}** · ${KIND_WORDS[i.kind]}「${escapeMd(i.title)}」`).join('\n')}`));
  if (view.total > view.items.length) elements.push(markdown(`另有 ${view.total - view.items.length} 项未列出。`));
  elements.push(
    note(
      view.organiser
        ? '粗体数字为会议编号。改期：「改期 12 12月9日15:00」；取消：「取消 12 原因」；新安排：「约谈 鞍东区 下周二下午3点」「专题会 工业运行 12月10日15:00 鞍东区」「例会 12月15日9:00」。'
        : '如需请假，请在邀请卡片上点「请假并委派」；如需改期，请联系经济运行例会办公室。',
    ),
  );
  return card({ title: '近期会议', subtitle: `${scheduled.length} 项已安排`, template: 'blue', summary: '近期会议', elements });
}
