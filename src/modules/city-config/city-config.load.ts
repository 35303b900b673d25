// City configuration: reading and validating the YAML file. Every problem (YAML syntax, shape,
// cross-references) is collected into one CityConfigError, one line per problem:
//   <file>: <path>: <message>
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { cityConfigErrorMap, cityConfigSchema, formatPath, type CityConfig } from './city-config.schema.ts';

export { formatPath };

export class CityConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'CityConfigError';
  }
}

/** Reads and validates a city file; the messages name the file by its base name. */
export async function loadCityConfigFile(filePath: string): Promise<CityConfig> {
  let text: string;
  try {
    text = await readFile(filePath, 'utf8');
  } catch (err) {
    throw new CityConfigError([`${path.basename(filePath)}: (file): cannot read the file (${(err as Error).message})`]);
  }
  return parseCityConfig(text, path.basename(filePath));
}

/** Parses YAML text into a validated config, or throws CityConfigError listing every problem. */
export function parseCityConfig(text: string, fileName: string): CityConfig {
  const data = parseYaml(text, fileName);
  const res = cityConfigSchema.safeParse(data, { error: cityConfigErrorMap });
  if (res.success) return res.data;
  throw new CityConfigError(res.error.issues.map((iss) => `${fileName}: ${formatPath(iss.path)}: ${iss.message}`));
}

function parseYaml(text: string, fileName: string): unknown {
  const lineCounter = new LineCounter();
  // uniqueKeys (the default) makes a repeated key an error rather than a silent override.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length) {
    // One mistake often trips several parser errors on the same line: report the first of each line.
    const byLine = new Map<number, string>();
    for (const err of doc.errors) {
      const { line, col } = lineCounter.linePos(err.pos[0]);
      if (!byLine.has(line)) byLine.set(line, `${fileName}: line ${line}, column ${col}: ${firstLine(err.message)}`);
    }
    throw new CityConfigError([...byLine.values()]);
  }
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  if (data === null || data === undefined) {
    throw new CityConfigError([`${fileName}: (root): the file is empty; expected a mapping with units, people, leaders, indicators, assignments, cycles and warning_rules`]);
  }
  return data;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}
