// Domain: what the meeting office asks for in chat about collection — 报送情况 (progress by unit),
// 催报 (a nudge now, or at the next allowed morning), 延期 (a unit's own deadline), 预览 (the schedule),
// 导出 (the Excel export). Closing and reopening a period: period-state.ts.
import type { Prisma, ReportingCycle, ReportingPeriod } from '../../generated/prisma/client.ts';
import type { PrismaClient, Tx } from '../../platform/prisma.ts';
import type { Clock } from '../../platform/clock.ts';
import { beijingDateTime } from '../../platform/business-time.ts';
import { addOutbound } from '../../outbox/outbox.service.ts';
import { addFollowUp } from '../../outbox/follow-ups.ts';
import type { Card } from '../../../cards/card.ts';
import { extensionCard, reminderCard } from '../../../cards/collection-status.ts';
import { progressCard, schedulePreviewCard, noticeCard, nudgeSentCard, type ProgressUnit } from '../../../cards/collection-admin.ts';
import { CARD_EXPIRED } from '../../../cards/collection-form.ts';
import { loadWorkCalendar } from '../calendar/calendar.load.ts';
import { beijingDateOf, MissingCalendarError, missingCalendarNotice } from '../calendar/work-calendar.ts';
import type { CollectionCard, CollectionMessage } from '../../commands/command.ts';
import type { Outcome, UseCase, UseCaseContext } from '../shared/outcome.ts';
import { asDate, resolveDay } from '../shared/dates.ts';
import { reply } from '../shared/results.ts';
import { isOrganiser } from '../shared/roles.ts';
import { findUnitByName } from '../shared/units.ts';
import { cycleRuleOf } from './cycle-rule.ts';
import { currentPeriodKey, deferToAllowed, formatSchedule, isPeriodKey, periodLabel, periodSchedule } from './schedule.ts';
import { assignedIndicators, figuresInForce, loadReport, responsiblePeople, figureKey, targetFor, type ReportBundle } from './collection.repo.ts';
import { deadlineOf, dueDayText, dueTextOf, effectiveDueDate } from './deadlines.ts';
import { buildSubmissionsWorkbook, type ExportRow } from './excel.ts';
import { noSuchDay } from './liaison-commands.ts';

type Db = PrismaClient | Tx;
type Cmd<K extends CollectionMessage['kind']> = Extract<CollectionMessage, { kind: K }>;

const notice = (title: string, lines: string[], template: Parameters<typeof noticeCard>[2] = 'blue'): Outcome => reply(noticeCard(title, lines, template));
const ORGANISERS_ONLY = (what: string) => notice('无权操作', [`「${what}」仅供经济运行例会办公室使用。`], 'grey');
const json = (x: unknown) => x as Prisma.InputJsonValue;
const today = (now: Date) => asDate(beijingDateOf(now));

/** The period an organiser means: `2026-11` for the cycles that have it, or each cycle's current one. */
async function periodsFor(db: Db, now: Date, key?: string): Promise<{ cycle: ReportingCycle; period: ReportingPeriod }[]> {
  const cycles = await db.reportingCycle.findMany({ where: { active: true }, orderBy: { code: 'asc' } });
  const cal = await loadWorkCalendar(db);
  const out: { cycle: ReportingCycle; period: ReportingPeriod }[] = [];
  for (const cycle of cycles) {
    let k = key;
    if (k && !isPeriodKey(cycle.frequency, k)) continue;
    if (!k) {
      try {
        k = currentPeriodKey(cycleRuleOf(cycle), now, cal);
      } catch (err) {
        if (err instanceof MissingCalendarError) continue;
        throw err;
      }
    }
    const period = await db.reportingPeriod.findUnique({ where: { cycleId_periodKey: { cycleId: cycle.id, periodKey: k } } });
    if (period) out.push({ cycle, period });
  }
  return out;
}

