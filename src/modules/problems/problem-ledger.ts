// Domain: the problem ledger (问题台账). A liaison registers a problem from a card; the same
// submission (same request key) registers it once.
import type { PrismaClient, Tx } from '../../platform/prisma.ts';
import type { Clock } from '../../platform/clock.ts';
import { beijingDate } from '../../platform/business-time.ts';
import type { ProblemForm } from '../../../cards/problem-form.ts';
import type { Actor } from '../people/people.service.ts';

export interface RegisteredProblem {
  id: string;
  number: string;
  title: string;
  enterprise: string;
  unitName: string;
  reportedAt: Date;
  /** False when this request key had already registered the problem. */
  created: boolean;
}

/** Ledger numbers read like 问题-20261123-1A2B3C: the day (Beijing) and the start of the row id. */
export function problemNumber(id: string, reportedAt: Date): string {
  const day = beijingDate(reportedAt).replaceAll('-', '');
  return `问题-${day}-${id.slice(0, 6).toUpperCase()}`;
}

export class NoUnitError extends Error {}

/**
 * Registers the problem and its audit entry in ONE statement (one round trip): a card callback must
 * answer within Feishu's 3 s even in a burst. A replay with the same request key inserts nothing and
 * reads the first registration.
 */
export async function registerProblem(
  db: PrismaClient | Tx,
  clock: Clock,
  actor: Actor,
  form: ProblemForm,
  requestKey: string,
): Promise<RegisteredProblem> {
  const unit = actor.roles[0];
  if (!unit) throw new NoUnitError('the person belongs to no unit');
  const now = clock.now();
  type Row = { id: string; title: string; enterprise: string | null; reportedAt: Date; unitName: string; created: boolean };
  const rows = await db.$queryRaw<Row[]>`
    WITH created AS (
      INSERT INTO "Problem" (id, "unitId", title, enterprise, description, status, "reportedById", "reportedAt", "requestKey")
      VALUES (gen_random_uuid(), ${unit.unitId}::uuid, ${form.title}, ${form.enterprise || null}, ${form.description},
              'OPEN', ${actor.personId}::uuid, ${now}, ${requestKey})
      ON CONFLICT ("requestKey") DO NOTHING
      RETURNING id, title, enterprise, "reportedAt", "unitId"
    ), audit AS (
      INSERT INTO "AuditLog" (at, "actorId", action, entity, "entityId", data)
      SELECT ${now}, ${actor.personId}::uuid, 'problem.register', 'Problem', c.id::text, jsonb_build_object('title', c.title)
      FROM created c
    )
    SELECT c.id, c.title, c.enterprise, c."reportedAt", u.name AS "unitName", true AS created
      FROM created c JOIN "Unit" u ON u.id = c."unitId"
    UNION ALL
    SELECT p.id, p.title, p.enterprise, p."reportedAt", u.name, false
      FROM "Problem" p JOIN "Unit" u ON u.id = p."unitId"
     WHERE p."requestKey" = ${requestKey}`;
  // The statement sees the table as it was before it: a replay finds the old row in the second branch only.
  const row = rows.find((r) => r.created) ?? rows[0];
  if (!row) throw new Error(`problem ${requestKey} was neither created nor found`);
  return {
    id: row.id,
    number: problemNumber(row.id, row.reportedAt),
    title: row.title,
    enterprise: row.enterprise ?? '',
    unitName: row.unitName,
    reportedAt: row.reportedAt,
    created: row.created,
  };
}
