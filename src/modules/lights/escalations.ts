// Lights: the escalation of an unacknowledged red, one step at a time (planned by the digest push, run
// by jobs/lights.job.ts). Job code: it writes through deps.prisma and returns the outbox ids to enqueue.
import type { Prisma } from '../../generated/prisma/client.ts';
import type { PrismaClient } from '../../platform/prisma.ts';
import type { Clock } from '../../platform/clock.ts';
import { addOutbound } from '../../outbox/outbox.service.ts';
import type { Card } from '../../../cards/card.ts';
import { noticeCard } from '../../../cards/collection-admin.ts';
import { periodLabel } from '../collection/schedule.ts';

export interface WarningsDeps {
  prisma: PrismaClient;
  clock: Clock;
}

const json = (c: Card) => c as unknown as Prisma.InputJsonValue;

/**
 * An escalation step of an unacknowledged red: 1 = urgent buzz on the leader's digest, 2 = the principal
 * leader and the organiser told, 3 = pushed again (the caller re-sends the digest). Nothing once
 * acknowledged or no longer red. Returns the outbox ids and whether to repeat the digest.
 */
export async function escalateWarning(deps: WarningsDeps, p: { warningId: string; step: number }): Promise<{ outbound: string[]; repeat: boolean }> {
  const db = deps.prisma;
  const now = deps.clock.now();
  const w = await db.warning.findUnique({ where: { id: p.warningId }, include: { indicator: true, unit: true, period: { include: { cycle: true } } } });
  if (!w || w.level !== 'RED' || w.acknowledgedAt || w.status === 'RESOLVED' || w.escalationStep >= p.step) return { outbound: [], repeat: false };
  const ids: string[] = [];
  if (p.step === 1 && w.lastDigestKey) {
    // The buzz goes on the digest the leaders already have, so the red itself is what rings.
    const leaders = await db.person.findMany({ where: { active: true, leader: { active: true, domains: { some: { active: true, indicators: { some: { indicatorId: w.indicatorId } } } } } } });
    for (const l of leaders) {
      const digest = await db.outboundMessage.findUnique({ where: { dedupeKey: `${w.lastDigestKey}-${l.id}` } });
      if (!digest?.feishuMessageId || !l.openId) continue;
      const row = await addOutbound(db, { kind: 'URGENT', dedupeKey: `buzz-${w.id}-${w.lastDigestKey}-${l.id}`, targetMessageId: digest.feishuMessageId, content: { userIds: [l.openId] } });
      if (row.created) ids.push(row.id);
    }
  }
  if (p.step === 2) {
    const people = await db.person.findMany({
      where: { active: true, openId: { not: null }, OR: [{ leader: { active: true, rank: 'PRINCIPAL' } }, { roles: { some: { role: 'ORGANISER', active: true } } }] },
    });
    const label = periodLabel(w.period.cycle.frequency, w.period.periodKey);
    for (const person of people) {
      const row = await addOutbound(db, {
        kind: 'SEND',
        dedupeKey: `redesc-${w.id}-${person.id}`,
        receiveIdType: 'open_id',
        receiveId: person.openId!,
        msgType: 'interactive',
        content: json(noticeCard('红灯预警尚未处理', [`${label} ${w.unit.name} ${w.indicator.name} 为红灯，分管领导尚未阅示。`, `原因：${(w.reasons as string[]).join('；')}`], 'red')),
      });
      if (row.created) ids.push(row.id);
    }
  }
  await db.warning.update({ where: { id: w.id }, data: { escalationStep: p.step } });
  await db.auditLog.create({ data: { at: now, action: 'warning.escalate', entity: 'Warning', entityId: w.id, data: { step: p.step } } });
  return { outbound: ids, repeat: p.step === 3 };
}

