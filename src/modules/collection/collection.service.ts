// Domain: collection — opening a period (one card per unit, to its liaison or backup), card submissions
// stored as immutable revisions before the officer is told, edits, late edits awaiting approval.
import { randomUUID } from 'node:crypto';
import { Prisma } from '../../generated/prisma/client.ts';
import type { PrismaClient, Tx } from '../../platform/prisma.ts';
import type { Clock } from '../../platform/clock.ts';
import { beijingDateTime } from '../../platform/business-time.ts';
import { addOutbound } from '../../outbox/outbox.service.ts';
import { organisers, type Actor } from '../people/people.service.ts';
import {
  collectionFormCard,
  fieldNames,
  paginate,
  UNIT_FIELDS,
  type CollectionFormView,
  type FormIndicatorRow,
} from '../../../cards/collection-form.ts';
import { collectionReceiptCard } from '../../../cards/collection-status.ts';
import { editRequestCard, noticeCard } from '../../../cards/collection-admin.ts';
import type { Card } from '../../../cards/card.ts';
import { periodLabel } from './schedule.ts';
import { weekdayName } from '../calendar/work-calendar.ts';
import { loadReport, unitContexts, formatValue, formatGrowth, assignedIndicators, figuresInForce, figureKey, type ReportBundle, type UnitContexts } from './collection.repo.ts';
import { validatePage, type RawEntry, type ValidFigure } from './validate.ts';

type Db = PrismaClient | Tx;
export interface CollectionDeps {
  prisma: PrismaClient;
  clock: Clock;
}

export interface Toast {
  type: 'info' | 'success' | 'warning' | 'error';
  content: string;
}
export interface CardAnswer {
  toast: Toast;
  card?: Card;
  /** Outbox rows to deliver once committed. */
  outbound?: string[];
  /** Figures changed: the lights to evaluate (their unit's sibling groups). */
  evaluate?: LightsRequest;
}

export interface LightsRequest {
  periodId: string;
  indicatorIds?: string[];
  unitIds?: string[];
}

export const dayOf = (d: Date) => d.toISOString().slice(0, 10);
/** A business date as PostgreSQL's DATE reads it. */
export const asDate = (date: string) => new Date(`${date}T00:00:00Z`);

/** '12月15日（周二）18:00 前', or '已延期至 …' after an extension. */
export function dueTextOf(b: { report?: { extendedDueDate: Date | null }; period: { dueDate: Date }; cycle: { dueHour: number } }): string {
  const extended = b.report?.extendedDueDate ?? null;
  const date = dayOf(extended ?? b.period.dueDate);
  const text = `${Number(date.slice(5, 7))}月${Number(date.slice(8))}日（${weekdayName(date)}）${String(b.cycle.dueHour).padStart(2, '0')}:00 前`;
  return extended ? `已延期至 ${text}` : text;
}

export const effectiveDueDate = (b: Pick<ReportBundle, 'report' | 'period'>) => dayOf(b.report.extendedDueDate ?? b.period.dueDate);

// ───────────────────────────── Who may act ─────────────────────────────

export type Standing = { ok: true; onBehalf: boolean } | { ok: false; message: string };

/** Only the unit's liaison, backup or head may submit for it; an organiser may, on its behalf. */
export function standingFor(actor: Actor, unitId: string, unitName: string): Standing {
  if (actor.roles.some((r) => r.unitId === unitId && r.role !== 'ORGANISER')) return { ok: true, onBehalf: false };
  if (actor.roles.some((r) => r.role === 'ORGANISER')) return { ok: true, onBehalf: true };
  return { ok: false, message: `您不是${unitName}的联络员、备用联络员或主要负责人，不能为该单位报送。如需代报，请联系经济运行例会办公室。` };
}

export const isOrganiser = (actor: Actor) => actor.roles.some((r) => r.role === 'ORGANISER');

// ───────────────────────────── Cards ─────────────────────────────

type Mode = CollectionFormView['mode'];

function pageOf(ctx: UnitContexts, page: number) {
  const pages = paginate(ctx.contexts);
  return { pages, rows: pages[page - 1] ?? [] };
}

function modeOf(b: ReportBundle, ctx: UnitContexts, codes: string[]): Mode {
  if (b.period.status === 'CLOSED') return 'late-edit';
  return codes.some((c) => ctx.current.has(c)) ? 'edit' : 'new';
}