/** 报送情况 [period]: submitted / late / missing by unit, one card per cycle. */
export const progress: UseCase<Cmd<'report.progress'>> = async (cmd, { tx, actor, now }) => {
  if (!isOrganiser(actor)) return ORGANISERS_ONLY('报送情况');
  const key = cmd.period;
  const found = await periodsFor(tx, now, key);
  if (!found.length) return notice('没有找到报送期', [key ? `没有 ${key} 的报送记录。请按「报送情况 2026-11」的格式发送，或不带期别查看当前一期。` : '当前没有开放的报送。'], 'grey');
  const cards: Card[] = [];
  for (const { cycle, period } of found) {
    const reports = await tx.unitReport.findMany({ where: { periodId: period.id }, include: { unit: true }, orderBy: { unit: { sortOrder: 'asc' } } });
    const people = await responsiblePeople(tx, reports.map((r) => r.unitId), today(now));
    const counts = { submitted: 0, partly: 0, missing: 0, late: 0, total: reports.length };
    const subs = await tx.submission.groupBy({ by: ['unitId'], where: { periodId: period.id }, _count: { _all: true } });
    const have = new Map(subs.map((s) => [s.unitId, s._count._all]));
    const units: ProgressUnit[] = reports.map((r) => {
      const due = effectiveDueDate({ report: r, period });
      const closed = period.status === 'CLOSED';
      // After the close a unit not done is 未报送（已关闭） (or partly), no longer 逾期: nobody chases it.
      const status: ProgressUnit['status'] =
        r.status === 'SUBMITTED' ? 'submitted' : !closed && now > deadlineOf(cycle, due) ? 'late' : (have.get(r.unitId) ?? 0) > 0 ? 'partly' : 'missing';
      counts[status]++;
      return {
        reportId: r.id,
        unitName: r.unit.name,
        status,
        ...(r.lastSubmittedAt ? { submittedAt: beijingDateTime(r.lastSubmittedAt) } : {}),
        liaisonName: people.get(r.unitId)?.name ?? null,
        ...(r.extendedDueDate ? { dueText: dueTextOf({ report: r, period, cycle }) } : {}),
      };
    });
    const closedText = period.status === 'CLOSED' ? beijingDateTime(period.closedAt ?? now) : undefined;
    cards.push(progressCard({ cycleName: cycle.name, periodLabel: periodLabel(cycle.frequency, period.periodKey), dueText: dueTextOf({ period, cycle }), counts, units, exportHint: true, ...(closedText ? { closedText } : {}) }));
  }
  return { replies: cards };
};

async function openReportOfUnit(db: Db, unitId: string) {
  const r = await db.unitReport.findFirst({ where: { unitId, period: { status: 'OPEN' } }, orderBy: { period: { dueDate: 'desc' } } });
  return r ? loadReport(db, r.id) : null;
}

/** The report 催报 is about: an open one, else the latest closed one (so the answer can say it is closed). */
async function reportToNudge(db: Db, unitId: string) {
  return (await openReportOfUnit(db, unitId)) ?? (await db.unitReport.findFirst({ where: { unitId, period: { status: 'CLOSED' } }, orderBy: { period: { dueDate: 'desc' } } }).then((r) => (r ? loadReport(db, r.id) : null)));
}

/** 未报送（已关闭）: the close stopped the nudges; the organiser is told how the unit can still report. */
function closedAnswer(b: ReportBundle): Outcome {
  const label = periodLabel(b.cycle.frequency, b.period.periodKey);
  return notice('无法催报', [
    `${b.unit.name} ${label}：未报送（已关闭）。本期报送已${b.period.closedAt ? `于 ${beijingDateTime(b.period.closedAt)} ` : ''}关闭，催报和提醒已停止。`,
    `该单位可提交补报申请，经您审批后生效；如需恢复报送，请发送「重新开放 ${b.cycle.name} ${b.period.periodKey}」。`,
  ], 'orange');
}

/** 催报 <unit>: a reminder to the unit's liaison now, or at the next allowed morning in quiet hours. */
export const nudge: UseCase<Cmd<'report.nudge'>> = async (cmd, ctx) => {
  if (!isOrganiser(ctx.actor)) return ORGANISERS_ONLY('催报');
  const found = await findUnitByName(ctx.tx, cmd.unit, '催报 鞍东区');
  if (!found.ok) return notice('未找到单位', [found.message], 'orange');
  return (await nudgeReport(ctx, await reportToNudge(ctx.tx, found.unit.id))).answer;
};

