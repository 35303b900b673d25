// Domain: a unit named by what a person types — its name, short name or code; ambiguity is said, not guessed.
import type { PrismaClient, Tx } from '../../platform/prisma.ts';

export type FoundUnit = { ok: true; unit: { id: string; name: string; shortName: string | null; code: string } } | { ok: false; message: string };

/** `example` is a whole command to copy (「催报 鞍东区」), shown when nothing matches. */
export async function findUnitByName(db: PrismaClient | Tx, text: string, example = '催报 鞍东区'): Promise<FoundUnit> {
  const t = text.trim();
  const units = await db.unit.findMany({ where: { active: true }, select: { id: true, name: true, shortName: true, code: true } });
  const exact = units.filter((u) => u.name === t || u.shortName === t || u.code === t);
  if (exact.length === 1) return { ok: true, unit: exact[0]! };
  const partial = t ? units.filter((u) => u.name.includes(t) || (u.shortName ?? '').includes(t)) : [];
  if (partial.length === 1) return { ok: true, unit: partial[0]! };
  if (partial.length > 1) return { ok: false, message: `「${t}」对应多个单位：${partial.slice(0, 6).map((u) => u.shortName ?? u.name).join('、')}。请写出完整的单位名称。` };
  return { ok: false, message: `没有找到名为「${t}」的单位。请写出单位全称或简称，例如「${example}」。` };
}