/** The form for one page: figures in force as defaults (for an edit), or what was typed after a rejection. */
export function formCard(
  b: ReportBundle,
  ctx: UnitContexts,
  page: number,
  opts: {
    entered?: Record<string, RawEntry>;
    errors?: Map<string, string[]>;
    outliers?: Map<string, string>;
    messages?: string[];
    unitSections?: { enterpriseCoverage?: string; keyWork?: string };
    reason?: string;
    confirmReason?: string;
    onBehalfOf?: string;
  } = {},
): Card {
  const { pages, rows } = pageOf(ctx, page);
  const codes = rows.map((r) => r.code);
  const indicators: FormIndicatorRow[] = rows.map((c) => {
    const cur = ctx.current.get(c.code);
    const d = ctx.display.get(c.code);
    const entered: RawEntry = opts.entered?.[c.code] ?? {
      ...(cur
        ? {
            value: cur.value,
            ...(cur.growthPct !== null ? { growth: cur.growthPct } : {}),
            ...(cur.problems ? { problems: cur.problems } : {}),
            ...(cur.forecast ? { forecast: cur.forecast } : {}),
            ...(cur.measures ? { measures: cur.measures } : {}),
          }
        : {}),
    };
    return {
      code: c.code,
      name: c.name,
      measureUnit: c.measureUnit,
      valueKind: c.valueKind,
      growthBasis: c.growthBasis,
      last: d?.last ?? null,
      target: d?.target ?? null,
      cityAverage: d?.cityAverage ?? null,
      entered,
      errors: opts.errors?.get(c.code) ?? [],
      ...(opts.outliers?.has(c.code) ? { outlier: opts.outliers.get(c.code)! } : {}),
    };
  });
  return collectionFormCard({
    reportId: b.report.id,
    page,
    pageCount: Math.max(1, pages.length),
    cycleName: b.cycle.name,
    periodLabel: periodLabel(b.cycle.frequency, b.period.periodKey),
    unitName: b.unit.name,
    dueText: dueTextOf(b),
    mode: modeOf(b, ctx, codes),
    indicators,
    unitSections: page === pages.length ? (opts.unitSections ?? {}) : null,
    messages: opts.messages ?? [],
    needsConfirmation: (opts.outliers?.size ?? 0) > 0,
    ...(opts.reason ? { reason: opts.reason } : {}),
    ...(opts.confirmReason ? { confirmReason: opts.confirmReason } : {}),
    ...(opts.onBehalfOf ? { onBehalfOf: opts.onBehalfOf } : {}),
  });
}

/** Latest unit-level sections, shown again on an edit. */
async function currentSections(db: Db, reportId: string) {
  const r = await db.reportRevision.findFirst({
    where: { reportId, OR: [{ enterpriseCoverage: { not: null } }, { keyWork: { not: null } }] },
    orderBy: { revisionNo: 'desc' },
  });
  return { ...(r?.enterpriseCoverage ? { enterpriseCoverage: r.enterpriseCoverage } : {}), ...(r?.keyWork ? { keyWork: r.keyWork } : {}) };
}

/** Every page of a unit's form, as it stands now. */
export async function formCards(db: Db, reportId: string): Promise<Card[]> {
  const b = await loadReport(db, reportId);
  if (!b) return [];
  const ctx = await unitContexts(db, b);
  const sections = await currentSections(db, reportId);
  const pages = Math.max(1, paginate(ctx.contexts).length);
  return Array.from({ length: pages }, (_, i) => formCard(b, ctx, i + 1, { unitSections: sections }));
}

