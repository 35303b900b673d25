// Domain: figures stored as revisions — a figure that differs from the one in force gets a new revision
// (never an overwrite), a card submission one unit-level revision, then the report's status and the audit.
import { randomUUID } from 'node:crypto';
import { Prisma } from '../../generated/prisma/client.ts';
import type { Tx } from '../../platform/prisma.ts';
import { assignedIndicators, type ReportBundle } from './collection.repo.ts';
import type { ValidFigure } from './validate.ts';

export interface StoreInput {
  /** Without a report: an official figure of a unit not assigned the indicator (the parent's 全市 row). */
  bundle: ReportBundle | (Omit<ReportBundle, 'report'> & { report: null });
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
/** Equal numbers, or both absent (a growth-only figure has no value). */
const sameNumber = (a: Prisma.Decimal | null, b: string | null) => (a === null ? b === null : b !== null && a.equals(new Prisma.Decimal(b)));
const pct = (g: Prisma.Decimal | string | null) => (g === null ? '—' : `${g.toString()}%`);

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
  // A growth-only indicator stores no level, whatever the source (a card, an official file) carried.
  const growthOnly = new Set(
    (await tx.indicator.findMany({ where: { id: { in: s.figures.map((f) => f.indicatorId) }, growthOnly: true }, select: { id: true } })).map((i) => i.id),
  );
  const figures = s.figures.map((f) => (growthOnly.has(f.indicatorId) && f.value !== null ? { ...f, value: null } : f));
  let reportRevisionId: string | null = null;
  if (s.vintage === 'FLASH') {
    if (!b.report) throw new Error('a flash figure needs its unit report');
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
  for (const f of figures) {
    const sub = byIndicator.get(f.indicatorId);
    const current = sub?.revisions.find((r) => r.revisionNo === sub.currentRevisionNo);
    const same =
      current &&
      current.vintage === s.vintage &&
      sameNumber(current.value, f.value) &&
      sameNumber(current.growthPct, f.growthPct) &&
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
    if (current && !sameNumber(current.value, f.value)) changes.set(f.code, `原 ${current.value?.toString() ?? '—'} → ${f.value ?? '—'}`);
    // A growth-only figure changes by its growth: the receipt shows 「原 5.1% → 6.2%」.
    else if (current && f.value === null && !sameNumber(current.growthPct, f.growthPct)) changes.set(f.code, `原 ${pct(current.growthPct)} → ${pct(f.growthPct)}`);
  }
  if (newSubmissions.length) await tx.submission.createMany({ data: newSubmissions });
  if (revisions.length) await tx.submissionRevision.createMany({ data: revisions });
  if (bumps.length) {
    await tx.$executeRaw`
      UPDATE "Submission" s SET "currentRevisionNo" = v.no, status = 'SUBMITTED', "updatedAt" = now()
        FROM unnest(${bumps.map((x) => x.id)}::uuid[], ${bumps.map((x) => x.no)}::int[]) AS v(id, no)
       WHERE s.id = v.id`;
  }
  if (b.report) {
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
  }
  await tx.auditLog.create({
    select: { id: true },
    data: {
      at: s.now,
      actorId: s.actorId,
      action: s.action,
      entity: b.report ? 'UnitReport' : 'Unit',
      entityId: b.report ? b.report.id : b.unit.id,
      data: {
        period: b.period.periodKey,
        unit: b.unit.code,
        page: s.page,
        onBehalf: s.onBehalf,
        vintage: s.vintage,
        figures: figures.map((f) => ({ indicator: f.code, value: f.value, growth: f.growthPct })),
        ...(s.reason ? { reason: s.reason } : {}),
      },
    },
  });
  return changes;
}
