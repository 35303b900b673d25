// Problems: the problem ledger (问题台账). A liaison registers a problem from the form (parsed and within
// its limits at the edge); the receipt card answers. The request key keeps one row per submission.
import type { ProblemsCard } from '../../commands/command.ts';
import type { Tx } from '../../platform/prisma.ts';
import { beijingDate, beijingDateTime } from '../../platform/business-time.ts';
import { problemReceiptCard, type ProblemForm } from '../../../cards/problem-form.ts';
import type { Actor } from '../people/people.service.ts';
import type { Outcome, UseCaseContext } from '../shared/outcome.ts';

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

export const NO_UNIT = '您尚未归属任何责任单位，请联系经济运行例会办公室。';

/**
 * Registers the problem and its audit entry in ONE statement (one round trip): a card callback must
 * answer within Feishu's 3 s even in a burst. A replay with the same request key inserts nothing and
 * reads the first registration.
 */
async function insertProblem(db: Tx, now: Date, actor: Actor, unit: { unitId: string }, form: ProblemForm, requestKey: string): Promise<RegisteredProblem> {
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

export async function registerProblem(cmd: Extract<ProblemsCard, { kind: 'problem.submit' }>, ctx: UseCaseContext): Promise<Outcome> {
  const unit = ctx.actor.roles[0];
  if (!unit) return { toast: { type: 'warning', content: NO_UNIT } };
  const p = await insertProblem(ctx.tx, ctx.now, ctx.actor, unit, cmd.form, `card-${ctx.origin.key}`);
  return {
    toast: { type: 'success', content: p.created ? `已登记，台账编号 ${p.number}` : `该问题已登记，台账编号 ${p.number}` },
    card: problemReceiptCard({ number: p.number, title: p.title, enterprise: p.enterprise, unitName: p.unitName, reporterName: ctx.actor.name, reportedAt: beijingDateTime(p.reportedAt) }),
  };
}
