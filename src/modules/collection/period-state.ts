// Domain: closing and reopening a reporting period safely. 关闭报送 / 重新开放 name a cycle and period
// (or get the list of those that fit); a confirmation card shows the units outstanding and extended and
// warns before the deadline; only 确认 acts. A card is made for a round (how many times the period went
// the other way before), so a confirmation left over from before a reopen cannot close it again. After
// the change a follow-up job tells the outstanding units and turns their unsubmitted form cards.
import type { Prisma, ReportingCycle, ReportingPeriod } from '../../generated/prisma/client.ts';
import type { PrismaClient, Tx } from '../../platform/prisma.ts';
import { beijingDateTime } from '../../platform/business-time.ts';
import { addOutbound } from '../../outbox/outbox.service.ts';
import { addFollowUp } from '../../outbox/follow-ups.ts';
import { noticeCard } from '../../../cards/collection-admin.ts';
import { periodChoiceCard, periodConfirmCard, MAX_CHOICES, type ConfirmState, type PeriodAction, type PeriodChoice, type PeriodConfirmView } from '../../../cards/collection-close.ts';
import { beijingDateOf } from '../calendar/work-calendar.ts';
import type { CollectionCard, CollectionMessage } from '../../commands/command.ts';
import type { Outcome, UseCase, UseCaseContext } from '../shared/outcome.ts';
import { asDate, dayOf } from '../shared/dates.ts';
import { evaluateLater, reply } from '../shared/results.ts';
import { isOrganiser } from '../shared/roles.ts';
import { rankLater } from '../meetings/ranking.ts';
import { periodLabel } from './schedule.ts';
import { loadReport, responsiblePeople, unitContexts } from './collection.repo.ts';
import { deadlineOf, dueTextOf } from './deadlines.ts';
import { formCardsOf, pagesOf } from './form-cards.ts';
import { addReminder, missingIndicators, type StepDeps } from './reminders.ts';

type Db = PrismaClient | Tx;
type Msg<K extends CollectionMessage['kind']> = Extract<CollectionMessage, { kind: K }>;
type CardCmd<K extends CollectionCard['kind']> = Extract<CollectionCard, { kind: K }>;
type Found = { cycle: ReportingCycle; period: ReportingPeriod };

const AUDIT = { close: 'period.close', reopen: 'period.reopen' } as const;
/** The status a period must have to be closed / reopened, and the one it gets. */
const FROM = { close: 'OPEN', reopen: 'CLOSED' } as const;
const TO = { close: 'CLOSED', reopen: 'OPEN' } as const;
const VERB = { close: '关闭', reopen: '重新开放' } as const;
const COMMAND = { close: '关闭报送', reopen: '重新开放' } as const;
const other = (a: PeriodAction): PeriodAction => (a === 'close' ? 'reopen' : 'close');
const notice = (title: string, lines: string[], template: Parameters<typeof noticeCard>[2] = 'blue'): Outcome => reply(noticeCard(title, lines, template));
const json = (x: unknown) => x as Prisma.InputJsonValue;
const label = (f: Found) => `${f.cycle.name} ${periodLabel(f.cycle.frequency, f.period.periodKey)}`;

/** How many times the period went the other way before: the round a confirmation card is made for. */
export async function roundOf(db: Db, periodId: string, action: PeriodAction): Promise<number> {
  return db.auditLog.count({ where: { entity: 'ReportingPeriod', entityId: periodId, action: AUDIT[other(action)] } });
}

async function lastDone(db: Db, periodId: string, action: PeriodAction) {
  return db.auditLog.findFirst({ where: { entity: 'ReportingPeriod', entityId: periodId, action: AUDIT[action] }, orderBy: { id: 'desc' }, include: { actor: true } });
}

/** The cycles a text names: its code or name exactly, else those whose name starts with it, else contains it. */
function cyclesNamed(cycles: ReportingCycle[], text: string): ReportingCycle[] {
  const exact = cycles.filter((c) => c.code === text || c.name === text);
  if (exact.length) return exact;
  const starts = cycles.filter((c) => c.name.startsWith(text));
  return starts.length ? starts : cycles.filter((c) => c.name.includes(text));
}

