// Stand-in until the city file's meetings section lands (issue 10).
import type { PrismaClient, Tx } from '../../platform/prisma.ts';
export async function loadMeetingSettings(_db: PrismaClient | Tx) {
  return { schedule: { location: '市政府三楼第一会议室', durations: { interview: 60, special: 90, monthly: 120 }, monthly_hosts: ['lin-zhenhua'] as string[] } };
}
