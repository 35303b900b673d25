// Sandbox UI: the person's calendar as an agenda (events grouped by day, China time).
import { escapeHtml } from '../card-render.js';
import { chinaParts, clockTime, dayHeading, parseTime } from './format.js';
import { icons } from './icons.js';
import { avatarHtml } from './ui-kit.js';

/**
 * @typedef {import('./api.js').CalendarEvent} CalendarEvent
 * @typedef {{ event: CalendarEvent, start: number, end: number, allDay: boolean, dayKey: string }} AgendaItem
 */

/** A Feishu time_info with only a `date` is an all-day event. @param {unknown} t */
const isDateOnly = (t) => typeof t === 'object' && t !== null && 'date' in t && !(/** @type {{ timestamp?: unknown }} */ (t).timestamp);

/** @param {CalendarEvent[]} events @returns {AgendaItem[]} */
export function agendaItems(events) {
  return events
    .map((event) => {
      // startMs/endMs are the server's reading of Feishu's time_info; startTime is the fallback.
      const s = parseTime(typeof event.startMs === 'number' ? event.startMs : event.startTime);
      const e = parseTime(typeof event.endMs === 'number' ? event.endMs : event.endTime);
      if (!s) return null;
      const allDay = s.allDay || isDateOnly(event.startTime);
      return { event, start: s.ms, end: e?.ms ?? s.ms, allDay, dayKey: chinaParts(s.ms).dayKey };
    })
    .filter((x) => x !== null)
    .sort((a, b) => a.start - b.start);
}

/** Days with their event counts (the sidebar overview). @param {AgendaItem[]} items */
export function dayCounts(items) {
  /** @type {Map<string, number>} */
  const counts = new Map();
  for (const it of items) counts.set(it.dayKey, (counts.get(it.dayKey) ?? 0) + 1);
  return [...counts.entries()];
}

/** Feishu rsvp_status values. */
const RSVP = /** @type {Record<string, string>} */ ({ accept: '已接受', decline: '已拒绝', tentative: '待定', needs_action: '未回复', removed: '已移除' });

/** @param {AgendaItem} it @param {number} now @param {string} viewerId */
function eventHtml(it, now, viewerId) {
  const e = it.event;
  const time = it.allDay ? '全天' : `${clockTime(it.start)} – ${clockTime(it.end)}${chinaParts(it.end).dayKey !== it.dayKey ? '（次日）' : ''}`;
  const status = it.end < now ? ' is-past' : it.start <= now ? ' is-now' : '';
  const attendees = Array.isArray(e.attendees) ? e.attendees : [];
  const people = attendees
    .slice(0, 12)
    .map((a) => {
      const id = a.openId ?? a.chatId ?? a.name;
      const name = a.name || id || '参与人';
      const rsvp = RSVP[a.rsvpStatus ?? ''] ?? '';
      const kind = a.type === 'chat' ? 'group' : undefined;
      return (
        `<span class="attendee${a.openId && a.openId === viewerId ? ' is-me' : ''} rsvp--${escapeHtml(a.rsvpStatus ?? 'unknown')}" title="${escapeHtml(`${name}${rsvp ? `（${rsvp}）` : ''}${a.isOptional ? '，可选参加' : ''}`)}">` +
        `${avatarHtml({ id: String(id), name, kind, size: 20 })}<span>${escapeHtml(name)}</span>${rsvp && a.rsvpStatus !== 'needs_action' ? `<i class="rsvp">${escapeHtml(rsvp)}</i>` : ''}</span>`
      );
    })
    .join('');
  const meetingUrl = typeof e.vchat?.meeting_url === 'string' && /^https:\/\//.test(e.vchat.meeting_url) ? e.vchat.meeting_url : '';
  const more = attendees.length > 12 ? `<span class="attendee-more">等 ${attendees.length} 人</span>` : '';
  return (
    `<article class="event${status}" data-event-id="${escapeHtml(e.eventId)}">` +
    `<div class="event-time">${icons.clock(14)}<span>${escapeHtml(time)}</span>${status === ' is-now' ? '<span class="event-live">进行中</span>' : ''}</div>` +
    `<div class="event-body"><h3 class="event-title">${escapeHtml(e.summary || '（无主题）')}</h3>` +
    (e.location ? `<div class="event-line">${icons.location(14)}<span>${escapeHtml(e.location)}</span></div>` : '') +
    (meetingUrl ? `<div class="event-line">${icons.video(14)}<a class="fc-link" href="${escapeHtml(meetingUrl)}" target="_blank" rel="noopener noreferrer">视频会议</a></div>` : '') +
    (e.organizer ? `<div class="event-line">${icons.bot(14)}<span>组织者：${escapeHtml(e.organizer)}</span></div>` : '') +
    (attendees.length ? `<div class="event-line event-attendees">${icons.users(14)}<div class="attendee-list">${people}${more}</div></div>` : '') +
    (e.description ? `<div class="event-desc">${escapeHtml(e.description).replace(/\n/g, '<br>')}</div>` : '') +
    '</div></article>'
  );
}

/**
 * @param {AgendaItem[]} items
 * @param {{ now?: number, viewerId: string }} opts
 */
export function agendaHtml(items, opts) {
  const now = opts.now ?? Date.now();
  if (!items.length) return `<div class="empty-state">${icons.calendar(40)}<p>暂无日程</p><span>机器人为此人安排的会议、约谈会出现在这里</span></div>`;
  /** @type {Map<string, AgendaItem[]>} */
  const byDay = new Map();
  for (const it of items) byDay.set(it.dayKey, [...(byDay.get(it.dayKey) ?? []), it]);
  const today = chinaParts(now).dayKey;
  return [...byDay.entries()]
    .map(([day, list]) => {
      const h = dayHeading(day, now);
      return (
        `<section class="agenda-day${day === today ? ' is-today' : day < today ? ' is-past' : ''}" id="day-${day}">` +
        `<div class="agenda-date"><span class="agenda-date-title">${escapeHtml(h.title)}</span><span class="agenda-date-week">${escapeHtml(h.weekday)}</span>${h.relative ? `<span class="agenda-date-rel">${escapeHtml(h.relative)}</span>` : ''}</div>` +
        `<div class="agenda-events">${list.map((it) => eventHtml(it, now, opts.viewerId)).join('')}</div></section>`
      );
    })
    .join('');
}