/** The periods 关闭报送 / 重新开放 may mean, or why there is none. */
async function candidates(db: Db, action: PeriodAction, cmd: { cycle?: string; period?: string }): Promise<{ found: Found[] } | { answer: Outcome }> {
  const cycles = await db.reportingCycle.findMany({ where: { active: true }, orderBy: { code: 'asc' } });
  const chosen = cmd.cycle ? cyclesNamed(cycles, cmd.cycle) : cycles;
  if (!chosen.length) return { answer: notice('没有找到报送周期', [`没有「${cmd.cycle}」这个报送周期。可选：${cycles.map((c) => c.name).join('、')}。`, `例如「${COMMAND[action]} ${cycles[0]?.name ?? '月度经济运行报送'} 2026-11」。`], 'orange') };
  const byId = new Map(chosen.map((c) => [c.id, c]));
  const periods = await db.reportingPeriod.findMany({
    where: { cycleId: { in: chosen.map((c) => c.id) }, status: FROM[action], ...(cmd.period ? { periodKey: cmd.period } : {}) },
    orderBy: [{ dueDate: 'desc' }],
    take: 200,
  });
  // Reopen without a period: the latest three closed of each cycle, not years of history.
  const shown = new Map<string, number>();
  const kept = periods.filter((p) => {
    if (action === 'close' || cmd.period) return true;
    shown.set(p.cycleId, (shown.get(p.cycleId) ?? 0) + 1);
    return shown.get(p.cycleId)! <= 3;
  });
  const found = kept.map((period) => ({ cycle: byId.get(period.cycleId)!, period }));
  if (found.length) return { found };
  if (!cmd.period) {
    return { answer: notice(action === 'close' ? '没有可关闭的报送' : '没有可重新开放的报送', [action === 'close' ? '目前没有正在进行的报送。' : '目前没有已关闭的报送。'], 'grey') };
  }
  const elsewhere = await db.reportingPeriod.findFirst({ where: { cycleId: { in: chosen.map((c) => c.id) }, periodKey: cmd.period }, include: { cycle: true } });
  if (!elsewhere) return { answer: notice('没有找到报送期', [`没有 ${cmd.period} 的报送记录。请按「${COMMAND[action]} 月度经济运行报送 2026-11」的格式发送，或只发「${COMMAND[action]}」从列表中选择。`], 'orange') };
  const name = label({ cycle: elsewhere.cycle, period: elsewhere });
  if (elsewhere.status === 'PLANNED') return { answer: notice('报送尚未开始', [`${name} 的报送尚未开始，无法${VERB[action]}。`], 'grey') };
  if (action === 'close') return { answer: notice('报送已关闭', [`${name} 的报送已经关闭${elsewhere.closedAt ? `（${beijingDateTime(elsewhere.closedAt)}）` : ''}。`, `如需恢复报送，请发送「重新开放 ${elsewhere.cycle.name} ${elsewhere.periodKey}」。`], 'grey') };
  return { answer: notice('报送正在进行', [`${name} 的报送正在进行，无需重新开放。`], 'grey') };
}

/** The confirmation card's view: counts from the report rows as they stand now. */
async function confirmView(db: Db, now: Date, f: Found, action: PeriodAction, state: ConfirmState, round: number): Promise<PeriodConfirmView> {
  const { cycle, period } = f;
  const reports = await db.unitReport.findMany({ where: { periodId: period.id }, include: { unit: { select: { name: true } } }, orderBy: [{ unit: { sortOrder: 'asc' } }, { unit: { code: 'asc' } }] });
  const subs = await db.submission.groupBy({ by: ['unitId'], where: { periodId: period.id }, _count: { _all: true } });
  const have = new Set(subs.map((s) => s.unitId));
  const outstanding = reports.filter((r) => r.status !== 'SUBMITTED');
  const extended = outstanding.filter((r) => r.extendedDueDate && now < deadlineOf(cycle, dayOf(r.extendedDueDate)));
  const due = dayOf(period.dueDate);
  const today = beijingDateOf(now);
  const days = Math.round((asDate(due).getTime() - asDate(today).getTime()) / 86_400_000);
  const view: PeriodConfirmView = {
    action,
    periodId: period.id,
    round,
    cycleName: cycle.name,
    periodLabel: periodLabel(cycle.frequency, period.periodKey),
    dueText: dueTextOf({ period, cycle }),
    total: reports.length,
    submitted: reports.length - outstanding.length,
    outstanding: outstanding.length,
    partly: outstanding.filter((r) => have.has(r.unitId)).length,
    outstandingNames: outstanding.map((r) => r.unit.name),
    extended: extended.map((r) => `${r.unit.name}（至 ${dueTextOf({ report: r, period, cycle }).replace(/^已延期至 /, '')}）`),
    daysBeforeDeadline: now < deadlineOf(cycle, due) ? days : null,
    ...(period.closedAt ? { closedText: beijingDateTime(period.closedAt) } : {}),
    ranks: cycle.frequency === 'MONTHLY',
    state,
  };
  if (state === 'done') {
    const done = await lastDone(db, period.id, action);
    if (done) Object.assign(view, { doneBy: done.actor?.name ?? '例会办公室', doneAt: beijingDateTime(done.at) });
  }
  return view;
}

