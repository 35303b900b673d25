// Demo city: applies config/demo-city.yaml and, into a database without any submissions yet, loads
// 24 months of official figures from config/demo-history.csv (closed periods, one OFFICIAL revision
// per figure). Idempotent: a second run applies no change and loads nothing.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PrismaClient, Tx } from '../../platform/prisma.ts';
import type { Clock } from '../../platform/clock.ts';
import { loadCityConfigFile } from '../city-config/city-config.load.ts';
import { applyCityConfig, type ApplyResult } from '../city-config/city-config.apply.ts';

export const DEMO_CONFIG_PATH = fileURLToPath(new URL('../../../config/demo-city.yaml', import.meta.url));
export const DEMO_HISTORY_PATH = fileURLToPath(new URL('../../../config/demo-history.csv', import.meta.url));

export interface DemoCityOptions {
  configPath?: string;
  historyPath?: string;
  /** Load the figure history (default true). */
  history?: boolean;
}

export interface HistoryCounts {
  /** False when skipped: history disabled, or the database already has submissions. */
  loaded: boolean;
  periods: number;
  submissions: number;
  revisions: number;
}

export interface DemoCityResult {
  config: ApplyResult;
  history: HistoryCounts;
}

export async function loadDemoCity(prisma: PrismaClient, clock: Clock, opts: DemoCityOptions = {}): Promise<DemoCityResult> {
  const configPath = opts.configPath ?? DEMO_CONFIG_PATH;
  const config = await loadCityConfigFile(configPath);
  const applied = await applyCityConfig(prisma, config, clock, { source: path.basename(configPath) });
  const skipped: HistoryCounts = { loaded: false, periods: 0, submissions: 0, revisions: 0 };
  // The demo history names the demo city's codes: another city's file gets it only when asked for by path.
  const isDemoConfig = path.resolve(configPath) === DEMO_CONFIG_PATH;
  if (opts.history === false || (!opts.historyPath && !isDemoConfig)) return { config: applied, history: skipped };
  // History is only for a fresh database: real figures must never be mixed with invented ones.
  if ((await prisma.submission.count()) > 0) return { config: applied, history: skipped };
  const rows = parseHistoryCsv(await readFile(opts.historyPath ?? DEMO_HISTORY_PATH, 'utf8'));
  const history = await prisma.$transaction((tx) => loadHistory(tx, rows), { timeout: 120_000, maxWait: 30_000 });
  return { config: applied, history };
}

// ───────────────────────────── CSV ─────────────────────────────

export interface HistoryRow {
  cycle: string;
  period: string;
  unit: string;
  indicator: string;
  /** Null for a growth-only indicator. */
  value: string | null;
  growthPct: string | null;
}

const HEADER = 'cycle,period,unit,indicator,value,growth_pct';
const NUMBER_RE = /^-?\d+(\.\d+)?$/;

/** Parses the history file (plain comma-separated, no quoting needed: codes and numbers only). */
export function parseHistoryCsv(text: string): HistoryRow[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines[0]?.trim() !== HEADER) throw new Error(`demo history: expected the header "${HEADER}"`);
  return lines.slice(1).map((line, i) => {
    const [cycle, period, unit, indicator, value, growth] = line.split(',').map((f) => f.trim());
    const where = `demo history line ${i + 2}`;
    if (!cycle || !unit || !indicator || !period || !/^\d{4}-(0[1-9]|1[0-2])$/.test(period)) throw new Error(`${where}: bad row "${line}"`);
    // A growth-only indicator's row has a growth and no value.
    if (value ? !NUMBER_RE.test(value) : !growth) throw new Error(`${where}: expected a number as value, got "${value ?? ''}"`);
    if (growth && !NUMBER_RE.test(growth)) throw new Error(`${where}: expected a number as growth_pct, got "${growth}"`);
    return { cycle, period, unit, indicator, value: value || null, growthPct: growth || null };
  });
}

// ───────────────────────────── Loading ─────────────────────────────

/** Calendar dates are stored as UTC midnight (@db.Date); instants use Beijing time (UTC+8). */
const date = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d));
const beijing = (y: number, m: number, d: number, hour: number) => new Date(Date.UTC(y, m - 1, d, hour - 8));
const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** The month after `YYYY-MM`, when its figures are reported. */
function nextMonth(period: string): { y: number; m: number } {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return m === 12 ? { y: y + 1, m: 1 } : { y, m: m + 1 };
}