/** 催报 on the progress card: the same nudge, answered with a toast. */
export const nudgeFromCard: UseCase<Extract<CollectionCard, { kind: 'report.nudge' }>> = async (cmd, ctx) => {
  if (!isOrganiser(ctx.actor)) return { toast: { type: 'error', content: '只有经济运行例会办公室可以催报。' } };
  const b = await loadReport(ctx.tx, cmd.reportId);
  if (!b) return { toast: { type: 'warning', content: CARD_EXPIRED } };
  if (b.period.status === 'CLOSED' && b.report.status !== 'SUBMITTED') return { toast: { type: 'warning', content: `${b.unit.name} 未报送（已关闭）：本期报送已关闭，无法催报。如需恢复报送，请发送「重新开放」。` } };
  const { sent } = await nudgeReport(ctx, b);
  return { toast: sent ? { type: 'success', content: '已催报' } : { type: 'info', content: '无需催报' } };
};

/** Writes the reminder to the person in charge (deferred out of quiet hours) and answers what happened. */
async function nudgeReport(ctx: UseCaseContext, b: ReportBundle | null): Promise<{ sent: boolean; answer: Outcome }> {
  const { tx, now } = ctx;
  const unsent = (answer: Outcome) => ({ sent: false, answer });
  if (b?.period.status === 'CLOSED' && b.report.status !== 'SUBMITTED') return unsent(closedAnswer(b));
  if (!b || (b.period.status !== 'OPEN' && b.report.status !== 'SUBMITTED')) return unsent(notice('无需催报', ['该单位当前没有开放的报送。'], 'grey'));
  if (b.report.status === 'SUBMITTED') return unsent(notice('无需催报', [`${b.unit.name} 已完成 ${periodLabel(b.cycle.frequency, b.period.periodKey)} 的报送。`], 'green'));
  const who = (await responsiblePeople(tx, [b.unit.id], today(now))).get(b.unit.id);
  if (!who?.openId) return unsent(notice('无法催报', [`${b.unit.name} 没有登记联络员的飞书账号，请在城市配置中补充。`], 'orange'));
  const cal = await loadWorkCalendar(tx);
  const at = deferToAllowed(now, cycleRuleOf(b.cycle), cal);
  const assigned = await assignedIndicators(tx, b.cycle.id, b.unit.id, b.period.periodKey);
  const done = await figuresInForce(tx, [b.period.id], [b.unit.id]);
  const missing = assigned.filter((i) => !done.has(figureKey(b.period.id, b.unit.id, i.id))).map((i) => i.name);
  const late = now > deadlineOf(b.cycle, effectiveDueDate(b));
  const deferred = at.getTime() > now.getTime();
  await addOutbound(tx, {
    kind: 'SEND',
    dedupeKey: `nudge-${ctx.origin.key}`,
    receiveIdType: 'open_id',
    receiveId: who.openId,
    msgType: 'interactive',
    ...(deferred ? { notBefore: at } : {}),
    content: json(
      reminderCard({
        reportId: b.report.id,
        cycleName: b.cycle.name,
        periodLabel: periodLabel(b.cycle.frequency, b.period.periodKey),
        unitName: b.unit.name,
        dueText: dueTextOf(b),
        missing,
        kind: late ? 'overdue' : 'reminder',
        recipientRole: who.role,
      }),
    ),
  });
  const answer = reply(
    deferred
      ? noticeCard('催报已安排', [`${b.unit.name} 联络员 ${who.name}：现在是休息时间，催报将于 ${beijingDateTime(at)} 发出。`], 'blue')
      : nudgeSentCard({ unitName: b.unit.name, recipientName: who.name, recipientRole: who.role }),
  );
  return { sent: true, answer };
}