async function receiptCard(
  db: Db,
  b: ReportBundle,
  ctx: UnitContexts,
  page: number,
  changes: Map<string, string>,
  known?: { revisionNo: number; submittedAt: Date; submittedBy: { name: string } },
): Promise<Card> {
  const { pages, rows } = pageOf(ctx, page);
  const last = known ?? (await db.reportRevision.findFirst({ where: { reportId: b.report.id }, orderBy: { revisionNo: 'desc' }, include: { submittedBy: true } }));
  const submitted = new Set(ctx.current.keys());
  const pendingPages = pages.filter((p) => p.some((c) => !submitted.has(c.code))).length;
  return collectionReceiptCard({
    reportId: b.report.id,
    page,
    pageCount: Math.max(1, pages.length),
    cycleName: b.cycle.name,
    periodLabel: periodLabel(b.cycle.frequency, b.period.periodKey),
    unitName: b.unit.name,
    submittedBy: last?.submittedBy?.name ?? '—',
    submittedAt: last ? beijingDateTime(last.submittedAt) : '—',
    revisionNo: last?.revisionNo ?? 0,
    figures: rows.map((c) => {
      const f = ctx.current.get(c.code);
      return {
        name: c.name,
        value: f ? `${formatValue(f.value, c.decimals)} ${c.measureUnit}` : '未填报',
        growth: f ? formatGrowth(f.growthPct) : null,
        ...(changes.has(c.code) ? { changed: changes.get(c.code)! } : {}),
      };
    }),
    pendingPages,
    editable: b.period.status !== 'CLOSED',
  });
}

// ───────────────────────────── Storing ─────────────────────────────

export interface StoreInput {
  bundle: ReportBundle;
  figures: ValidFigure[];
  sections?: { enterpriseCoverage: string | null; keyWork: string | null };
  page: number;
  actorId: string | null;
  onBehalf: boolean;
  reason: string | null;
  requestKey: string;
  vintage: 'FLASH' | 'OFFICIAL';
  now: Date;
  action: string;
  /** The unit's assigned indicators, when the caller has them already. */
  assignedIds?: string[];
}

/** 'a → b' for each figure whose value changed: the receipt shows the old value beside the new one. */
export type Changes = Map<string, string>;

const sameText = (a: string | null | undefined, b: string | null | undefined) => (a ?? null) === (b ?? null);

/**
 * Writes a revision for each figure that differs from the one in force (never overwriting), one
 * unit-level revision for a card submission, the report's status, and the audit entry.
 */
