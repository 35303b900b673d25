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
