// Domain: a unit's collection cards from its data — which indicators each page covers (the domain's
// decision, not the card layout's), the form of a page (figures in force, or what was typed after a
// refusal) and the receipt after a submission.
import type { PrismaClient, Tx } from '../../platform/prisma.ts';
import { beijingDateTime } from '../../platform/business-time.ts';
import { collectionFormCard, indicatorBytes, paginate, type CollectionFormView, type FormIndicatorRow } from '../../../cards/collection-form.ts';
import { collectionReceiptCard } from '../../../cards/collection-status.ts';
import type { Card } from '../../../cards/card.ts';
import { periodLabel } from './schedule.ts';
import { plainValue } from '../shared/numbers.ts';
import { loadReport, unitContexts, formatLevel, formatGrowth, type ReportBundle, type UnitContexts } from './collection.repo.ts';
import { dueTextOf } from './deadlines.ts';
import type { RawEntry } from './validate.ts';

type Db = PrismaClient | Tx;
export type FormMode = CollectionFormView['mode'];
export type UnitSections = { enterpriseCoverage?: string; keyWork?: string };

/** The pages of a unit's form: by count, and by size once stored narratives are long (a card stays within Feishu's limit). */
/** What the form and the receipt of one page both show at the top. */
const cardHead = (b: ReportBundle, page: number, pageCount: number) => ({
  reportId: b.report.id,
  page,
  pageCount: Math.max(1, pageCount),
  cycleName: b.cycle.name,
  periodLabel: periodLabel(b.cycle.frequency, b.period.periodKey),
  unitName: b.unit.name,
});

export function pagesOf(ctx: UnitContexts) {
  const texts = (code: string) => {
    const f = ctx.current.get(code);
    return [f?.problems, f?.forecast, f?.measures].reduce((n, t) => n + (t?.length ?? 0), 0);
  };
  return paginate(ctx.contexts, undefined, (c) => indicatorBytes(texts(c.code)));
}

/** The pages and the indicators of one of them (none for a page that no longer exists). */
export function pageOf(ctx: UnitContexts, page: number) {
  const pages = pagesOf(ctx);
  return { pages, rows: pages[page - 1] ?? [] };
}

export function modeOf(b: ReportBundle, ctx: UnitContexts, codes: string[]): FormMode {
  const submitted = codes.some((c) => ctx.current.has(c));
  // After the close, figures never submitted are a late submission (补报申请), not an edit.
  if (b.period.status === 'CLOSED') return submitted ? 'late-edit' : 'late-submit';
  return submitted ? 'edit' : 'new';
}

/** The form for one page: figures in force as defaults (for an edit), or what was typed after a refusal. */
export function formCard(
  b: ReportBundle,
  ctx: UnitContexts,
  page: number,
  opts: {
    entered?: Record<string, RawEntry>;
    errors?: Map<string, string[]>;
    outliers?: Map<string, string>;
    messages?: string[];
    errorCount?: number;
    unitSections?: UnitSections;
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
            // As the person would type them: the indicator's decimals, not the column's scale ('14095656.0000').
            ...(cur.value !== null ? { value: plainValue(cur.value, c.decimals) } : {}),
            ...(cur.growthPct !== null ? { growth: String(Number(cur.growthPct)) } : {}),
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
      ...(c.growthOnly ? { growthOnly: true } : {}),
      last: d?.last ?? null,
      target: d?.target ?? null,
      cityAverage: d?.cityAverage ?? null,
      entered,
      errors: opts.errors?.get(c.code) ?? [],
      ...(opts.outliers?.has(c.code) ? { outlier: opts.outliers.get(c.code)! } : {}),
    };
  });
  return collectionFormCard({
    ...cardHead(b, page, pages.length),
    dueText: dueTextOf(b),
    mode: modeOf(b, ctx, codes),
    indicators,
    unitSections: page === pages.length ? (opts.unitSections ?? {}) : null,
    messages: opts.messages ?? [],
    ...(opts.errorCount !== undefined ? { errorCount: opts.errorCount } : {}),
    needsConfirmation: (opts.outliers?.size ?? 0) > 0,
    ...(opts.reason ? { reason: opts.reason } : {}),
    ...(opts.confirmReason ? { confirmReason: opts.confirmReason } : {}),
    ...(opts.onBehalfOf ? { onBehalfOf: opts.onBehalfOf } : {}),
  });
}

/** Latest unit-level sections, shown again on an edit. */
export async function currentSections(db: Db, reportId: string): Promise<UnitSections> {
  const r = await db.reportRevision.findFirst({
    where: { reportId, OR: [{ enterpriseCoverage: { not: null } }, { keyWork: { not: null } }] },
    orderBy: { revisionNo: 'desc' },
  });
  return { ...(r?.enterpriseCoverage ? { enterpriseCoverage: r.enterpriseCoverage } : {}), ...(r?.keyWork ? { keyWork: r.keyWork } : {}) };
}

/** Every page of a unit's form, as it stands now. */
export async function formCards(db: Db, reportId: string): Promise<Card[]> {
  const b = await loadReport(db, reportId);
  return b ? formCardsOf(db, b) : [];
}

export async function formCardsOf(db: Db, b: ReportBundle): Promise<Card[]> {
  const ctx = await unitContexts(db, b);
  const sections = await currentSections(db, b.report.id);
  const pages = Math.max(1, pagesOf(ctx).length);
  return Array.from({ length: pages }, (_, i) => formCard(b, ctx, i + 1, { unitSections: sections }));
}

/** The receipt of a page: the figures in force, what changed, and the pages still to fill. */
export async function receiptCard(
  db: Db,
  b: ReportBundle,
  ctx: UnitContexts,
  page: number,
  changes: Map<string, string>,
  known?: { revisionNo: number; submittedAt: Date; submittedBy: { name: string } },
  /** The indicators just submitted, when longer texts may have moved the page boundaries since. */
  submitted?: UnitContexts['contexts'],
): Promise<Card> {
  const { pages, rows: onPage } = pageOf(ctx, page);
  const rows = submitted ?? onPage;
  const last = known ?? (await db.reportRevision.findFirst({ where: { reportId: b.report.id }, orderBy: { revisionNo: 'desc' }, include: { submittedBy: true } }));
  const done = new Set(ctx.current.keys());
  const pendingPages = pages.filter((p) => p.some((c) => !done.has(c.code))).length;
  return collectionReceiptCard({
    ...cardHead(b, page, pages.length),
    submittedBy: last?.submittedBy?.name ?? '—',
    submittedAt: last ? beijingDateTime(last.submittedAt) : '—',
    revisionNo: last?.revisionNo ?? 0,
    figures: rows.map((c) => {
      const f = ctx.current.get(c.code);
      const comparable = c.growthBasis === 'COMPARABLE' ? '（可比价）' : '';
      // A growth-only figure is its growth: the line reads 「同比 +6.2%（可比价）」.
      if (f && f.value === null) return { name: c.name, value: `同比 ${formatGrowth(f.growthPct) ?? '—'}${comparable}`, growth: null, ...(changes.has(c.code) ? { changed: changes.get(c.code)! } : {}) };
      return {
        name: c.name,
        value: f ? formatLevel(f.value, c.decimals, c.measureUnit) : '未填报',
        growth: f ? formatGrowth(f.growthPct) : null,
        ...(changes.has(c.code) ? { changed: changes.get(c.code)! } : {}),
      };
    }),
    pendingPages,
    editable: b.period.status !== 'CLOSED',
  });
}
