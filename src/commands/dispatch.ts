// Commands: the dispatch table. Every chat command and card action is one use case, run by runUseCase
// in one transaction (idempotency key, change, outbox rows, follow-up jobs, stored answer). Each module
// owns the handlers of its commands (src/modules/<module>/commands.ts); the general ones are here.
import type { Tx } from '../platform/prisma.ts';
import { beijingDateTime } from '../platform/business-time.ts';
import { listFailed } from '../outbox/outbox.service.ts';
import { describeActor, type Actor } from '../modules/people/people.service.ts';
import { helpCard } from '../../cards/help.ts';
import { card, markdown } from '../../cards/card.ts';
import { deliveryFailuresCard } from '../../cards/delivery-failures.ts';
import { noticeCard } from '../../cards/collection-admin.ts';
import type { CardCommand, MessageCommand } from './command.ts';
import type { HandlerTable, Origin, Outcome, UseCaseContext } from '../modules/shared/outcome.ts';
import { isOrganiser, reply } from '../modules/shared/results.ts';
import { collectionCards, collectionMessages } from '../modules/collection/commands.ts';
import { lightsCards, lightsMessages } from '../modules/lights/commands.ts';
import { meetingsCards, meetingsMessages } from '../modules/meetings/commands.ts';
import { tasksCards } from '../modules/tasks/commands.ts';
import { problemsCards, problemsMessages } from '../modules/problems/commands.ts';
import { reportCards, reportMessages } from '../modules/report/commands.ts';
import { runUseCase, type Ran, type RunDeps } from './run.ts';

export type DispatchDeps = RunDeps;

const KIND_NAMES = { SEND: '消息', REPLY: '回复', UPDATE_CARD: '卡片更新', DELAYED_UPDATE: '卡片更新', URGENT: '加急', FILE_UPLOAD: '文件' } as const;

/** The organisers' view of permanent delivery failures; others are told it is not for them. */
async function failuresCard(tx: Tx, actor: Actor) {
  if (!isOrganiser(actor)) return card({ title: '无权查看', template: 'grey', elements: [markdown('「发送失败」仅供经济运行例会办公室使用。')] });
  const [rows, total] = await Promise.all([listFailed(tx, 10), tx.outboundMessage.count({ where: { status: 'FAILED' } })]);
  const people = await tx.person.findMany({ where: { openId: { in: rows.flatMap((r) => (r.receiveId ? [r.receiveId] : [])) } } });
  const nameOf = new Map(people.map((p) => [p.openId, p.name]));
  return deliveryFailuresCard(
    rows.map((r) => ({
      receiver: (r.receiveId && nameOf.get(r.receiveId)) ?? r.receiveId ?? r.targetMessageId ?? '未知接收人',
      what: KIND_NAMES[r.kind],
      reason: r.lastError ?? '未知原因',
      at: beijingDateTime(r.updatedAt),
    })),
    total,
  );
}

type General<C extends { kind: string }, K extends C['kind']> = HandlerTable<Extract<C, { kind: K }>>;

const generalMessages: General<MessageCommand, 'help' | 'whoami' | 'outbound.failed' | 'usage'> = {
  help: async (cmd, { actor }) => {
    const has = (role: Actor['roles'][number]['role']) => actor.roles.some((r) => r.role === role);
    const roles = { organiser: isOrganiser(actor), liaison: has('LIAISON'), backup: has('BACKUP_LIAISON'), head: has('HEAD'), leader: actor.leader !== null };
    return reply(helpCard({ name: actor.name, unknownText: cmd.unknownText, ...roles }));
  },
  whoami: async (_cmd, { actor }) => {
    const lines = describeActor(actor);
    return reply(card({ title: actor.name, subtitle: actor.title ?? '我的信息', template: 'blue', elements: [markdown(lines.length ? lines.map((l) => `- ${l}`).join('\n') : '暂未分配单位或角色。')] }));
  },
  'outbound.failed': async (_cmd, { tx, actor }) => reply(await failuresCard(tx, actor)),
  usage: async (cmd) => reply(noticeCard(cmd.title, [cmd.message], 'orange')),
};

const generalCards: General<CardCommand, 'invalid'> = {
  invalid: async (cmd) => ({ toast: { type: 'warning', content: cmd.message } }),
};

const MESSAGE_HANDLERS: HandlerTable<MessageCommand> = { ...generalMessages, ...collectionMessages, ...lightsMessages, ...problemsMessages, ...meetingsMessages, ...reportMessages };
const CARD_HANDLERS: HandlerTable<CardCommand> = { ...generalCards, ...collectionCards, ...lightsCards, ...meetingsCards, ...tasksCards, ...problemsCards, ...reportCards };

/** Runs a chat command; its replies go out through the outbox. */
export function dispatchMessage(deps: DispatchDeps, origin: Origin, cmd: MessageCommand): Promise<Ran> {
  const handler = MESSAGE_HANDLERS[cmd.kind] as (c: MessageCommand, ctx: UseCaseContext) => Promise<Outcome>;
  return runUseCase(deps, 'message', origin, cmd, handler);
}

/** Runs a card action; the answer is the callback's response (toast and card). */
export function dispatchCardAction(deps: DispatchDeps, origin: Origin, cmd: CardCommand): Promise<Ran> {
  const handler = CARD_HANDLERS[cmd.kind] as (c: CardCommand, ctx: UseCaseContext) => Promise<Outcome>;
  return runUseCase(deps, 'card', origin, cmd, handler);
}