export async function storeFigures(tx: Tx, s: StoreInput): Promise<Changes> {
  const { bundle: b } = s;
  const changes: Changes = new Map();
  const inForce = await tx.submission.findMany({
    where: { periodId: b.period.id, unitId: b.unit.id, indicatorId: { in: s.figures.map((f) => f.indicatorId) } },
    include: { revisions: { orderBy: { revisionNo: 'desc' } } },
  });
  const byIndicator = new Map(inForce.map((x) => [x.indicatorId, x]));
  let reportRevisionId: string | null = null;
  if (s.vintage === 'FLASH') {
    const rev = await tx.reportRevision.create({
      select: { id: true },
      data: {
        reportId: b.report.id,
        revisionNo: b.report.currentRevisionNo + 1,
        page: s.page,
        enterpriseCoverage: s.sections?.enterpriseCoverage ?? null,
        keyWork: s.sections?.keyWork ?? null,
        reason: s.reason,
        submittedById: s.actorId,
        onBehalf: s.onBehalf,
        submittedAt: s.now,
        requestKey: s.requestKey,
      },
    });
    reportRevisionId = rev.id;
  }
  // Batched: a page is written in a fixed handful of statements, whatever its number of figures.
  const newSubmissions: Prisma.SubmissionCreateManyInput[] = [];
  const revisions: Prisma.SubmissionRevisionCreateManyInput[] = [];
  const bumps: { id: string; no: number }[] = [];
  for (const f of s.figures) {
    const sub = byIndicator.get(f.indicatorId);
    const current = sub?.revisions.find((r) => r.revisionNo === sub.currentRevisionNo);
    const same =
      current &&
      current.vintage === s.vintage &&
      current.value.equals(new Prisma.Decimal(f.value)) &&
      (current.growthPct === null ? f.growthPct === null : f.growthPct !== null && current.growthPct.equals(new Prisma.Decimal(f.growthPct))) &&
      sameText(current.problems, f.problems) &&
      sameText(current.forecast, f.forecast) &&
      sameText(current.measures, f.measures);
    if (same) continue;
    const revisionNo = (sub?.revisions[0]?.revisionNo ?? 0) + 1;
    const submissionId = sub?.id ?? randomUUID();
    if (!sub) {
      newSubmissions.push({ id: submissionId, periodId: b.period.id, unitId: b.unit.id, indicatorId: f.indicatorId, status: 'SUBMITTED', currentRevisionNo: 1 });
    } else if (!(s.vintage === 'FLASH' && current?.vintage === 'OFFICIAL')) {
      // The official figure supersedes the flash one; a later flash edit does not displace it.
      bumps.push({ id: sub.id, no: revisionNo });
    }
    revisions.push({
      submissionId,
      revisionNo,
      value: f.value,
      growthPct: f.growthPct,
      problems: f.problems,
      forecast: f.forecast,
      measures: f.measures,
      vintage: s.vintage,
      reason: s.reason,
      submittedById: s.actorId,
      submittedAt: s.now,
      requestKey: `${s.requestKey}-${f.code}`,
      reportRevisionId,
    });
    if (current && !current.value.equals(new Prisma.Decimal(f.value))) changes.set(f.code, `原 ${current.value.toString()} → ${f.value}`);
  }
  if (newSubmissions.length) await tx.submission.createMany({ data: newSubmissions });
  if (revisions.length) await tx.submissionRevision.createMany({ data: revisions });
  if (bumps.length) {
    await tx.$executeRaw`
      UPDATE "Submission" s SET "currentRevisionNo" = v.no, status = 'SUBMITTED', "updatedAt" = now()
        FROM unnest(${bumps.map((x) => x.id)}::uuid[], ${bumps.map((x) => x.no)}::int[]) AS v(id, no)
       WHERE s.id = v.id`;
  }
  const assigned = s.assignedIds ?? (await assignedIndicators(tx, b.cycle.id, b.unit.id, b.period.periodKey)).map((i) => i.id);
  const have = await tx.submission.count({ where: { periodId: b.period.id, unitId: b.unit.id, indicatorId: { in: assigned } } });
  const complete = have >= assigned.length;
  await tx.unitReport.update({
    select: { id: true },
    where: { id: b.report.id },
    data: {
      ...(complete ? { status: 'SUBMITTED' } : {}),
      ...(s.vintage === 'FLASH'
        ? { currentRevisionNo: b.report.currentRevisionNo + 1, lastSubmittedAt: s.now, ...(b.report.firstSubmittedAt ? {} : { firstSubmittedAt: s.now }) }
        : {}),
    },
  });
  await tx.auditLog.create({
    select: { id: true },
    data: {
      at: s.now,
      actorId: s.actorId,
      action: s.action,
      entity: 'UnitReport',
      entityId: b.report.id,
      data: {
        period: b.period.periodKey,
        unit: b.unit.code,
        page: s.page,
        onBehalf: s.onBehalf,
        vintage: s.vintage,
        figures: s.figures.map((f) => ({ indicator: f.code, value: f.value, growth: f.growthPct })),
        ...(s.reason ? { reason: s.reason } : {}),
      },
    },
  });
  return changes;
}

// ───────────────────────────── Card actions ─────────────────────────────

function entriesFrom(codes: string[], fv: Record<string, string | undefined>): Record<string, RawEntry> {
  const names = fieldNames(codes);
  return Object.fromEntries(
    codes.map((code) => {
      const n = names[code]!;
      const e: RawEntry = {};
      for (const k of ['value', 'growth', 'problems', 'forecast', 'measures'] as const) {
        const v = fv[n[k]];
        if (v !== undefined) e[k] = v;
      }
      return [code, e];
    }),
  );
}

const blank = (s: string | undefined) => (s && s.trim() ? s.trim() : null);