/** 延期 <unit> <date>: the unit's own deadline; its reminders and escalations follow it (re-planned). */
export const extend: UseCase<Cmd<'report.extend'>> = async (cmd, ctx) => {
  const { tx, actor, now } = ctx;
  const date = resolveDay(cmd.date, now);
  if (!date) return noSuchDay(cmd.date);
  if (!isOrganiser(actor)) return ORGANISERS_ONLY('延期');
  const found = await findUnitByName(tx, cmd.unit, '延期 鞍东区 12月18日');
  if (!found.ok) return notice('未找到单位', [found.message], 'orange');
  const b = await openReportOfUnit(tx, found.unit.id);
  if (!b) return notice('无法延期', [`${found.unit.name} 当前没有开放的报送。`], 'grey');
  if (date < beijingDateOf(now)) return notice('延期日期有误', [`${date} 已经过去，请给出今天或以后的日期，例如「延期 ${found.unit.name} 12月18日」。`], 'orange');
  const cal = await loadWorkCalendar(tx);
  try {
    if (!cal.isWorkday(date)) return notice('延期日期有误', [`${date} 不是工作日，请选择一个工作日作为新的截止日。`], 'orange');
  } catch (err) {
    if (err instanceof MissingCalendarError) return notice('缺少工作日历', [missingCalendarNotice(err, `${date} 是否为工作日无法判断，延期`)], 'orange');
    throw err;
  }
  // The extension card labels them 原截止 / 延期至: the dates alone, without 「已延期至」.
  const oldDue = dueDayText(effectiveDueDate(b), b.cycle.dueHour);
  await tx.unitReport.update({ where: { id: b.report.id }, data: { extendedDueDate: asDate(date) } });
  await tx.auditLog.create({
    data: { at: now, actorId: actor.personId, action: 'report.extend', entity: 'UnitReport', entityId: b.report.id, data: { unit: b.unit.code, period: b.period.periodKey, from: effectiveDueDate(b), to: date } },
  });
  const view = { unitName: b.unit.name, periodLabel: periodLabel(b.cycle.frequency, b.period.periodKey), oldDue, newDue: dueDayText(date, b.cycle.dueHour), grantedBy: actor.name };
  const who = (await responsiblePeople(tx, [b.unit.id], today(now))).get(b.unit.id);
  if (who?.openId) {
    await addOutbound(tx, { kind: 'SEND', dedupeKey: `extend-${b.report.id}-${date}`, receiveIdType: 'open_id', receiveId: who.openId, msgType: 'interactive', content: json(extensionCard(view)) });
  }
  await addFollowUp(tx, { name: 'collection.plan.v1', payload: { cycle: b.cycle.code }, jobId: `plan-${b.cycle.code}-${ctx.origin.key}` });
  return reply(extensionCard(view));
};

/** 预览 <cycle> [period]: every time the cycle will act, so nobody has to guess. */
export const preview: UseCase<Cmd<'schedule.preview'>> = async (cmd, { tx, actor, now }) => {
  if (!isOrganiser(actor)) return ORGANISERS_ONLY('预览');
  const cycles = await tx.reportingCycle.findMany({ where: { active: true }, orderBy: { code: 'asc' } });
  const text = cmd.cycle;
  const chosen = text ? cycles.filter((c) => c.code === text || c.name === text || c.name.includes(text)) : cycles;
  if (!chosen.length) return notice('没有找到报送周期', [`没有「${text}」这个报送周期。可选：${cycles.map((c) => `${c.name}（${c.code}）`).join('、')}`], 'orange');
  const cal = await loadWorkCalendar(tx);
  const cards: Card[] = [];
  for (const c of chosen) {
    const rule = cycleRuleOf(c);
    try {
      const k = cmd.period && isPeriodKey(c.frequency, cmd.period) ? cmd.period : currentPeriodKey(rule, now, cal);
      cards.push(schedulePreviewCard({ cycleName: c.name, periodLabel: periodLabel(c.frequency, k), lines: formatSchedule(rule, periodSchedule(rule, k, cal), cal) }));
    } catch (err) {
      if (!(err instanceof MissingCalendarError)) throw err;
      cards.push(noticeCard(`${c.name}：缺少工作日历`, [missingCalendarNotice(err, `${c.name}的日程`)], 'orange'));
    }
  }
  return { replies: cards };
};

/** The preview as text lines, for `npm run preview`. */
export async function previewLines(db: Db, clock: Clock, cycleCode: string, key?: string): Promise<string[]> {
  const cycle = await db.reportingCycle.findUnique({ where: { code: cycleCode } });
  if (!cycle) throw new Error(`unknown cycle "${cycleCode}"`);
  const rule = cycleRuleOf(cycle);
  const cal = await loadWorkCalendar(db);
  const k = key ?? currentPeriodKey(rule, clock.now(), cal);
  if (!isPeriodKey(cycle.frequency, k)) throw new Error(`"${k}" is not a ${cycle.frequency.toLowerCase()} period key (e.g. 2026-11, 2026-Q4, 2026-W48)`);
  return [`${cycle.name} · ${periodLabel(cycle.frequency, k)}`, ...formatSchedule(rule, periodSchedule(rule, k, cal), cal)];
}