function periodDates(period: string, dueDay: number) {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const next = nextMonth(period);
  const due = Math.min(dueDay, daysIn(next.y, next.m));
  return {
    startDate: date(y, m, 1),
    endDate: date(y, m, daysIn(y, m)),
    // A plain due day: holiday shifting belongs to the scheduler, not to invented history.
    dueDate: date(next.y, next.m, due),
    openedAt: beijing(next.y, next.m, 1, 9),
    closedAt: beijing(next.y, next.m, due, 18),
  };
}

/** Submitted one to three days before the due day, varying by unit so the data does not look stamped. */
function submittedAt(period: string, dueDay: number, unit: string): Date {
  const next = nextMonth(period);
  let h = 0;
  for (const ch of unit) h = (h * 31 + ch.charCodeAt(0)) % 997;
  const day = Math.max(1, Math.min(dueDay, daysIn(next.y, next.m)) - 1 - (h % 3));
  return beijing(next.y, next.m, day, 10 + (h % 7));
}

function lookup(map: Map<string, string>, code: string, what: string): string {
  const id = map.get(code);
  if (!id) throw new Error(`demo history: unknown ${what} "${code}" (not in the applied city config)`);
  return id;
}

async function loadHistory(tx: Tx, rows: HistoryRow[]): Promise<HistoryCounts> {
  const cycles = new Map((await tx.reportingCycle.findMany({ where: { active: true } })).map((c) => [c.code, c]));
  const unitIds = new Map((await tx.unit.findMany({ where: { active: true }, select: { id: true, code: true } })).map((u) => [u.code, u.id]));
  const indicatorIds = new Map((await tx.indicator.findMany({ where: { active: true }, select: { id: true, code: true } })).map((i) => [i.code, i.id]));
  const liaisons = await liaisonByUnit(tx);

  const periodKeys = new Map<string, { cycleId: string; periodKey: string; dueDay: number }>();
  for (const r of rows) {
    const cycle = cycles.get(r.cycle);
    if (!cycle) throw new Error(`demo history: unknown cycle "${r.cycle}" (not in the applied city config)`);
    periodKeys.set(`${r.cycle}|${r.period}`, { cycleId: cycle.id, periodKey: r.period, dueDay: cycle.dueDay });
  }
  const periods = [...periodKeys.values()].map((p) => ({
    cycleId: p.cycleId,
    periodKey: p.periodKey,
    status: 'CLOSED' as const,
    ...periodDates(p.periodKey, p.dueDay),
  }));
  const createdPeriods = await tx.reportingPeriod.createMany({ data: periods, skipDuplicates: true });
  const periodIds = new Map(
    (await tx.reportingPeriod.findMany({ select: { id: true, cycleId: true, periodKey: true } })).map((p) => [`${p.cycleId}|${p.periodKey}`, p.id]),
  );

  const submissions = [];
  const revisions = [];
  for (const r of rows) {
    const cycle = cycles.get(r.cycle)!;
    const unitId = lookup(unitIds, r.unit, 'unit');
    const at = submittedAt(r.period, cycle.dueDay, r.unit);
    const id = randomUUID();
    submissions.push({
      id,
      periodId: lookup(periodIds, `${cycle.id}|${r.period}`, 'period'),
      unitId,
      indicatorId: lookup(indicatorIds, r.indicator, 'indicator'),
      status: 'ACCEPTED' as const,
      currentRevisionNo: 1,
      createdAt: at,
      updatedAt: at,
    });
    revisions.push({
      submissionId: id,
      revisionNo: 1,
      value: r.value,
      growthPct: r.growthPct,
      vintage: 'OFFICIAL' as const,
      submittedById: liaisons.get(unitId) ?? null,
      submittedAt: at,
      requestKey: `demo-history:${r.period}:${r.unit}:${r.indicator}`,
    });
  }
  let createdSubmissions = 0;
  let createdRevisions = 0;
  for (let i = 0; i < submissions.length; i += 1000) {
    createdSubmissions += (await tx.submission.createMany({ data: submissions.slice(i, i + 1000) })).count;
    createdRevisions += (await tx.submissionRevision.createMany({ data: revisions.slice(i, i + 1000) })).count;
  }
  return { loaded: true, periods: createdPeriods.count, submissions: createdSubmissions, revisions: createdRevisions };
}

/** The liaison officer of each unit (first by person code when there are several): the submitter. */
async function liaisonByUnit(tx: Tx): Promise<Map<string, string>> {
  const roles = await tx.unitRole.findMany({
    where: { role: 'LIAISON', active: true, person: { active: true } },
    include: { person: { select: { code: true } } },
    orderBy: { person: { code: 'asc' } },
  });
  const out = new Map<string, string>();
  for (const r of roles) if (!out.has(r.unitId)) out.set(r.unitId, r.personId);
  return out;
}