async function choiceOf(db: Db, f: Found, action: PeriodAction): Promise<PeriodChoice> {
  const [total, outstanding] = await Promise.all([db.unitReport.count({ where: { periodId: f.period.id } }), db.unitReport.count({ where: { periodId: f.period.id, status: { not: 'SUBMITTED' } } })]);
  return {
    periodId: f.period.id,
    cycleName: f.cycle.name,
    periodLabel: periodLabel(f.cycle.frequency, f.period.periodKey),
    when: action === 'close' ? `截止 ${dueTextOf(f)}` : `${f.period.closedAt ? beijingDateTime(f.period.closedAt) : ''} 关闭`.trim(),
    outstanding,
    total,
  };
}

const ORGANISERS_ONLY = (what: string) => notice('无权操作', [`「${what}」仅供经济运行例会办公室使用。`], 'grey');

async function askWhich(ctx: UseCaseContext, action: PeriodAction, cmd: { cycle?: string; period?: string }): Promise<Outcome> {
  if (!isOrganiser(ctx.actor)) return ORGANISERS_ONLY(COMMAND[action]);
  const c = await candidates(ctx.tx, action, cmd);
  if ('answer' in c) return c.answer;
  if (c.found.length === 1) {
    const f = c.found[0]!;
    return reply(periodConfirmCard(await confirmView(ctx.tx, ctx.now, f, action, 'ask', await roundOf(ctx.tx, f.period.id, action))));
  }
  const periods: PeriodChoice[] = [];
  for (const f of c.found.slice(0, MAX_CHOICES + 1)) periods.push(await choiceOf(ctx.tx, f, action));
  return reply(periodChoiceCard({ action, periods }));
}

/** 关闭报送 [周期] [期别]: the confirmation card (or the list of open periods to choose from). */
export const closePeriod: UseCase<Msg<'period.close'>> = (cmd, ctx) => askWhich(ctx, 'close', cmd);

/** 重新开放 [周期] [期别]: the confirmation card (or the list of recently closed periods). */
export const reopenPeriod: UseCase<Msg<'period.reopen'>> = (cmd, ctx) => askWhich(ctx, 'reopen', cmd);

async function loadFound(db: Db, periodId: string): Promise<Found | null> {
  const p = await db.reportingPeriod.findUnique({ where: { id: periodId }, include: { cycle: true } });
  if (!p) return null;
  const { cycle, ...period } = p;
  return { cycle, period };
}

const expired: Outcome = { toast: { type: 'warning', content: '这张卡片已过期，请重新发送「关闭报送」或「重新开放」。' } };
const refused = (action: PeriodAction): Outcome => ({ toast: { type: 'error', content: `只有经济运行例会办公室可以${VERB[action]}报送。` } });

/** A period picked on the list: its confirmation card in place of the list. */
export const pickPeriod: UseCase<CardCmd<'period.pick'>> = async (cmd, ctx) => {
  if (!isOrganiser(ctx.actor)) return refused(cmd.action);
  const f = await loadFound(ctx.tx, cmd.periodId);
  if (!f) return expired;
  if (f.period.status === TO[cmd.action]) {
    return { toast: { type: 'info', content: `${label(f)} 已${VERB[cmd.action]}` }, card: periodConfirmCard(await confirmView(ctx.tx, ctx.now, f, cmd.action, 'done', 0)) };
  }
  if (f.period.status !== FROM[cmd.action]) return { toast: { type: 'warning', content: `${label(f)} 的报送尚未开始，无法${VERB[cmd.action]}。` } };
  return { toast: { type: 'info', content: `请核对后确认${VERB[cmd.action]}` }, card: periodConfirmCard(await confirmView(ctx.tx, ctx.now, f, cmd.action, 'ask', await roundOf(ctx.tx, f.period.id, cmd.action))) };
};

