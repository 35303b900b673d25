// Meetings: the monthly 例会's agenda, written from the month just closed — the ranking, the seats the
// organisers confirmed, the red warnings still open and the overdue tasks.
import type { Tx } from '../../platform/prisma.ts';
import { periodLabel } from '../collection/schedule.ts';

export interface MonthlyAgenda {
  periodId: string;
  /** 2026年11月 */
  label: string;
  agenda: string;
  /** Lines for the scheduling card. */
  highlights: string[];
}

const names = (units: { name: string; shortName: string | null }[]) => units.map((u) => u.shortName ?? u.name).join('、');

export async function monthlyAgenda(tx: Tx, now: Date): Promise<MonthlyAgenda | null> {
  const period = await tx.reportingPeriod.findFirst({ where: { status: 'CLOSED', cycle: { code: 'monthly' } }, orderBy: { endDate: 'desc' }, include: { cycle: true } });
  if (!period) return null;
  const label = periodLabel(period.cycle.frequency, period.periodKey);
  const ranking = await tx.ranking.findUnique({ where: { periodId_scope: { periodId: period.id, scope: 'composite' } }, include: { entries: { include: { unit: true }, orderBy: { rank: 'asc' } } } });
  const seats = await tx.seatProposal.findMany({ where: { periodId: period.id, status: 'CONFIRMED' }, include: { unit: true } });
  const exchange = seats.filter((s) => s.kind === 'EXCHANGE').map((s) => s.unit);
  const statement = seats.filter((s) => s.kind === 'STATEMENT').map((s) => s.unit);
  const reds = await tx.warning.count({ where: { periodId: period.id, level: 'RED', status: { not: 'RESOLVED' } } });
  const today = new Date(`${new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(now)}T00:00:00Z`);
  const overdue = await tx.task.count({ where: { status: { in: ['OPEN', 'IN_PROGRESS', 'AWAITING_CLOSE'] }, dueDate: { lt: today } } });

  const highlights: string[] = [];
  if (ranking?.entries.length) {
    const first = ranking.entries.filter((e) => e.rank === 1).map((e) => e.unit);
    const lastRank = ranking.entries.at(-1)!.rank;
    const last = ranking.entries.filter((e) => e.rank === lastRank).map((e) => e.unit);
    highlights.push(`综合排名：第一 ${names(first)}，末位 ${names(last)}`);
  } else highlights.push('综合排名尚未生成（关闭报送后自动计算）');
  highlights.push(exchange.length ? `经验交流席：${names(exchange)}` : '经验交流席：待例会办公室确认');
  highlights.push(statement.length ? `表态席：${names(statement)}` : '表态席：待例会办公室确认');
  highlights.push(`红色预警未销号 ${reds} 项，交办事项逾期 ${overdue} 项`);

  const items = [
    `通报${label}全市经济运行情况及综合排名`,
    ...(exchange.length ? [`经验交流发言：${names(exchange)}`] : []),
    ...(statement.length ? [`表态发言：${names(statement)}`] : []),
    `红色预警（${reds} 项）和逾期交办事项（${overdue} 项）落实情况`,
    '市领导讲话，部署下一阶段工作',
  ];
  const agenda = items.map((t, i) => `${'一二三四五六七八九十'[i]}、${t}`).join('；');
  return { periodId: period.id, label, agenda, highlights };
}
