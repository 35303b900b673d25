// Meetings: the `meetings` section of the city file (place, lengths, hosts of the 例会, how the month's
// ranking is made and which seats and 约谈 it proposes), as config:apply stored it in Setting 'meetings'.
import type { PrismaClient, Tx } from '../../platform/prisma.ts';
import { meetingsSchema, type MeetingsConfig } from '../city-config/city-config.schema.ts';

export type MeetingSettings = MeetingsConfig;
export type RankingSettings = MeetingsConfig['ranking'];

/** The section in force; defaults when the city file has none (or a database predates it). */
export async function loadMeetingSettings(db: PrismaClient | Tx): Promise<MeetingSettings> {
  const row = await db.setting.findUnique({ where: { key: 'meetings' } });
  const parsed = meetingsSchema.safeParse(row?.value ?? {});
  return parsed.success ? parsed.data : meetingsSchema.parse({});
}