/** 取消 on the confirmation card: nothing changes; the card says so. */
export const cancelPeriodChange: UseCase<CardCmd<'period.cancel'>> = async (cmd, ctx) => {
  if (!isOrganiser(ctx.actor)) return refused(cmd.action);
  const f = await loadFound(ctx.tx, cmd.periodId);
  if (!f) return expired;
  if (f.period.status === TO[cmd.action]) {
    return { toast: { type: 'info', content: `${label(f)} 已${VERB[cmd.action]}，如需恢复请发送「${COMMAND[other(cmd.action)]}」` }, card: periodConfirmCard(await confirmView(ctx.tx, ctx.now, f, cmd.action, 'done', 0)) };
  }
  await ctx.tx.auditLog.create({ data: { at: ctx.now, actorId: ctx.actor.personId, action: `${AUDIT[cmd.action]}.cancel`, entity: 'ReportingPeriod', entityId: f.period.id, data: { cycle: f.cycle.code, period: f.period.periodKey } } });
  return { toast: { type: 'info', content: `已取消，${label(f)} 未${VERB[cmd.action]}` }, card: periodConfirmCard(await confirmView(ctx.tx, ctx.now, f, cmd.action, 'cancelled', 0)) };
};

/** 确认关闭 / 确认重新开放: acts once; a second click, or one from a card of an earlier round, is answered and changes nothing. */
export const confirmPeriodChange: UseCase<CardCmd<'period.confirm'>> = async (cmd, ctx) => {
  const { tx, now, actor } = ctx;
  if (!isOrganiser(actor)) return refused(cmd.action);
  const f = await loadFound(tx, cmd.periodId);
  if (!f) return expired;
  const verb = VERB[cmd.action];
  const round = await roundOf(tx, f.period.id, cmd.action);
  const done = async (): Promise<Outcome> => {
    const view = await confirmView(tx, now, f, cmd.action, 'done', round);
    return { toast: { type: 'info', content: `${label(f)} 的报送已由 ${view.doneBy ?? '例会办公室'} 于 ${view.doneAt ?? ''} ${verb}` }, card: periodConfirmCard(view) };
  };
  if (f.period.status === TO[cmd.action] && round === cmd.round) return done();
  if (round !== cmd.round) {
    return { toast: { type: 'warning', content: `这张确认卡片已失效：${label(f)} 在此之后已${VERB[other(cmd.action)]}过，请重新发送「${COMMAND[cmd.action]}」。` }, card: periodConfirmCard(await confirmView(tx, now, f, cmd.action, 'stale', cmd.round)) };
  }
  if (f.period.status !== FROM[cmd.action]) return { toast: { type: 'warning', content: `${label(f)} 的报送尚未开始，无法${verb}。` } };
  // The counts as they were when it changed, for the card and the audit log.
  const before = await confirmView(tx, now, f, cmd.action, 'done', round);
  const firstClose = cmd.action === 'close' && (await tx.auditLog.count({ where: { entity: 'ReportingPeriod', entityId: f.period.id, action: AUDIT.close } })) === 0;
  // Conditional on the status: of two organisers confirming at once, one changes it, the other is told.
  const changed = await tx.reportingPeriod.updateMany({
    where: { id: f.period.id, status: FROM[cmd.action] },
    data: cmd.action === 'close' ? { status: 'CLOSED', closedAt: now } : { status: 'OPEN', closedAt: null },
  });
  if (changed.count === 0) return done();
  await tx.auditLog.create({
    data: {
      at: now,
      actorId: actor.personId,
      action: AUDIT[cmd.action],
      entity: 'ReportingPeriod',
      entityId: f.period.id,
      data: { cycle: f.cycle.code, period: f.period.periodKey, round, units: before.total, outstanding: before.outstanding, partly: before.partly, extended: before.extended.length, daysBeforeDeadline: before.daysBeforeDeadline },
    },
  });
  const change = cmd.action === 'close' ? 'closed' : 'reopened';
  await addFollowUp(tx, { name: 'collection.plan.v1', payload: { cycle: f.cycle.code }, jobId: `plan-${f.cycle.code}-${ctx.origin.key}` });
  await addFollowUp(tx, { name: 'collection.period-state.v1', payload: { periodId: f.period.id, change, round }, jobId: `pstate-${f.period.id}-${change}-${round}` });
  if (cmd.action === 'close') {
    await evaluateLater(ctx, { periodId: f.period.id }, `close-${f.period.id}-${ctx.origin.key}`);
    // The seats and the draft 约谈 list come with the first close; a close after a reopen re-ranks only.
    await rankLater(tx, f.period.id, { key: ctx.origin.key, atClose: firstClose });
  }
  const view: PeriodConfirmView = { ...before, state: 'done', doneBy: actor.name, doneAt: beijingDateTime(now), ...(cmd.action === 'reopen' ? {} : { closedText: beijingDateTime(now) }) };
  const tail = before.outstanding ? `，${before.outstanding} 个未完成单位的联络员将收到通知` : '';
  return { toast: { type: 'success', content: `已${verb} ${label(f)} 的报送${tail}` }, card: periodConfirmCard(view) };
};