/** The officer pressed 提交 on page `page` of a unit's card. */
export async function submitPage(
  deps: CollectionDeps,
  actor: Actor,
  req: { reportId: string; page: number; confirm: boolean; formValue: Record<string, string | undefined>; key: string },
): Promise<CardAnswer> {
  const b = await loadReport(deps.prisma, req.reportId);
  if (!b) return { toast: { type: 'warning', content: '这张报送卡片已失效，请发送「报送」获取最新卡片。' } };
  const standing = standingFor(actor, b.unit.id, b.unit.name);
  if (!standing.ok) return { toast: { type: 'error', content: standing.message } };
  const ctx = await unitContexts(deps.prisma, b);
  const { rows } = pageOf(ctx, req.page);
  if (!rows.length) return { toast: { type: 'warning', content: '这一页已没有需要填报的指标，请发送「报送」获取最新卡片。' } };
  const codes = rows.map((r) => r.code);
  const mode = modeOf(b, ctx, codes);
  const fv = req.formValue;
  const entered = entriesFrom(codes, fv);
  const reason = blank(fv[UNIT_FIELDS.reason]);
  const confirmReason = blank(fv[UNIT_FIELDS.confirmReason]);
  const check = validatePage({
    indicators: rows,
    entries: entered,
    ...(req.confirm ? { confirmation: { codes, reason: confirmReason ?? '' } } : {}),
    requireReason: mode !== 'new',
    ...(reason ? { reason } : {}),
  });
  const sections = {
    enterpriseCoverage: blank(fv[UNIT_FIELDS.enterpriseCoverage]),
    keyWork: blank(fv[UNIT_FIELDS.keyWork]),
  };
  const onBehalfOf = standing.onBehalf ? `${actor.name}（例会办公室）代${b.unit.name}填报` : undefined;
  if (!check.ok) {
    const errors = new Map<string, string[]>();
    const general: string[] = [];
    for (const e of check.errors) {
      if (e.indicatorCode) errors.set(e.indicatorCode, [...(errors.get(e.indicatorCode) ?? []), e.message]);
      else general.push(e.message);
    }
    const outliers = new Map(check.outliers.map((o) => [o.indicatorCode, o.message]));
    const n = errors.size + (general.length ? 1 : 0);
    const messages = n ? [`有 ${n} 处需要修改，请查看标红的说明后重新提交。`, ...general] : ['部分数据明显偏离历史水平，请核实；如确认无误，请填写确认说明后提交。'];
    return {
      toast: n
        ? { type: 'warning', content: `未保存：有 ${n} 处需要修改` }
        : { type: 'warning', content: '未保存：请核实偏离历史水平的数据并填写确认说明' },
      card: formCard(b, ctx, req.page, {
        entered,
        errors,
        outliers,
        messages,
        unitSections: { ...(sections.enterpriseCoverage ? { enterpriseCoverage: sections.enterpriseCoverage } : {}), ...(sections.keyWork ? { keyWork: sections.keyWork } : {}) },
        ...(reason ? { reason } : {}),
        ...(confirmReason ? { confirmReason } : {}),
        ...(onBehalfOf ? { onBehalfOf } : {}),
      }),
    };
  }
  const now = deps.clock.now();
  const lastPage = req.page === paginate(ctx.contexts).length;
  const fullReason = [reason, check.outliers.length ? `确认说明：${confirmReason}` : null].filter(Boolean).join('；') || null;

  if (mode === 'late-edit') return requestLateEdit(deps, actor, b, { page: req.page, figures: check.figures, sections: lastPage ? sections : undefined, reason: reason ?? '', key: req.key, now });

  const outcome = await deps.prisma.$transaction(async (tx) => {
    return storeFigures(tx, {
      bundle: b,
      figures: check.figures,
      ...(lastPage ? { sections } : {}),
      page: req.page,
      actorId: actor.personId,
      onBehalf: standing.onBehalf,
      reason: fullReason,
      requestKey: req.key,
      vintage: 'FLASH',
      now,
      action: standing.onBehalf ? 'report.submit.on_behalf' : mode === 'edit' ? 'report.edit' : 'report.submit',
      assignedIds: ctx.indicators.map((i) => i.id),
    });
  });
  // The receipt needs only the figures now in force; the rest of the context is unchanged.
  const now2 = await figuresInForce(deps.prisma, [b.period.id], [b.unit.id]);
  const current = new Map(ctx.indicators.flatMap((i) => {
    const f = now2.get(figureKey(b.period.id, b.unit.id, i.id));
    return f ? [[i.code, f] as const] : [];
  }));
  return {
    ...(outcome !== null ? { evaluate: { periodId: b.period.id, indicatorIds: check.figures.map((f) => f.indicatorId), unitIds: [b.unit.id] } } : {}),
    toast: outcome === null ? { type: 'info', content: '已提交（重复提交已忽略）' } : { type: 'success', content: mode === 'edit' ? '修改已保存' : '已提交' },
    card: await receiptCard(
      deps.prisma,
      b,
      { ...ctx, current },
      req.page,
      outcome ?? new Map(),
      outcome ? { revisionNo: b.report.currentRevisionNo + 1, submittedAt: now, submittedBy: { name: actor.name } } : undefined,
    ),
  };
}

