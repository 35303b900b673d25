// Sandbox mode: the city's people become the sandbox's Feishu users, so a trainer can act as any of them.
import type { PrismaClient } from './platform/prisma.ts';
import type { DirectoryUser } from './sandbox/types.ts';

const ROLE_NAMES = { LIAISON: '联络员', BACKUP_LIAISON: '备用联络员', HEAD: '主要负责人', ORGANISER: '例会办公室' } as const;

export async function sandboxDirectory(prisma: PrismaClient): Promise<DirectoryUser[]> {
  const people = await prisma.person.findMany({
    where: { active: true, openId: { not: null } },
    include: { roles: { where: { active: true }, include: { unit: true } }, leader: true },
    orderBy: { code: 'asc' },
  });
  return people.map((p) => {
    const role = p.roles[0];
    const title = p.leader?.active ? (p.title ?? '市领导') : role ? ROLE_NAMES[role.role] : (p.title ?? undefined);
    return {
      openId: p.openId!,
      ...(p.userId ? { userId: p.userId } : {}),
      name: p.name,
      ...(p.mobile ? { mobile: p.mobile } : {}),
      ...(title ? { title } : {}),
      unitName: role?.unit.name ?? (p.leader ? '市政府' : ''),
    };
  });
}
