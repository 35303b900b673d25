// Problems: the ledger after registration — 问题台账 lists the open problems to the organisers; an organiser
// assigns one to a unit (交办), the unit answers (答复), the organiser closes it (办结); the person who
// registered it hears when it is assigned and how it ended. Each step is one command in one transaction.
import type { Prisma } from '../../generated/prisma/client.ts';
import type { Tx } from '../../platform/prisma.ts';
import { beijingDateTime } from '../../platform/business-time.ts';
import { addOutbound } from '../../outbox/outbox.service.ts';
import { noticeCard } from '../../../cards/collection-admin.ts';
import type { Card } from '../../../cards/card.ts';
import {
  problemAssignedCard, problemCard, problemLedgerCard, problemOutcomeCard, type ProblemFacts, type ProblemStage,
} from '../../../cards/problem-ledger.ts';
import type { ProblemsCard, ProblemsMessage } from '../../commands/command.ts';
import { organisers } from '../people/people.service.ts';
import { responsiblePeople } from '../collection/collection.repo.ts';
import { beijingDateOf } from '../calendar/work-calendar.ts';
import { asDate } from '../shared/dates.ts';
import { toast, type UseCase, type UseCaseContext } from '../shared/outcome.ts';
import { isOrganiser, reply } from '../shared/results.ts';
import { problemNumber } from './problem-ledger.ts';

type Msg<K extends ProblemsMessage['kind']> = Extract<ProblemsMessage, { kind: K }>;
type Act<K extends ProblemsCard['kind']> = Extract<ProblemsCard, { kind: K }>;

/** How many problems the ledger card lists (the card stays small; the rest follow as these are closed). */
export const LEDGER_PAGE = 10;
/** Units an organiser may assign to: regions and departments, the reporting unit first. */
const MAX_UNIT_OPTIONS = 60;

const json = (c: Card) => c as unknown as Prisma.InputJsonValue;
const OFFICE_ONLY = '「问题台账」仅供经济运行例会办公室使用。如需登记企业或项目反映的问题，请发送「登记问题」。';
const GONE = '没有找到这个问题，可能卡片已过期。请发送「问题台账」查看最新情况。';

const include = { unit: true, reportedBy: true, assignedUnit: true } as const;
type Row = Prisma.ProblemGetPayload<{ include: typeof include }>;

function stageOf(p: Pick<Row, 'status' | 'assignedUnitId' | 'answeredAt'>): ProblemStage {
  if (p.status === 'CLOSED') return 'closed';
  if (!p.assignedUnitId) return 'open';
  return p.answeredAt ? 'answered' : 'assigned';
}

async function factsOf(tx: Tx, p: Row): Promise<ProblemFacts> {
  const answeredBy = p.answeredById ? await tx.person.findUnique({ where: { id: p.answeredById }, select: { name: true } }) : null;
  return {
    id: p.id,
    number: problemNumber(p.id, p.reportedAt),
    title: p.title,
    enterprise: p.enterprise,
    description: p.description,
    unitName: p.unit.name,
    reporterName: p.reportedBy?.name ?? '—',
    reportedAt: beijingDateTime(p.reportedAt),
    stage: stageOf(p),
    ...(p.assignedUnit ? { assignedUnitName: p.assignedUnit.shortName ?? p.assignedUnit.name } : {}),
    ...(p.assignNote ? { assignNote: p.assignNote } : {}),
    ...(p.answer ? { answer: p.answer } : {}),
    ...(answeredBy ? { answeredBy: answeredBy.name } : {}),
    ...(p.answeredAt ? { answeredAt: beijingDateTime(p.answeredAt) } : {}),
    ...(p.resolution ? { resolution: p.resolution } : {}),
  };
}

async function unitOptions(tx: Tx, first: string[]) {
  const units = await tx.unit.findMany({ where: { active: true, kind: { in: ['REGION', 'DEPARTMENT'] } }, orderBy: [{ kind: 'desc' }, { sortOrder: 'asc' }, { code: 'asc' }] });
  const top = new Set(first);
  return [...units.filter((u) => top.has(u.id)), ...units.filter((u) => !top.has(u.id))].slice(0, MAX_UNIT_OPTIONS).map((u) => ({ label: u.shortName ?? u.name, value: u.code }));
}

