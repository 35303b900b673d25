// Domain: who may do what, from the roles a person holds (the Actor read once per command).
import type { Actor } from '../people/people.service.ts';

export const isOrganiser = (a: Actor) => a.roles.some((r) => r.role === 'ORGANISER');

/** The units a person answers for as liaison, backup or head. */
export const memberUnits = (a: Actor) => [...new Set(a.roles.filter((r) => r.role !== 'ORGANISER').map((r) => r.unitId))];

/** The unit's liaison, backup or head, or an organiser: who may see the unit's report. */
export const maySeeUnit = (a: Actor, unitId: string) => isOrganiser(a) || a.roles.some((r) => r.unitId === unitId && r.role !== 'ORGANISER');

export type Standing = { ok: true; onBehalf: boolean } | { ok: false; message: string };

/** Only the unit's liaison, backup or head may submit for it; an organiser may, on its behalf. */
export function standingFor(actor: Actor, unitId: string, unitName: string): Standing {
  if (actor.roles.some((r) => r.unitId === unitId && r.role !== 'ORGANISER')) return { ok: true, onBehalf: false };
  if (isOrganiser(actor)) return { ok: true, onBehalf: true };
  return { ok: false, message: `您不是${unitName}的联络员、备用联络员或主要负责人，不能为该单位报送。如需代报，请联系经济运行例会办公室。` };
}
