// Domain: a ReportingCycle row as the schedule maths reads it (escalation steps are JSON in the row).
import { z } from 'zod';
import type { ReportingCycle } from '../../generated/prisma/client.ts';
import type { CycleRule } from './schedule.ts';

const Escalations = z.array(
  z.object({ workdaysAfter: z.int().min(1), hour: z.int().min(0).max(23), to: z.array(z.enum(['head', 'leader', 'organiser'])).min(1) }),
);

export function cycleRuleOf(c: ReportingCycle): CycleRule {
  return {
    code: c.code,
    name: c.name,
    frequency: c.frequency,
    openDay: c.openDay,
    dueDay: c.dueDay,
    dueShiftForward: c.dueShiftForward,
    dueHour: c.dueHour,
    remindDaysBefore: c.remindDaysBefore,
    remindHour: c.remindHour,
    remindOnRestDays: c.remindOnRestDays,
    quietFromHour: c.quietFromHour,
    quietToHour: c.quietToHour,
    // Written by config:apply from a validated file; a row that fails here is a bug, not user input.
    escalations: Escalations.parse(c.escalations),
  };
}