const organiserCard = async (tx: Tx, p: Row, done?: string) =>
  problemCard({ ...(await factsOf(tx, p)), unitOptions: await unitOptions(tx, [p.assignedUnitId ?? p.unitId, p.unitId]), ...(done ? { done } : {}) });

/** The unit's people who answer for it: the liaison (the backup while on leave) and the head. */
async function unitPeople(tx: Tx, unitId: string, now: Date) {
  const who = (await responsiblePeople(tx, [unitId], asDate(beijingDateOf(now)))).get(unitId);
  const heads = await tx.person.findMany({ where: { active: true, openId: { not: null }, roles: { some: { unitId, role: 'HEAD', active: true } } }, orderBy: { code: 'asc' } });
  const out = new Map<string, string>();
  if (who?.openId) out.set(who.personId, who.openId);
  for (const h of heads) out.set(h.id, h.openId!);
  return out;
}

const mayAnswer = (ctx: UseCaseContext, unitId: string | null) => unitId !== null && ctx.actor.roles.some((r) => r.unitId === unitId && r.role !== 'ORGANISER');

/** 问题台账: the open problems, those waiting for the office (to assign, to close) first, oldest first. */
export const listProblems: UseCase<Msg<'problem.list'>> = async (_cmd, { tx, actor }) => {
  if (!isOrganiser(actor)) return reply(noticeCard('无权查看', [OFFICE_ONLY], 'grey'));
  const where = { status: { not: 'CLOSED' as const } };
  const [rows, total] = await Promise.all([tx.problem.findMany({ where, include, orderBy: { reportedAt: 'asc' } }), tx.problem.count({ where })]);
  const rank: Record<ProblemStage, number> = { open: 0, answered: 1, assigned: 2, closed: 3 };
  const chosen = rows.sort((a, b) => rank[stageOf(a)] - rank[stageOf(b)]).slice(0, LEDGER_PAGE);
  const items: ProblemFacts[] = [];
  for (const p of chosen) items.push(await factsOf(tx, p));
  return reply(problemLedgerCard({ items, total }));
};

/** A problem's card: the organisers' with its actions; the assigned unit's with its answer form. */
export const viewProblem: UseCase<Act<'problem.view'>> = async (cmd, ctx) => {
  const p = await ctx.tx.problem.findUnique({ where: { id: cmd.problemId }, include });
  if (!p) return toast('warning', GONE);
  if (isOrganiser(ctx.actor)) return { card: await organiserCard(ctx.tx, p) };
  if (mayAnswer(ctx, p.assignedUnitId)) return { card: problemAssignedCard(await factsOf(ctx.tx, p)) };
  return toast('warning', OFFICE_ONLY);
};

/** 交办: the unit's liaison and head get the problem with a form to answer; the person who registered it is told. */
export const assignProblem: UseCase<Act<'problem.assign'>> = async (cmd, ctx) => {
  const { tx, actor, now, origin } = ctx;
  if (!isOrganiser(actor)) return toast('warning', '只有经济运行例会办公室可以交办问题。');
  const p = await tx.problem.findUnique({ where: { id: cmd.problemId }, include });
  if (!p) return toast('warning', GONE);
  if (p.status === 'CLOSED') return { toast: { type: 'info', content: '该问题已办结，无需再交办。' }, card: await organiserCard(tx, p) };
  const unit = await tx.unit.findFirst({ where: { code: cmd.unitCode, active: true } });
  if (!unit) return toast('warning', '没有找到所选的承办单位，请重新选择。');
  const again = p.assignedUnitId === unit.id;
  const unitName = unit.shortName ?? unit.name;
  const done = await tx.problem.update({
    where: { id: p.id },
    // A new unit starts afresh: an answer by the previous one is not theirs.
    data: { status: 'IN_PROGRESS', assignedUnitId: unit.id, assignedAt: now, assignedById: actor.personId, assignNote: cmd.note || null, ...(again ? {} : { answer: null, answeredAt: null, answeredById: null }) },
    include,
  });
  await tx.auditLog.create({ data: { at: now, actorId: actor.personId, action: 'problem.assign', entity: 'Problem', entityId: p.id, data: { unit: unit.code, note: cmd.note } } });
  const facts = await factsOf(tx, done);
  const people = await unitPeople(tx, unit.id, now);
  for (const [personId, openId] of people) {
    await addOutbound(tx, { kind: 'SEND', dedupeKey: `problem-assign-${origin.key}-${personId}`, receiveIdType: 'open_id', receiveId: openId, msgType: 'interactive', content: json(problemAssignedCard(facts)) });
  }
  if (p.reportedBy?.openId && p.reportedById !== actor.personId) {
    await addOutbound(tx, { kind: 'SEND', dedupeKey: `problem-assigned-${origin.key}`, receiveIdType: 'open_id', receiveId: p.reportedBy.openId, msgType: 'interactive', content: json(problemOutcomeCard(facts)) });
  }
  const told = people.size ? '已通知其联络员和主要负责人' : '该单位暂无可通知的联络员或主要负责人，请另行联系';
  return { toast: { type: 'success', content: `已交办给 ${unitName}` }, card: await organiserCard(tx, done, `已交办给 ${unitName}，${told}。`) };
};