/** After the period closed: the edit waits for an organiser; each organiser gets a card to decide. */
async function requestLateEdit(
  deps: CollectionDeps,
  actor: Actor,
  b: ReportBundle,
  r: { page: number; figures: ValidFigure[]; sections: { enterpriseCoverage: string | null; keyWork: string | null } | undefined; reason: string; key: string; now: Date },
): Promise<CardAnswer> {
  const ctx = await unitContexts(deps.prisma, b);
  const byCode = new Map(ctx.contexts.map((c) => [c.code, c]));
  const changes = r.figures.map((f) => {
    const c = byCode.get(f.code)!;
    const cur = ctx.current.get(f.code);
    return {
      name: c.name,
      from: cur ? `${formatValue(cur.value, c.decimals)} ${c.measureUnit}（${formatGrowth(cur.growthPct) ?? '—'}）` : '未填报',
      to: `${formatValue(f.value, c.decimals)} ${c.measureUnit}（${formatGrowth(f.growthPct) ?? '—'}）`,
    };
  });
  const outbound = await deps.prisma.$transaction(async (tx) => {
    const existing = await tx.editRequest.findUnique({ where: { requestKey: r.key } });
    if (existing) return [];
    const req = await tx.editRequest.create({
      data: {
        reportId: b.report.id,
        page: r.page,
        payload: { figures: r.figures, sections: r.sections ?? null } as unknown as Prisma.InputJsonValue,
        reason: r.reason,
        requestedById: actor.personId,
        createdAt: r.now,
        requestKey: r.key,
      },
    });
    await tx.auditLog.create({
      data: { at: r.now, actorId: actor.personId, action: 'report.edit.requested', entity: 'EditRequest', entityId: req.id, data: { unit: b.unit.code, period: b.period.periodKey, reason: r.reason } },
    });
    const office = await organisers(tx);
    const view = {
      editRequestId: req.id,
      unitName: b.unit.name,
      periodLabel: periodLabel(b.cycle.frequency, b.period.periodKey),
      requestedBy: actor.name,
      requestedAt: beijingDateTime(r.now),
      reason: r.reason,
      changes,
      status: 'pending' as const,
    };
    const ids: string[] = [];
    for (const o of office) {
      const row = await addOutbound(tx, {
        kind: 'SEND',
        dedupeKey: `editreq-${req.id}-${o.id}`,
        receiveIdType: 'open_id',
        receiveId: o.openId!,
        msgType: 'interactive',
        content: editRequestCard(view) as unknown as Prisma.InputJsonValue,
      });
      ids.push(row.id);
    }
    return ids;
  });
  return {
    toast: { type: 'success', content: '修改申请已提交，待例会办公室审批' },
    card: noticeCard('修改申请已提交', [`${b.unit.name} ${periodLabel(b.cycle.frequency, b.period.periodKey)} 的报送已截止，本次修改已提交例会办公室审批。`, `修改原因：${r.reason}`, '审批结果会在本对话中通知您。'], 'orange'),
    outbound,
  };
}

