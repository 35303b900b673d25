// npm run preview -- <cycle> [period] — lists the opening, the deadline and every reminder and escalation
// time of a period (the current one by default), from the configuration and the official calendar.
import { databaseUrlFromEnv } from '../src/config/env.ts';
import { createPrisma } from '../src/platform/prisma.ts';
import { systemClock } from '../src/platform/clock.ts';
import { previewLines } from '../src/modules/collection/organiser-commands.ts';
import { MissingCalendarError } from '../src/modules/calendar/work-calendar.ts';

const [cycle, period] = process.argv.slice(2);
const prisma = createPrisma(databaseUrlFromEnv());
try {
  if (!cycle) {
    const cycles = await prisma.reportingCycle.findMany({ where: { active: true }, orderBy: { code: 'asc' } });
    console.error(`Usage: npm run preview -- <cycle> [period]   cycles: ${cycles.map((c) => `${c.code} (${c.name})`).join(', ')}`);
    process.exitCode = 2;
  } else {
    for (const line of await previewLines(prisma, systemClock, cycle, period)) console.log(line);
  }
} catch (err) {
  console.error(err instanceof MissingCalendarError || err instanceof Error ? err.message : err);
  process.exitCode = 1;
} finally {
  await prisma.$disconnect();
}