/** 答复: the assigned unit says what was done; every organiser gets the problem to close. */
export const answerProblem: UseCase<Act<'problem.answer'>> = async (cmd, ctx) => {
  const { tx, actor, now, origin } = ctx;
  const p = await tx.problem.findUnique({ where: { id: cmd.problemId }, include });
  if (!p) return toast('warning', GONE);
  if (!mayAnswer(ctx, p.assignedUnitId)) return toast('warning', `只有承办单位${p.assignedUnit ? `（${p.assignedUnit.shortName ?? p.assignedUnit.name}）` : ''}的联络员、备用联络员或主要负责人可以答复。`);
  if (p.status === 'CLOSED') return { toast: { type: 'info', content: '该问题已办结，无需再答复。' }, card: problemAssignedCard(await factsOf(tx, p)) };
  const done = await tx.problem.update({ where: { id: p.id }, data: { answer: cmd.answer, answeredAt: now, answeredById: actor.personId }, include });
  await tx.auditLog.create({ data: { at: now, actorId: actor.personId, action: 'problem.answer', entity: 'Problem', entityId: p.id, data: { length: cmd.answer.length } } });
  const card = await organiserCard(tx, done, `${p.assignedUnit?.shortName ?? p.assignedUnit?.name ?? '承办单位'} 已答复，请审核办结。`);
  for (const o of await organisers(tx)) {
    await addOutbound(tx, { kind: 'SEND', dedupeKey: `problem-answer-${origin.key}-${o.id}`, receiveIdType: 'open_id', receiveId: o.openId!, msgType: 'interactive', content: json(card) });
  }
  return { toast: { type: 'success', content: '已答复' }, card: problemAssignedCard({ ...(await factsOf(tx, done)), done: '已答复，等待例会办公室办结。' }) };
};

/** 办结: after the unit's answer; the person who registered it hears the outcome. */
export const closeProblem: UseCase<Act<'problem.close'>> = async (cmd, ctx) => {
  const { tx, actor, now } = ctx;
  if (!isOrganiser(actor)) return toast('warning', '只有经济运行例会办公室可以办结问题。');
  const p = await tx.problem.findUnique({ where: { id: cmd.problemId }, include });
  if (!p) return toast('warning', GONE);
  if (p.status === 'CLOSED') return { toast: { type: 'info', content: '该问题已办结。' }, card: await organiserCard(tx, p) };
  if (!p.answeredAt) return { toast: { type: 'warning', content: '承办单位尚未答复，答复后才能办结。' }, card: await organiserCard(tx, p) };
  const done = await tx.problem.update({ where: { id: p.id }, data: { status: 'CLOSED', closedAt: now, closedById: actor.personId, resolution: cmd.resolution || null }, include });
  await tx.auditLog.create({ data: { at: now, actorId: actor.personId, action: 'problem.close', entity: 'Problem', entityId: p.id, data: { resolution: cmd.resolution } } });
  if (p.reportedBy?.openId) {
    await addOutbound(tx, { kind: 'SEND', dedupeKey: `problem-closed-${p.id}`, receiveIdType: 'open_id', receiveId: p.reportedBy.openId, msgType: 'interactive', content: json(problemOutcomeCard(await factsOf(tx, done))) });
  }
  return { toast: { type: 'success', content: '已办结，登记人已收到结果' }, card: await organiserCard(tx, done) };
};