/**
 * After a close or a reopen ('collection.period-state.v1'): each unit not done hears of it (报送已关闭 with
 * 申请补报, or 报送已重新开放 with 立即填报), and its form cards still unsubmitted turn to match. Nothing
 * when the period has changed again since (a later round has its own job). One transaction per unit.
 */
export async function announcePeriodState(deps: StepDeps, p: { periodId: string; change: 'closed' | 'reopened'; round: number }): Promise<string[]> {
  const action: PeriodAction = p.change === 'closed' ? 'close' : 'reopen';
  const f = await loadFound(deps.prisma, p.periodId);
  if (!f || f.period.status !== TO[action] || (await roundOf(deps.prisma, p.periodId, action)) !== p.round) return [];
  const now = deps.clock.now();
  const reports = await deps.prisma.unitReport.findMany({ where: { periodId: p.periodId, status: 'PENDING' }, select: { id: true, unitId: true } });
  const people = await responsiblePeople(deps.prisma, reports.map((r) => r.unitId), asDate(beijingDateOf(now)));
  const ids: string[] = [];
  for (const r of reports) {
    const b = (await loadReport(deps.prisma, r.id))!;
    const who = people.get(r.unitId);
    const missing = await missingIndicators(deps.prisma, b);
    const partly = (await deps.prisma.submission.count({ where: { periodId: p.periodId, unitId: r.unitId } })) > 0;
    const prefix = `card-${r.id}-p`;
    const sent = await deps.prisma.outboundMessage.findMany({ where: { dedupeKey: { startsWith: prefix }, status: 'SENT', feishuMessageId: { not: null } }, select: { dedupeKey: true, feishuMessageId: true } });
    // Only pages with nothing submitted turn: a page that became a receipt stays one.
    const blankPages = new Set<number>();
    let cards: Awaited<ReturnType<typeof formCardsOf>> = [];
    if (sent.length) {
      const ctx = await unitContexts(deps.prisma, b);
      for (const [i, rows] of pagesOf(ctx).entries()) if (!rows.some((c) => ctx.current.has(c.code))) blankPages.add(i + 1);
      cards = await formCardsOf(deps.prisma, b);
    }
    await deps.prisma.$transaction(async (tx) => {
      if (who?.openId) {
        const row = await addReminder(tx, `pstate-${p.periodId}-${p.change}-${p.round}-${r.unitId}`, { openId: who.openId, role: who.role }, b, { reportId: r.id, missing, kind: p.change, partly });
        if (row.created) ids.push(row.id);
      }
      for (const m of sent) {
        const page = Number(m.dedupeKey.slice(prefix.length));
        const card = cards[page - 1];
        if (!card || !blankPages.has(page)) continue;
        const row = await addOutbound(tx, { kind: 'UPDATE_CARD', dedupeKey: `${m.dedupeKey}-${p.change}-${p.round}`, targetMessageId: m.feishuMessageId!, content: json(card) });
        if (row.created) ids.push(row.id);
      }
    });
  }
  return ids;
}