/** An organiser approves or rejects a late edit; approval writes the revisions as if submitted then. */
export async function decideEdit(deps: CollectionDeps, actor: Actor, editRequestId: string, approve: boolean): Promise<CardAnswer> {
  if (!isOrganiser(actor)) return { toast: { type: 'error', content: '只有经济运行例会办公室可以审批修改申请。' } };
  const now = deps.clock.now();
  const res = await deps.prisma.$transaction(async (tx) => {
    const req = await tx.editRequest.findUnique({ where: { id: editRequestId }, include: { requestedBy: true, decidedBy: true } });
    if (!req) return { kind: 'missing' as const };
    const b = (await loadReport(tx, req.reportId))!;
    if (req.status !== 'PENDING') return { kind: 'decided' as const, req, b };
    const payload = req.payload as unknown as { figures: ValidFigure[]; sections: { enterpriseCoverage: string | null; keyWork: string | null } | null };
    if (approve) {
      await storeFigures(tx, {
        bundle: b,
        figures: payload.figures,
        ...(payload.sections ? { sections: payload.sections } : {}),
        page: req.page,
        actorId: req.requestedById,
        onBehalf: false,
        reason: `${req.reason}（${actor.name} 批准）`,
        requestKey: `edit-${req.id}`,
        vintage: 'FLASH',
        now,
        action: 'report.edit.approved',
      });
    }
    await tx.editRequest.update({ where: { id: req.id }, data: { status: approve ? 'APPROVED' : 'REJECTED', decidedById: actor.personId, decidedAt: now } });
    await tx.auditLog.create({
      data: { at: now, actorId: actor.personId, action: approve ? 'report.edit.approve' : 'report.edit.reject', entity: 'EditRequest', entityId: req.id },
    });
    const ids: string[] = [];
    if (req.requestedBy.openId) {
      const label = periodLabel(b.cycle.frequency, b.period.periodKey);
      const row = await addOutbound(tx, {
        kind: 'SEND',
        dedupeKey: `editreq-${req.id}-decision`,
        receiveIdType: 'open_id',
        receiveId: req.requestedBy.openId,
        msgType: 'interactive',
        content: noticeCard(
          approve ? '修改申请已批准' : '修改申请未获批准',
          [
            `${b.unit.name} ${label} 的修改申请${approve ? `已由 ${actor.name} 批准，数据已更新。` : `被 ${actor.name} 驳回，数据保持不变。`}`,
            approve ? '如有疑问，请联系经济运行例会办公室。' : '如需调整，请与经济运行例会办公室沟通后重新申请。',
          ],
          approve ? 'green' : 'grey',
        ) as unknown as Prisma.InputJsonValue,
      });
      ids.push(row.id);
    }
    return { kind: 'done' as const, req: { ...req, status: approve ? ('APPROVED' as const) : ('REJECTED' as const), decidedBy: { name: actor.name } }, b, ids };
  });
  if (res.kind === 'missing') return { toast: { type: 'warning', content: '找不到这条修改申请。' } };
  const ctx = await unitContexts(deps.prisma, res.b);
  const byCode = new Map(ctx.contexts.map((c) => [c.code, c]));
  const payload = res.req.payload as unknown as { figures: ValidFigure[] };
  const card = editRequestCard({
    editRequestId: res.req.id,
    unitName: res.b.unit.name,
    periodLabel: periodLabel(res.b.cycle.frequency, res.b.period.periodKey),
    requestedBy: res.req.requestedBy.name,
    requestedAt: beijingDateTime(res.req.createdAt),
    reason: res.req.reason,
    changes: payload.figures.map((f) => ({ name: byCode.get(f.code)?.name ?? f.code, from: '—', to: f.value })),
    status: res.req.status === 'APPROVED' ? 'approved' : res.req.status === 'REJECTED' ? 'rejected' : 'pending',
    ...(res.req.decidedBy ? { decidedBy: res.req.decidedBy.name } : {}),
  });
  if (res.kind === 'decided') return { toast: { type: 'info', content: `该申请已由 ${res.req.decidedBy?.name ?? '他人'} 处理` }, card };
  return {
    toast: { type: 'success', content: approve ? '已批准，数据已更新' : '已驳回' },
    card,
    outbound: res.ids,
    ...(approve ? { evaluate: { periodId: res.b.period.id, indicatorIds: payload.figures.map((f) => f.indicatorId), unitIds: [res.b.unit.id] } } : {}),
  };
}

/** 修改: the form again, with the figures in force. */
export async function editForm(deps: CollectionDeps, actor: Actor, reportId: string, page: number): Promise<CardAnswer> {
  const b = await loadReport(deps.prisma, reportId);
  if (!b) return { toast: { type: 'warning', content: '这张报送卡片已失效，请发送「报送」获取最新卡片。' } };
  const standing = standingFor(actor, b.unit.id, b.unit.name);
  if (!standing.ok) return { toast: { type: 'error', content: standing.message } };
  const ctx = await unitContexts(deps.prisma, b);
  const closed = b.period.status === 'CLOSED';
  return {
    toast: { type: 'info', content: closed ? '报送已截止：修改需经例会办公室审批' : '请修改后填写修改原因并提交' },
    card: formCard(b, ctx, page, { unitSections: await currentSections(deps.prisma, reportId) }),
  };
}
