// Domain: what liaisons and organisers ask for in chat about collection — my card, my status, leave;
// progress by unit, a nudge now, an extension, a schedule preview, closing a period, the Excel export.
import type { ReportingCycle, ReportingPeriod } from '../../generated/prisma/client.ts';
import type { PrismaClient, Tx } from '../../platform/prisma.ts';
import type { Clock } from '../../platform/clock.ts';
import { beijingDateTime } from '../../platform/business-time.ts';
import type { Actor } from '../people/people.service.ts';
import type { Card } from '../../../cards/card.ts';
import { unitStatusCard, leaveCard, extensionCard, reminderCard, type UnitStatusPeriod } from '../../../cards/collection-status.ts';
import { progressCard, schedulePreviewCard, noticeCard, nudgeSentCard, type ProgressUnit } from '../../../cards/collection-admin.ts';
import { loadWorkCalendar } from '../calendar/calendar.load.ts';
import { beijingDateOf, beijingInstant, MissingCalendarError } from '../calendar/work-calendar.ts';
import { cycleRuleOf } from './cycle-rule.ts';
import { currentPeriodKey, deferToAllowed, formatSchedule, isPeriodKey, periodLabel, periodSchedule } from './schedule.ts';
import { assignedIndicators, figuresInForce, loadReport, responsiblePeople, figureKey, targetFor } from './collection.repo.ts';
import { asDate, dayOf, dueTextOf, formCards, isOrganiser } from './collection.service.ts';
import { buildSubmissionsWorkbook, type ExportRow } from './excel.ts';

type Db = PrismaClient | Tx;
export interface DeskDeps {
  prisma: PrismaClient;
  clock: Clock;
}

/** A reply: cards to send back in the chat, a file, and whether the schedule must be re-planned. */
export interface DeskReply {
  cards: Card[];
  /** Extra messages to other people (e.g. the nudged liaison), written by the caller to the outbox. */
  notify?: { openId: string; card: Card; dedupeKey: string; notBefore?: Date }[];
  file?: { fileName: string; bytes: Buffer };
  replan?: string[];
  /** Periods whose lights are evaluated in full (at close). */
  evaluate?: { periodId: string }[];
}

const notice = (title: string, lines: string[], template: Parameters<typeof noticeCard>[2] = 'blue'): DeskReply => ({ cards: [noticeCard(title, lines, template)] });
const ORGANISERS_ONLY = (what: string) => notice('无权操作', [`「${what}」仅供经济运行例会办公室使用。`], 'grey');

/** The open periods (newest first per cycle) of the units this person answers for. */
async function openReportsOf(db: Db, unitIds: string[]) {
  return db.unitReport.findMany({
    where: { unitId: { in: unitIds }, period: { status: 'OPEN' } },
    include: { period: { include: { cycle: true } }, unit: true },
    orderBy: [{ period: { dueDate: 'desc' } }],
  });
}

const memberUnits = (a: Actor) => [...new Set(a.roles.filter((r) => r.role !== 'ORGANISER').map((r) => r.unitId))];

/** 报送: the form cards of every open period of my units. */
export async function myCards(deps: DeskDeps, actor: Actor): Promise<DeskReply> {
  const units = memberUnits(actor);
  if (!units.length) return notice('没有需要报送的单位', ['您尚未登记为任何单位的联络员、备用联络员或主要负责人。如有疑问，请联系经济运行例会办公室。'], 'grey');
  const reports = await openReportsOf(deps.prisma, units);
  if (!reports.length) return notice('当前没有开放的报送', ['本单位目前没有正在进行的报送。报送开始时，您会收到填报卡片。', '发送「状态」可查看本单位的报送情况。'], 'grey');
  const cards: Card[] = [];
  for (const r of reports) cards.push(...(await formCards(deps.prisma, r.id)));
  return { cards };
}

