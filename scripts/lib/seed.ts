// Set-up: an empty database gets the configured city (the demo city by default) and its history.
import type { Env } from '../../src/config/env.ts';
import { createPrisma } from '../../src/platform/prisma.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { loadDemoCity } from '../../src/modules/demo/demo-city.ts';

export async function seedIfEmpty(env: Env, log: (m: string) => void = console.log): Promise<void> {
  const prisma = createPrisma(env.DATABASE_URL, { max: 4 });
  try {
    if ((await prisma.unit.count()) > 0) return;
    log(`Empty database: loading ${env.CITY_CONFIG}${env.DEMO_HISTORY ? ' with its figure history' : ''}`);
    const { config, history } = await loadDemoCity(prisma, systemClock, { configPath: env.CITY_CONFIG, history: env.DEMO_HISTORY });
    const c = config.created;
    log(`Loaded ${c.units} units, ${c.people} people, ${c.indicators} indicators, ${c.targets} targets, ${c.cycles} reporting cycles` +
      (history.loaded ? `; history: ${history.periods} closed periods, ${history.revisions} figures` : ''));
  } finally {
    await prisma.$disconnect();
  }
}