/** 导出 [period]: the period's submissions as an Excel workbook in the office's layout. */
export const exportPeriod: UseCase<Cmd<'report.export'>> = async (cmd, { tx, actor, now }) => {
  if (!isOrganiser(actor)) return ORGANISERS_ONLY('导出');
  const key = cmd.period;
  const found = await periodsFor(tx, now, key);
  const first = found.find((f) => f.cycle.code === 'monthly') ?? found[0];
  if (!first) return notice('没有找到报送期', [`没有 ${key ?? '当前'} 的报送记录。请按「导出 2026-11」的格式发送。`], 'grey');
  const { cycle, period } = first;
  const reports = await tx.unitReport.findMany({ where: { periodId: period.id }, include: { unit: true }, orderBy: [{ unit: { sortOrder: 'asc' } }, { unit: { code: 'asc' } }] });
  const figures = await figuresInForce(tx, [period.id]);
  const people = new Map((await tx.person.findMany({ select: { id: true, name: true } })).map((p) => [p.id, p.name]));
  const targets = await tx.target.findMany({ where: { year: Number(period.periodKey.slice(0, 4)), active: true } });
  const rows: ExportRow[] = [];
  const sections: { unitName: string; enterpriseCoverage: string | null; keyWork: string | null }[] = [];
  for (const r of reports) {
    const deadline = deadlineOf(cycle, effectiveDueDate({ report: r, period }));
    const late = r.firstSubmittedAt ? r.firstSubmittedAt > deadline : now > deadline;
    for (const ind of await assignedIndicators(tx, cycle.id, r.unitId, period.periodKey)) {
      const f = figures.get(figureKey(period.id, r.unitId, ind.id));
      rows.push({
        unitName: r.unit.name,
        unitCode: r.unit.code,
        indicatorName: ind.name,
        indicatorCode: ind.code,
        measureUnit: ind.measureUnit,
        decimals: ind.decimals,
        value: f ? f.value : null,
        growthPct: f?.growthPct ?? null,
        targetGrowthPct: targetFor(targets, ind.id, r.unitId, cycle.frequency, period.periodKey),
        status: f ? (late ? '逾期补报' : '已报送') : late ? '逾期未报' : '未报送',
        submittedBy: f?.submittedById ? (people.get(f.submittedById) ?? null) : null,
        submittedAt: f ? beijingDateTime(f.submittedAt) : null,
        revisionNo: f?.revisionNo ?? null,
        vintage: f ? (f.vintage === 'OFFICIAL' ? '正式' : '快报') : null,
        problems: f?.problems ?? null,
        forecast: f?.forecast ?? null,
        measures: f?.measures ?? null,
      });
    }
    const sec = await tx.reportRevision.findFirst({ where: { reportId: r.id, OR: [{ enterpriseCoverage: { not: null } }, { keyWork: { not: null } }] }, orderBy: { revisionNo: 'desc' } });
    if (sec) sections.push({ unitName: r.unit.name, enterpriseCoverage: sec.enterpriseCoverage, keyWork: sec.keyWork });
  }
  const city = await tx.unit.findFirst({ where: { kind: 'CITY', active: true } });
  const label = periodLabel(cycle.frequency, period.periodKey);
  const bytes = await buildSubmissionsWorkbook(
    {
      title: `${city?.name ?? ''} ${label} 经济运行指标报送汇总`.trim(),
      cycleName: cycle.name,
      periodLabel: label,
      dueText: dueTextOf({ period, cycle }),
      generatedAt: beijingDateTime(now),
      unitSections: sections,
    },
    rows,
  );
  const submitted = reports.filter((r) => r.status === 'SUBMITTED').length;
  return {
    replies: [noticeCard('报送汇总已导出', [`${cycle.name} ${label}：${reports.length} 个单位，已完成 ${submitted} 个。`, `共 ${rows.length} 行指标数据，${rows.filter((r) => r.revisionNo !== null).length} 行已填报。Excel 文件随后发送。`], 'green')],
    file: { fileName: `${cycle.name}-${period.periodKey}.xlsx`, bytes },
  };
};