function statusOf(submitted: number, total: number, done: boolean, late: boolean): UnitStatusPeriod['status'] {
  if (done) return 'submitted';
  if (late) return 'late';
  return submitted > 0 ? 'partly' : 'not-reported';
}

/** 状态: my unit's status in each cycle's current period. */
export async function myStatus(deps: DeskDeps, actor: Actor): Promise<DeskReply> {
  const units = memberUnits(actor);
  if (!units.length) return notice('没有需要报送的单位', ['您尚未登记为任何单位的联络员、备用联络员或主要负责人。'], 'grey');
  const now = deps.clock.now();
  const cards: Card[] = [];
  for (const unitId of units) {
    const unit = await deps.prisma.unit.findUniqueOrThrow({ where: { id: unitId } });
    const reports = await deps.prisma.unitReport.findMany({
      where: { unitId, period: { status: { in: ['OPEN', 'CLOSED'] } } },
      include: { period: { include: { cycle: true } } },
      orderBy: { period: { dueDate: 'desc' } },
    });
    // The latest period of each cycle.
    const latest = new Map<string, (typeof reports)[number]>();
    for (const r of reports) if (!latest.has(r.period.cycleId)) latest.set(r.period.cycleId, r);
    const periods: UnitStatusPeriod[] = [];
    for (const r of latest.values()) {
      const total = (await assignedIndicators(deps.prisma, r.period.cycleId, unitId, r.period.periodKey)).length;
      const submitted = await deps.prisma.submission.count({ where: { periodId: r.periodId, unitId } });
      const b = { report: r, period: r.period, cycle: r.period.cycle };
      const late = now > deadlineOf(r.period.cycle, dayOf(r.extendedDueDate ?? r.period.dueDate));
      periods.push({
        cycleName: r.period.cycle.name,
        periodLabel: periodLabel(r.period.cycle.frequency, r.period.periodKey),
        dueText: dueTextOf(b),
        status: statusOf(submitted, total, r.status === 'SUBMITTED', late),
        submitted,
        total,
        ...(r.lastSubmittedAt ? { lastSubmittedAt: beijingDateTime(r.lastSubmittedAt) } : {}),
        ...(r.period.status === 'OPEN' ? { reportId: r.id } : {}),
      });
    }
    const leave = await deps.prisma.leave.findFirst({
      where: { personId: actor.personId, cancelledAt: null, endDate: { gte: asDate(beijingDateOf(now)) } },
      orderBy: { startDate: 'asc' },
    });
    cards.push(
      unitStatusCard({
        unitName: unit.name,
        periods,
        ...(leave ? { onLeave: `${dayOf(leave.startDate)} 至 ${dayOf(leave.endDate)}` } : {}),
      }),
    );
  }
  return { cards };
}

/** The deadline instant of a due date: the cycle's due hour, Beijing time. */
const deadlineOf = (cycle: ReportingCycle, date: string) => beijingInstant(date, cycle.dueHour);

// ───────────────────────────── Leave ─────────────────────────────

/** 请假 2026-12-03 至 2026-12-05: the backup liaison covers the unit on those days. */
export async function requestLeave(deps: DeskDeps, actor: Actor, req: { from: string; to: string; key: string }): Promise<DeskReply> {
  const liaisonOf = actor.roles.filter((r) => r.role === 'LIAISON');
  if (!liaisonOf.length) return notice('无需请假登记', ['「请假」用于联络员休假期间由备用联络员代为报送。您目前不是任何单位的联络员。'], 'grey');
  const today = beijingDateOf(deps.clock.now());
  if (req.to < req.from) return notice('请假日期有误', [`结束日期 ${req.to} 早于开始日期 ${req.from}。请按「请假 12月3日 至 12月5日」的格式重新发送。`], 'orange');
  if (req.to < today) return notice('请假日期有误', [`${req.from} 至 ${req.to} 已经过去。请假只能登记今天及以后的日期。`], 'orange');
  await deps.prisma.$transaction(async (tx) => {
    const existing = await tx.leave.findUnique({ where: { requestKey: req.key } });
    if (existing) return;
    const leave = await tx.leave.create({
      data: { personId: actor.personId, startDate: asDate(req.from), endDate: asDate(req.to), createdAt: deps.clock.now(), requestKey: req.key },
    });
    await tx.auditLog.create({ data: { at: deps.clock.now(), actorId: actor.personId, action: 'leave.register', entity: 'Leave', entityId: leave.id, data: req } });
  });
  const cards: Card[] = [];
  for (const role of liaisonOf) {
    const backup = await deps.prisma.person.findFirst({ where: { active: true, roles: { some: { unitId: role.unitId, role: 'BACKUP_LIAISON', active: true } } }, orderBy: { code: 'asc' } });
    cards.push(leaveCard({ personName: actor.name, from: req.from, to: req.to, backupName: backup?.name ?? null, unitName: role.unitName }));
  }
  return { cards };
}

