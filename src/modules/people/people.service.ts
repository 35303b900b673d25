// Domain: who is talking to the bot. Looks a Feishu open_id up in the city's directory.
import type { PrismaClient, Tx } from '../../platform/prisma.ts';

export interface Actor {
  personId: string;
  name: string;
  title: string | null;
  roles: { unitId: string; unitName: string; role: 'LIAISON' | 'BACKUP_LIAISON' | 'HEAD' | 'ORGANISER' }[];
  leader: { rank: 'PRINCIPAL' | 'DEPUTY'; domains: string[] } | null;
}

/** One round trip: the person, their active roles and, for a leader, their domains (on every card click). */
export async function findActor(db: PrismaClient | Tx, openId: string): Promise<Actor | null> {
  const rows = await db.$queryRaw<
    { id: string; name: string; title: string | null; roles: Actor['roles'] | null; rank: 'PRINCIPAL' | 'DEPUTY' | null; domains: string[] | null }[]
  >`
    SELECT p.id, p.name, p.title,
      (SELECT json_agg(json_build_object('unitId', r."unitId", 'unitName', u.name, 'role', r.role) ORDER BY r.role, u."sortOrder", u.code)
         FROM "UnitRole" r JOIN "Unit" u ON u.id = r."unitId"
        WHERE r."personId" = p.id AND r.active AND u.active) AS roles,
      l.rank,
      (SELECT array_agg(d.name ORDER BY d.code) FROM "LeaderDomain" d WHERE d."leaderId" = l.id AND d.active) AS domains
    FROM "Person" p
    LEFT JOIN "Leader" l ON l."personId" = p.id AND l.active
    WHERE p."openId" = ${openId} AND p.active
    LIMIT 1`;
  const p = rows[0];
  if (!p) return null;
  return {
    personId: p.id,
    name: p.name,
    title: p.title,
    roles: p.roles ?? [],
    leader: p.rank ? { rank: p.rank, domains: p.domains ?? [] } : null,
  };
}

const ROLE_NAMES = { LIAISON: '联络员', BACKUP_LIAISON: '备用联络员', HEAD: '主要负责人', ORGANISER: '例会办公室' } as const;

/** One line per role, in Chinese, for 「我是谁」. */
export function describeActor(a: Actor): string[] {
  const lines = a.roles.map((r) => `${r.unitName} · ${ROLE_NAMES[r.role]}`);
  if (a.leader) {
    const rank = a.leader.rank === 'PRINCIPAL' ? '主要领导' : '分管领导';
    lines.push(a.leader.domains.length ? `${rank} · 分管：${a.leader.domains.join('、')}` : rank);
  }
  return lines;
}

/** The meeting office's people the bot can reach: who hears about late edits, proposals and problems to fix. */
export function organisers(db: PrismaClient | Tx) {
  return db.person.findMany({
    where: { active: true, openId: { not: null }, roles: { some: { role: 'ORGANISER', active: true, unit: { active: true } } } },
    orderBy: { code: 'asc' },
  });
}
