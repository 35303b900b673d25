// Lights: who may see a warning and who may act on it. Seeing follows the routing of the lights (the
// people a warning is pushed to), plus the principal leader, the organisers and the unit's own people.
import type { PrismaClient, Tx } from '../../platform/prisma.ts';
import type { Actor } from '../people/people.service.ts';
import { isOrganiser } from '../shared/results.ts';
import { recipientsOf } from './lights.service.ts';

type Db = PrismaClient | Tx;

export const NO_WARNING_ACCESS = '您无权查看该预警';

/** A leader in charge of the indicator, the principal leader, or an organiser. */
export async function mayActOnWarning(db: Db, actor: Actor, w: { indicatorId: string }): Promise<boolean> {
  if (isOrganiser(actor) || actor.leader?.rank === 'PRINCIPAL') return true;
  return (await db.leaderDomainIndicator.count({ where: { indicatorId: w.indicatorId, domain: { active: true, leader: { personId: actor.personId, active: true } } } })) > 0;
}

/**
 * Those who may act, the unit's liaison, backup and head, and whoever the light is routed to (the
 * vice-mayors whose domain lists the indicator, the lead department's head, the unit's head).
 */
export async function maySeeWarning(db: Db, actor: Actor, w: { indicatorId: string; unitId: string }): Promise<boolean> {
  if (isOrganiser(actor) || actor.leader?.rank === 'PRINCIPAL') return true;
  if (actor.roles.some((r) => r.unitId === w.unitId && r.role !== 'ORGANISER')) return true;
  return (await recipientsOf(db, w.indicatorId, w.unitId)).some((p) => p.id === actor.personId);
}

/** A unit's liaison, backup or head: they answer the 批示 sent to their unit. */
export const mayAnswerForUnit = (actor: Actor, unitId: string): boolean =>
  actor.roles.some((r) => r.unitId === unitId && r.role !== 'ORGANISER');

/** What a viewer of a warning may do, so cards show only the buttons that person may use. */
export interface WarningPowers {
  /** 已阅, 批示, 交办, 召集专题会, 约谈. */
  act: boolean;
  /** Units whose answer to a 批示 this viewer may give (收到 / 反馈措施). */
  answerFor: string[];
}

export async function whoMayAct(db: Db, actor: Actor, w: { indicatorId: string }): Promise<WarningPowers> {
  return {
    act: await mayActOnWarning(db, actor, w),
    answerFor: [...new Set(actor.roles.filter((r) => r.role !== 'ORGANISER').map((r) => r.unitId))],
  };
}

/**
 * Of the people a light is pushed to, those who may act on it (the leaders in charge of the indicator,
 * the principal leader, the organisers); the others (department and unit heads) only read it.
 */
export async function actorsAmong(db: Db, indicatorId: string, personIds: string[]): Promise<Set<string>> {
  if (!personIds.length) return new Set();
  const rows = await db.person.findMany({
    where: {
      id: { in: personIds },
      OR: [
        { roles: { some: { role: 'ORGANISER', active: true } } },
        { leader: { active: true, rank: 'PRINCIPAL' } },
        { leader: { active: true, domains: { some: { active: true, indicators: { some: { indicatorId } } } } } },
      ],
    },
    select: { id: true },
  });
  return new Set(rows.map((r) => r.id));
}