// ───────────────────────────── Organiser ─────────────────────────────

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
export async function progress(deps: DeskDeps, actor: Actor, key?: string): Promise<DeskReply> {
  if (!isOrganiser(actor)) return ORGANISERS_ONLY('报送情况');
  const now = deps.clock.now();
  const found = await periodsFor(deps.prisma, now, key);
  if (!found.length) return notice('没有找到报送期', [key ? `没有 ${key} 的报送记录。请按「报送情况 2026-11」的格式发送，或不带期别查看当前一期。` : '当前没有开放的报送。'], 'grey');
  const cards: Card[] = [];
  for (const { cycle, period } of found) {
    const reports = await deps.prisma.unitReport.findMany({ where: { periodId: period.id }, include: { unit: true }, orderBy: { unit: { sortOrder: 'asc' } } });
    const people = await responsiblePeople(deps.prisma, reports.map((r) => r.unitId), asDate(beijingDateOf(now)));
    const counts = { submitted: 0, partly: 0, missing: 0, late: 0, total: reports.length };
    const subs = await deps.prisma.submission.groupBy({ by: ['unitId'], where: { periodId: period.id }, _count: { _all: true } });
    const have = new Map(subs.map((s) => [s.unitId, s._count._all]));
    const units: ProgressUnit[] = reports.map((r) => {
      const due = dayOf(r.extendedDueDate ?? period.dueDate);
      const status: ProgressUnit['status'] =
        r.status === 'SUBMITTED' ? 'submitted' : now > deadlineOf(cycle, due) ? 'late' : (have.get(r.unitId) ?? 0) > 0 ? 'partly' : 'missing';
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
    cards.push(
      progressCard({
        cycleName: cycle.name,
        periodLabel: periodLabel(cycle.frequency, period.periodKey),
        dueText: dueTextOf({ period, cycle }),
        counts,
        units,
        exportHint: true,
      }),
    );
  }
  return { cards };
}

/** Finds a unit by what an organiser types: its name, short name or code; ambiguity is said, not guessed. */
async function findUnit(db: Db, text: string): Promise<{ ok: true; unit: { id: string; name: string } } | { ok: false; message: string }> {
  const t = text.trim();
  const units = await db.unit.findMany({ where: { active: true }, select: { id: true, name: true, shortName: true, code: true } });
  const exact = units.filter((u) => u.name === t || u.shortName === t || u.code === t);
  if (exact.length === 1) return { ok: true, unit: exact[0]! };
  const partial = units.filter((u) => u.name.includes(t) || (u.shortName ?? '').includes(t));
  if (partial.length === 1) return { ok: true, unit: partial[0]! };
  if (partial.length > 1) return { ok: false, message: `「${t}」对应多个单位：${partial.slice(0, 6).map((u) => u.shortName ?? u.name).join('、')}。请写出完整的单位名称。` };
  return { ok: false, message: `没有找到名为「${t}」的单位。请写出单位全称或简称，例如「催报 鞍东区」。` };
}

async function openReportOfUnit(db: Db, unitId: string) {
  const r = await db.unitReport.findFirst({ where: { unitId, period: { status: 'OPEN' } }, orderBy: { period: { dueDate: 'desc' } } });
  return r ? loadReport(db, r.id) : null;
}

/** 催报 <unit>: a reminder to the unit's liaison now, or at the next allowed morning in quiet hours. */
export async function nudge(deps: DeskDeps, actor: Actor, unitText: string, key: string): Promise<DeskReply> {
  if (!isOrganiser(actor)) return ORGANISERS_ONLY('催报');
  const found = await findUnit(deps.prisma, unitText);
  if (!found.ok) return notice('未找到单位', [found.message], 'orange');
  return nudgeReport(deps, found.unit.id, key);
}

export async function nudgeReport(deps: DeskDeps, unitIdOrReport: string, key: string, byReport = false): Promise<DeskReply> {
  const b = byReport ? await loadReport(deps.prisma, unitIdOrReport) : await openReportOfUnit(deps.prisma, unitIdOrReport);
  if (!b || b.period.status !== 'OPEN') return notice('无需催报', ['该单位当前没有开放的报送。'], 'grey');
  if (b.report.status === 'SUBMITTED') return notice('无需催报', [`${b.unit.name} 已完成 ${periodLabel(b.cycle.frequency, b.period.periodKey)} 的报送。`], 'green');
  const now = deps.clock.now();
  const who = (await responsiblePeople(deps.prisma, [b.unit.id], asDate(beijingDateOf(now)))).get(b.unit.id);
  if (!who?.openId) return notice('无法催报', [`${b.unit.name} 没有登记联络员的飞书账号，请在城市配置中补充。`], 'orange');
  const cal = await loadWorkCalendar(deps.prisma);
  const at = deferToAllowed(now, cycleRuleOf(b.cycle), cal);
  const assigned = await assignedIndicators(deps.prisma, b.cycle.id, b.unit.id, b.period.periodKey);
  const done = await figuresInForce(deps.prisma, [b.period.id], [b.unit.id]);
  const missing = assigned.filter((i) => !done.has(figureKey(b.period.id, b.unit.id, i.id))).map((i) => i.name);
  const late = now > deadlineOf(b.cycle, dayOf(b.report.extendedDueDate ?? b.period.dueDate));
  const lines = at.getTime() > now.getTime() ? [`现在是休息时间，催报将于 ${beijingDateTime(at)} 发出。`] : [];
  return {
    cards: [
      lines.length
        ? noticeCard('催报已安排', [`${b.unit.name} 联络员 ${who.name}：${lines[0]}`], 'blue')
        : nudgeSentCard({ unitName: b.unit.name, recipientName: who.name, recipientRole: who.role }),
    ],
    notify: [
      {
        openId: who.openId,
        dedupeKey: `nudge-${key}`,
        ...(at.getTime() > now.getTime() ? { notBefore: at } : {}),
        card: reminderCard({
          reportId: b.report.id,
          cycleName: b.cycle.name,
          periodLabel: periodLabel(b.cycle.frequency, b.period.periodKey),
          unitName: b.unit.name,
          dueText: dueTextOf(b),
          missing,
          kind: late ? 'overdue' : 'reminder',
          recipientRole: who.role,
        }),
      },
    ],
  };
}

/** 延期 <unit> <date>: the unit's own deadline; its reminders and escalations follow it. */
export async function extend(deps: DeskDeps, actor: Actor, unitText: string, date: string): Promise<DeskReply> {
  if (!isOrganiser(actor)) return ORGANISERS_ONLY('延期');
  const found = await findUnit(deps.prisma, unitText);
  if (!found.ok) return notice('未找到单位', [found.message], 'orange');
  const b = await openReportOfUnit(deps.prisma, found.unit.id);
  if (!b) return notice('无法延期', [`${found.unit.name} 当前没有开放的报送。`], 'grey');
  const now = deps.clock.now();
  if (date < beijingDateOf(now)) return notice('延期日期有误', [`${date} 已经过去，请给出今天或以后的日期，例如「延期 ${found.unit.name} 12月18日」。`], 'orange');
  const cal = await loadWorkCalendar(deps.prisma);
  try {
    if (!cal.isWorkday(date)) return notice('延期日期有误', [`${date} 不是工作日，请选择一个工作日作为新的截止日。`], 'orange');
  } catch (err) {
    if (err instanceof MissingCalendarError) return notice('缺少工作日历', [err.message], 'orange');
    throw err;
  }
  const oldDue = dueTextOf(b);
  await deps.prisma.$transaction(async (tx) => {
    await tx.unitReport.update({ where: { id: b.report.id }, data: { extendedDueDate: asDate(date) } });
    await tx.auditLog.create({
      data: { at: now, actorId: actor.personId, action: 'report.extend', entity: 'UnitReport', entityId: b.report.id, data: { unit: b.unit.code, period: b.period.periodKey, from: dayOf(b.report.extendedDueDate ?? b.period.dueDate), to: date } },
    });
  });
  const fresh = (await loadReport(deps.prisma, b.report.id))!;
  const view = { unitName: b.unit.name, periodLabel: periodLabel(b.cycle.frequency, b.period.periodKey), oldDue, newDue: dueTextOf(fresh), grantedBy: actor.name };
  const who = (await responsiblePeople(deps.prisma, [b.unit.id], asDate(beijingDateOf(now)))).get(b.unit.id);
  return {
    cards: [extensionCard(view)],
    notify: who?.openId ? [{ openId: who.openId, card: extensionCard(view), dedupeKey: `extend-${b.report.id}-${date}` }] : [],
    replan: [b.cycle.code],
  };
}

/** 预览 <cycle> [period]: every time the cycle will act, so nobody has to guess. */
export async function preview(deps: DeskDeps, cycleText: string | undefined, key: string | undefined): Promise<DeskReply> {
  const cycles = await deps.prisma.reportingCycle.findMany({ where: { active: true }, orderBy: { code: 'asc' } });
  const chosen = cycleText ? cycles.filter((c) => c.code === cycleText || c.name === cycleText || c.name.includes(cycleText)) : cycles;
  if (!chosen.length) return notice('没有找到报送周期', [`没有「${cycleText}」这个报送周期。可选：${cycles.map((c) => `${c.name}（${c.code}）`).join('、')}`], 'orange');
  const cal = await loadWorkCalendar(deps.prisma);
  const cards: Card[] = [];
  for (const c of chosen) {
    const rule = cycleRuleOf(c);
    try {
      const k = key && isPeriodKey(c.frequency, key) ? key : currentPeriodKey(rule, deps.clock.now(), cal);
      cards.push(schedulePreviewCard({ cycleName: c.name, periodLabel: periodLabel(c.frequency, k), lines: formatSchedule(rule, periodSchedule(rule, k, cal), cal) }));
    } catch (err) {
      if (!(err instanceof MissingCalendarError)) throw err;
      cards.push(noticeCard(`${c.name}：缺少工作日历`, [err.message], 'orange'));
    }
  }
  return { cards };
}

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

/** 关闭报送 [period]: later edits need approval; reminders and escalations of the period stop. */
export async function closePeriod(deps: DeskDeps, actor: Actor, key?: string): Promise<DeskReply> {
  if (!isOrganiser(actor)) return ORGANISERS_ONLY('关闭报送');
  const now = deps.clock.now();
  const found = (await periodsFor(deps.prisma, now, key)).filter((f) => f.period.status === 'OPEN');
  if (!found.length) return notice('没有可关闭的报送', ['没有正在进行的报送期。'], 'grey');
  const lines: string[] = [];
  for (const { cycle, period } of found) {
    await deps.prisma.$transaction(async (tx) => {
      await tx.reportingPeriod.update({ where: { id: period.id }, data: { status: 'CLOSED', closedAt: now } });
      await tx.auditLog.create({ data: { at: now, actorId: actor.personId, action: 'period.close', entity: 'ReportingPeriod', entityId: period.id, data: { cycle: cycle.code, period: period.periodKey } } });
    });
    const missing = await deps.prisma.unitReport.count({ where: { periodId: period.id, status: 'PENDING' } });
    lines.push(`${cycle.name} ${periodLabel(cycle.frequency, period.periodKey)} 已关闭${missing ? `，${missing} 个单位未完成报送` : ''}。`);
  }
  lines.push('此后的修改需经例会办公室审批。各项指标的预警灯正在按本期数据全面评定。');
  return { ...notice('报送已关闭', lines, 'green'), replan: found.map((f) => f.cycle.code), evaluate: found.map((f) => ({ periodId: f.period.id })) };
}

/** 导出 [period]: the period's submissions as an Excel workbook in the office's layout. */
export async function exportPeriod(deps: DeskDeps, actor: Actor, key?: string): Promise<DeskReply> {
  if (!isOrganiser(actor)) return ORGANISERS_ONLY('导出');
  const now = deps.clock.now();
  const found = await periodsFor(deps.prisma, now, key);
  const first = found.find((f) => f.cycle.code === 'monthly') ?? found[0];
  if (!first) return notice('没有找到报送期', [`没有 ${key ?? '当前'} 的报送记录。请按「导出 2026-11」的格式发送。`], 'grey');
  const { cycle, period } = first;
  const reports = await deps.prisma.unitReport.findMany({ where: { periodId: period.id }, include: { unit: true }, orderBy: [{ unit: { sortOrder: 'asc' } }, { unit: { code: 'asc' } }] });
  const figures = await figuresInForce(deps.prisma, [period.id]);
  const people = new Map((await deps.prisma.person.findMany({ select: { id: true, name: true } })).map((p) => [p.id, p.name]));
  const targets = await deps.prisma.target.findMany({ where: { year: Number(period.periodKey.slice(0, 4)), active: true } });
  const rows: ExportRow[] = [];
  const sections: { unitName: string; enterpriseCoverage: string | null; keyWork: string | null }[] = [];
  for (const r of reports) {
    const late = r.firstSubmittedAt ? r.firstSubmittedAt > deadlineOf(cycle, dayOf(r.extendedDueDate ?? period.dueDate)) : now > deadlineOf(cycle, dayOf(r.extendedDueDate ?? period.dueDate));
    for (const ind of await assignedIndicators(deps.prisma, cycle.id, r.unitId, period.periodKey)) {
      const f = figures.get(figureKey(period.id, r.unitId, ind.id));
      rows.push({
        unitName: r.unit.name,
        unitCode: r.unit.code,
        indicatorName: ind.name,
        indicatorCode: ind.code,
        measureUnit: ind.measureUnit,
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
    const sec = await deps.prisma.reportRevision.findFirst({ where: { reportId: r.id, OR: [{ enterpriseCoverage: { not: null } }, { keyWork: { not: null } }] }, orderBy: { revisionNo: 'desc' } });
    if (sec) sections.push({ unitName: r.unit.name, enterpriseCoverage: sec.enterpriseCoverage, keyWork: sec.keyWork });
  }
  const city = await deps.prisma.unit.findFirst({ where: { kind: 'CITY', active: true } });
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
    cards: [noticeCard('报送汇总已导出', [`${cycle.name} ${label}：${reports.length} 个单位，已完成 ${submitted} 个。`, `共 ${rows.length} 行指标数据，${rows.filter((r) => r.value !== null).length} 行已填报。Excel 文件随后发送。`], 'green')],
    file: { fileName: `${cycle.name}-${period.periodKey}.xlsx`, bytes },
  };
}

