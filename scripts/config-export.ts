// npm run config:export -- [file] — writes the active city configuration as YAML (stdout without a file).
import { writeFile } from 'node:fs/promises';
import { databaseUrlFromEnv } from '../src/config/env.ts';
import { createPrisma } from '../src/platform/prisma.ts';
import { exportCityConfig, toYaml } from '../src/modules/city-config/city-config.export.ts';

const file = process.argv.slice(2).find((a) => !a.startsWith('--'));
const prisma = createPrisma(databaseUrlFromEnv(), { max: 2 });
try {
  const yaml = toYaml(await exportCityConfig(prisma), ' City configuration exported from the database (active entries only).');
  if (file) {
    await writeFile(file, yaml);
    console.error(`Wrote ${file}`);
  } else {
    process.stdout.write(yaml);
  }
} finally {
  await prisma.$disconnect();
}
