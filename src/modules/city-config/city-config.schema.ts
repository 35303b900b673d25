// City configuration: the zod schema of the declarative YAML file (config/*.yaml).
// Everything is keyed by a stable `code`; the file is the source of truth for organisation,
// indicators, targets, cycles and warning rules. Messages are written for the organiser who edits
// the file: each says what is wrong and what is expected.
import { z } from 'zod';

// ───────────────────────────── Messages ─────────────────────────────

/** A short description of a YAML value for messages: `"八"`, `12`, `a list`. */
export function describeValue(input: unknown): string {
  if (input === undefined) return 'nothing';
  if (input === null) return 'an empty value';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  if (typeof input === 'string') return JSON.stringify(input);
  return String(input);
}

/** "expected X, got Y" — or "missing required field; expected X" when the field is absent. */
export function expectedGot(expected: string, input: unknown): string {
  return input === undefined ? `missing required field; expected ${expected}` : `expected ${expected}, got ${describeValue(input)}`;
}

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
};

/** Turns zod's raw issues into the English messages of the city file (used for the whole parse). */
export const cityConfigErrorMap: z.core.$ZodErrorMap = (iss) => {
  switch (iss.code) {
    case 'invalid_type':
      return expectedGot(EXPECTED[iss.expected] ?? iss.expected, iss.input);
    case 'invalid_value':
      return expectedGot(`one of ${iss.values.map((v) => String(v)).join(', ')}`, iss.input);
    case 'unrecognized_keys':
      return `unknown field${iss.keys.length > 1 ? 's' : ''} ${iss.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'too_small':
      if (iss.origin === 'array') return `expected at least ${String(iss.minimum)} item(s), got ${describeLength(iss.input)}`;
      if (iss.origin === 'string') return `expected a non-empty string`;
      return expectedGot(`a number ${iss.inclusive ? '>=' : '>'} ${String(iss.minimum)}`, iss.input);
    case 'too_big':
      if (iss.origin === 'string') return `expected at most ${String(iss.maximum)} characters`;
      if (iss.origin === 'array') return `expected at most ${String(iss.maximum)} item(s)`;
      return expectedGot(`a number ${iss.inclusive ? '<=' : '<'} ${String(iss.maximum)}`, iss.input);
    case 'invalid_key':
      // The key's own schema has already explained what it expects.
      return iss.issues[0]?.message ?? `invalid key ${describeValue(iss.input)}`;
    default:
      return undefined;
  }
};

function describeLength(input: unknown): string {
  return Array.isArray(input) ? `${input.length}` : describeValue(input);
}

// ───────────────────────────── Building blocks ─────────────────────────────

const CODE_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A stable code: lowercase ASCII kebab-case, e.g. `songling-county`. */
export const codeSchema = z
  .string()
  .max(64)
  .regex(CODE_RE, { error: (iss) => expectedGot(`a code in lowercase kebab-case (a-z, 0-9, -)`, iss.input) });

const text = z.string().trim().min(1).max(200);

const numberWith = (what: string) =>
  z.number({ error: (iss) => expectedGot(`a number (${what})`, iss.input) }).refine(Number.isFinite, {
    error: (iss) => expectedGot(`a finite number (${what})`, iss.input),
  });

/** At most `places` decimals, so the value fits its Decimal column exactly. */
const withPlaces = (schema: z.ZodType<number>, places: number, what: string) =>
  schema.refine((n) => decimalPlaces(n) <= places, {
    error: (iss) => expectedGot(`at most ${places} decimal places (${what})`, iss.input),
  });

export function decimalPlaces(n: number): number {
  const s = String(n);
  if (s.includes('e')) return Number.POSITIVE_INFINITY;
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}

/** Growth in percent (Decimal(9,2)). */
export const pctSchema = withPlaces(numberWith('percent'), 2, 'percent');
/** An absolute value in the indicator's measure unit (Decimal(20,4)). */
export const valueSchema = withPlaces(numberWith('value in the measure unit'), 4, 'value');
/** A warning threshold (Decimal(9,2)): percentage points, ranks or months depending on the rule. */
const thresholdSchema = withPlaces(numberWith('threshold'), 2, 'threshold');

const intIn = (min: number, max: number, what: string) =>
  z.int({ error: (iss) => expectedGot(`a whole number (${what})`, iss.input) }).min(min).max(max);

/** A mobile number; YAML reads an unquoted 13800000000 as a number, so accept both. */
const MOBILE_EXPECTED = 'an 11-digit mobile number such as 13800000000';
const mobileSchema = z
  .union([z.string(), z.number()], { error: (iss) => expectedGot(MOBILE_EXPECTED, iss.input) })
  .transform((v) => String(v).trim())
  .pipe(z.string().regex(/^(\+86)?1\d{10}$/, { error: (iss) => expectedGot(MOBILE_EXPECTED, iss.input) }));

/** A strict object: a misspelt field is an error that lists the fields that exist. */
function strict<T extends z.core.$ZodLooseShape>(shape: T) {
  const known = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (iss) =>
      iss.code === 'unrecognized_keys'
        ? `unknown field${iss.keys.length > 1 ? 's' : ''} ${iss.keys.map((k) => `"${k}"`).join(', ')}; expected one of: ${known}`
        : undefined,
  });
}

const list = <T extends z.ZodType>(item: T) => z.array(item);

// ───────────────────────────── Sections ─────────────────────────────

export const UNIT_KINDS = ['city', 'region', 'department', 'working_group', 'street', 'office'] as const;
export const ROLE_KINDS = ['liaison', 'backup_liaison', 'head', 'organiser'] as const;
export const LEADER_RANKS = ['principal', 'deputy'] as const;
export const VALUE_KINDS = ['cumulative', 'current'] as const;
export const GROWTH_BASES = ['yoy', 'comparable', 'none'] as const;
export const FREQUENCIES = ['weekly', 'monthly', 'quarterly'] as const;
export const DIRECTIONS = ['higher_is_better', 'lower_is_better'] as const;
/** What below_average compares with: the parent's own figure (then the next), the siblings' value-weighted growth, the plain mean. */
export const COMPARE_WITH = ['parent', 'weighted', 'mean'] as const;
export const ESCALATION_TARGETS = ['head', 'leader', 'organiser'] as const;
export const WARNING_RULE_KINDS = ['gap_to_target', 'below_average', 'rank_bottom', 'declining_trend', 'negative_growth', 'overdue_tasks'] as const;

export const unitSchema = strict({
  code: codeSchema,
  name: text,
  short_name: text.optional(),
  /** Other names of the unit in bureaus' files (经开区 / 经济技术开发区). */
  aliases: z.array(text).optional(),
  kind: z.enum(UNIT_KINDS),
  /** Code of the parent unit; the city has none. */
  parent: codeSchema.optional(),
});

export const roleSchema = strict({
  unit: codeSchema,
  role: z.enum(ROLE_KINDS),
});

export const personSchema = strict({
  code: codeSchema,
  name: text,
  title: text.optional(),
  open_id: z
    .string()
    .regex(/^ou_[A-Za-z0-9_-]+$/, { error: (iss) => expectedGot(`a Feishu open_id starting with "ou_"`, iss.input) })
    .optional(),
  user_id: text.optional(),
  mobile: mobileSchema.optional(),
  roles: list(roleSchema).default([]),
});

export const domainSchema = strict({
  code: codeSchema,
  name: text,
  indicators: list(codeSchema).default([]),
  units: list(codeSchema).default([]),
});

export const leaderSchema = strict({
  /** Code of the person (under `people`). */
  person: codeSchema,
  rank: z.enum(LEADER_RANKS),
  domains: list(domainSchema).default([]),
});

/** A target given as an object: growth in percent and/or an absolute value. */
const targetObjectSchema = strict({ growth: pctSchema.optional(), value: valueSchema.optional() }).refine(
  (t) => t.growth !== undefined || t.value !== undefined,
  { error: 'expected growth (percent) and/or value' },
);

export type TargetValue = number | { growth?: number; value?: number };

/**
 * One target: a bare number is the growth target in percent (`8` = +8 %); `{ value: 60000 }` is an
 * absolute target and `{ growth: 8, value: 1200 }` both. Dispatches on the type itself so a wrong
 * field inside the object is reported at its own path (a zod union would only say "invalid input").
 */
export const targetValueSchema = z.unknown().transform((input, ctx): TargetValue => {
  const schema = input !== null && typeof input === 'object' && !Array.isArray(input) ? targetObjectSchema : pctSchema;
  const res = schema.safeParse(input, { error: cityConfigErrorMap });
  if (res.success) return res.data;
  for (const iss of res.error.issues) ctx.addIssue({ code: 'custom', message: iss.message, path: iss.path });
  return z.NEVER;
});

export const QUARTER_KEYS = ['q1', 'q2', 'q3', 'q4'] as const;
export const MONTH_KEYS = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9', 'm10', 'm11', 'm12'] as const;
export const TARGET_PERIOD_KEYS = ['year', ...QUARTER_KEYS, ...MONTH_KEYS] as const;
export type TargetPeriodKey = (typeof TARGET_PERIOD_KEYS)[number];

const targetYearShape = Object.fromEntries(TARGET_PERIOD_KEYS.map((k) => [k, targetValueSchema.optional()])) as Record<
  TargetPeriodKey,
  z.ZodOptional<typeof targetValueSchema>
>;

/** One year's targets: `{ year: 6.5, q1: 6, q2: 6.2, q3: 6.3, q4: 6.5 }`, months m1..m12 optional. */
export const targetYearSchema = strict(targetYearShape).refine((y) => Object.values(y).some((v) => v !== undefined), {
  error: `expected at least one of ${TARGET_PERIOD_KEYS.join(', ')}`,
});

const yearKeySchema = z.string().regex(/^(19|20|21)\d{2}$/, {
  error: (iss) => expectedGot(`a four-digit year such as 2026`, iss.input),
});

/** targets: { <unit code>: { <year>: { year: …, q1: …, … } } } */
export const targetsSchema = z.record(codeSchema, z.record(yearKeySchema, targetYearSchema));

export const indicatorSchema = strict({
  code: codeSchema,
  name: text,
  measure_unit: text,
  value_kind: z.enum(VALUE_KINDS),
  /** yoy: growth from the values; comparable: growth at comparable prices (not checked against the values); none: no growth. */
  growth_basis: z.enum(GROWTH_BASES).default('yoy'),
  /** Published as a growth rate only (no level): the card asks only 增速, nothing is summed for the parent. */
  growth_only: z.boolean({ error: (iss) => expectedGot('true or false', iss.input) }).default(false),
  frequency: z.enum(FREQUENCIES),
  direction: z.enum(DIRECTIONS).default('higher_is_better'),
  /** What 低于全市… compares with; parent falls back to weighted (values that add up), then mean. */
  compare_with: z.enum(COMPARE_WITH).default('parent'),
  decimals: intIn(0, 4, 'decimal places').default(2),
  /** Code of the lead (responsible) unit, 牵头部门. */
  lead: codeSchema.optional(),
  /** Where the official figure comes from: 统计局, 税务局, 供电公司… */
  source: text.optional(),
  targets: targetsSchema.default({}),
});

export const assignmentSchema = strict({
  indicator: codeSchema,
  cycle: codeSchema,
  units: list(codeSchema).min(1),
});

export const cycleSchema = strict({
  code: codeSchema,
  name: text,
  frequency: z.enum(FREQUENCIES),
  /** Day of month (monthly, quarterly) or ISO weekday 1-7 (weekly, 5 = Friday). */
  due_day: intIn(1, 31, 'day of month, or weekday 1-7 for weekly cycles'),
  /** A due day that is not a workday moves to the next workday (true) or the previous one (false). */
  due_shift_forward: z.boolean({ error: (iss) => expectedGot(`true or false`, iss.input) }).default(true),
  /** Workdays before the due day on which reminders go out (0 = the due day itself). */
  remind_days_before: list(intIn(0, 31, 'days before the due day')).default([3, 1, 0]),
  remind_hour: intIn(0, 23, 'hour of day').default(9),
  /** Day of the month after the period (monthly, quarterly) or weekday 1-7 of the week (weekly) the period opens. */
  open_day: intIn(1, 28, 'day of month, or weekday 1-7 for weekly cycles').default(1),
  /** The deadline is the due day at this hour. */
  due_hour: intIn(1, 24, 'hour of day').default(18),
  remind_on_rest_days: z.boolean({ error: (iss) => expectedGot(`true or false`, iss.input) }).default(false),
  /** No reminder or escalation between these hours (from 21 to 8 by default). */
  quiet_hours: strict({ from: intIn(0, 23, 'hour of day'), to: intIn(0, 23, 'hour of day') }).default({ from: 21, to: 8 }),
  /** After the deadline: who is told, how many workdays late, at what hour. */
  escalations: list(
    strict({
      workdays_after: intIn(1, 30, 'workdays after the due day'),
      hour: intIn(0, 23, 'hour of day').default(9),
      to: list(z.enum(ESCALATION_TARGETS)).min(1),
    }),
  ).default([
    { workdays_after: 1, hour: 9, to: ['head'] },
    { workdays_after: 2, hour: 9, to: ['leader', 'organiser'] },
  ]),
});

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const isRealDate = (s: string) => {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
};
/** A date, or a range of dates `2027-02-06..2027-02-12`. */
const DATE_EXPECTED = 'a date such as 2027-01-01, or a range such as 2027-02-06..2027-02-12';
export const dateOrRangeSchema = z
  .string({ error: (iss) => expectedGot(DATE_EXPECTED, iss.input) })
  .refine((s) => {
    const [a, b, ...rest] = s.split('..');
    return rest.length === 0 && isRealDate(a!) && (b === undefined || (isRealDate(b) && b >= a!));
  }, { error: (iss) => expectedGot(DATE_EXPECTED, iss.input) });
const dateSchema = z
  .string({ error: (iss) => expectedGot('a date such as 2026-12-31', iss.input) })
  .refine(isRealDate, { error: (iss) => expectedGot('a date such as 2026-12-31', iss.input) });

/** The official calendar where the holiday package has no data yet, and local arrangements. */
export const calendarSchema = strict({
  /** A year's State Council notice: its rest days (holidays) and make-up workdays (调休上班). */
  years: list(
    strict({
      year: intIn(2000, 2100, 'year'),
      holidays: list(dateOrRangeSchema).default([]),
      workdays: list(dateSchema).default([]),
    }),
  ).default([]),
  /** Local arrangements, e.g. a day off the city grants: they win over everything else. */
  overrides: list(strict({ date: dateSchema, workday: z.boolean({ error: (iss) => expectedGot('true or false', iss.input) }), note: text.optional() })).default([]),
});

export const warningRuleSchema = strict({
  code: codeSchema,
  kind: z.enum(WARNING_RULE_KINDS),
  /** Without an indicator the rule is the default for every indicator lacking its own rule of this kind. */
  indicator: codeSchema.optional(),
  yellow: thresholdSchema,
  red: thresholdSchema,
  params: z.record(z.string(), z.json()).optional(),
});

/** How lights behave over time: sticky red, repeats and escalation of an unacknowledged red. */
export const lightsSchema = strict({
  /** A red becomes yellow only after recovery holds for this many periods. */
  sticky_red_periods: intIn(0, 12, 'periods').default(2),
  /** An unacknowledged red is pushed again after this many working hours. */
  repeat_red_after_hours: intIn(1, 200, 'working hours').default(18),
  /** An unacknowledged red buzzes the leader (urgent, 加急) after this many working hours. */
  buzz_after_hours: intIn(1, 200, 'working hours').default(4),
  /** Then the principal leader and the organiser are told. */
  notify_after_hours: intIn(1, 200, 'working hours').default(9),
  /** The buzz counts clock hours and may ring in quiet hours (the other pushes count working hours, 09:00-18:00 on workdays). */
  buzz_in_quiet_hours: z.boolean({ error: (iss) => expectedGot('true or false', iss.input) }).default(false),
});
export const LIGHTS_DEFAULTS = { sticky_red_periods: 2, repeat_red_after_hours: 18, buzz_after_hours: 4, notify_after_hours: 9, buzz_in_quiet_hours: false };

export const RANKING_METHODS = ['rank_points', 'target_pace'] as const;
const minutes = (d: number) => intIn(15, 480, 'minutes').default(d);
const bool = (d: boolean) => z.boolean({ error: (iss) => expectedGot('true or false', iss.input) }).default(d);

/** Meetings: where and how long they are, who hosts the 例会, and how the month's ranking proposes seats and 约谈. */
export const meetingsSchema = strict({
  schedule: strict({
    /** The default place of every meeting (editable on the scheduling card). */
    location: text.default('市政府三楼第一会议室'),
    /** Default length in minutes of a 约谈, a 专题会 and the monthly 例会. */
    durations: strict({ interview: minutes(60), special: minutes(90), monthly: minutes(120) }).prefault({}),
    /** Person codes of the leaders who host the monthly 例会 (and a meeting nobody asked for). */
    monthly_hosts: list(codeSchema).default([]),
  }).prefault({}),
  ranking: strict({
    /** rank_points: points by place on each indicator; target_pace: points above or below the target pace. */
    method: z.enum(RANKING_METHODS).default('rank_points'),
    /** Weight of each indicator in the composite ranking (indicator code → weight); empty: every indicator the regions report, equally. */
    weights: z.record(codeSchema, withPlaces(numberWith('weight'), 4, 'weight').refine((n) => n > 0, { error: (iss) => expectedGot('a weight above 0', iss.input) })).default({}),
    /** How many of the best units the 经验交流席 proposes, and of the weakest the 表态席. */
    exchange_seats: intIn(1, 3, 'seats').default(2),
    statement_seats: intIn(1, 3, 'seats').default(2),
    /** The draft 约谈 list: the last `bottom` places, units red on one indicator for `red_months` months in a row, units with overdue tasks. */
    interview: strict({
      bottom: intIn(0, 10, 'places').default(1),
      red_months: intIn(0, 12, 'months; 0 = off').default(3),
      overdue_tasks: bool(true),
      /** The list is a draft for a meeting office, not a census: at most this many units, the worst first. */
      max_units: intIn(1, 20, 'units').default(10),
    }).prefault({}),
  }).prefault({}),
});

const sectionShape = {
  version: z.literal(1, { error: (iss) => expectedGot(`1 (the file format version)`, iss.input) }).default(1),
  units: list(unitSchema),
  people: list(personSchema),
  leaders: list(leaderSchema),
  indicators: list(indicatorSchema),
  assignments: list(assignmentSchema),
  cycles: list(cycleSchema),
  warning_rules: list(warningRuleSchema),
  calendar: calendarSchema.default({ years: [], overrides: [] }),
  lights: lightsSchema.default(LIGHTS_DEFAULTS),
  meetings: meetingsSchema.prefault({}),
};

// ───────────────────────────── Cross-references ─────────────────────────────

type Sections = z.output<z.ZodObject<typeof sectionShape>>;
type Path = (string | number)[];
type Ctx = z.core.$RefinementCtx<Sections>;

/** Formats a path as the file's messages do: `indicators[3].targets.region-a.2026.q1`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || '(root)';
}

/** Collects codes and reports duplicates, pointing at the entry that has the code first. */
class CodeIndex {
  readonly paths = new Map<string, Path>();
  constructor(
    private readonly ctx: Ctx,
    private readonly what = 'code',
  ) {}
  /** `path` is where the code is written; `entry` the item holding it (default: the path minus its field). */
  add(code: string, path: Path, entry: Path = typeof path.at(-1) === 'string' ? path.slice(0, -1) : path): void {
    const first = this.paths.get(code);
    if (first) this.ctx.addIssue({ code: 'custom', path, message: `duplicate ${this.what} "${code}" (also at ${formatPath(first)})` });
    else this.paths.set(code, entry);
  }
  has(code: string): boolean {
    return this.paths.has(code);
  }
}

function suggestion(code: string, known: Iterable<string>): string {
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    const d = editDistance(code, k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best ? `; did you mean "${best}"?` : '';
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

function checkRef(ctx: Ctx, index: CodeIndex, what: string, code: string, path: Path): void {
  if (!index.has(code)) {
    ctx.addIssue({ code: 'custom', path, message: `unknown ${what} code "${code}"${suggestion(code, index.paths.keys())}` });
  }
}

/** An alias names one unit only: an official file's row must not fit two units. */
function checkAliases(cfg: Sections, ctx: Ctx): void {
  // Compared as the import compares names: NFKC, without spaces.
  const key = (s: string) => s.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
  const owner = new Map<string, string>();
  for (const u of cfg.units) for (const n of [u.code, u.name, u.short_name]) if (n && !owner.has(key(n))) owner.set(key(n), u.code);
  cfg.units.forEach((u, i) => {
    (u.aliases ?? []).forEach((alias, j) => {
      const other = owner.get(key(alias));
      if (other !== undefined && other !== u.code) {
        ctx.addIssue({ code: 'custom', path: ['units', i, 'aliases', j], message: `alias "${alias}" is also a name of unit "${other}"; an official file could not tell them apart` });
      }
      owner.set(key(alias), u.code);
    });
  });
}

/** The unit tree must be a forest: following parents from any unit never returns to it. */
function checkUnitTree(cfg: Sections, ctx: Ctx): void {
  const parentOf = new Map(cfg.units.map((u) => [u.code, u.parent]));
  const reported = new Set<string>();
  cfg.units.forEach((unit, i) => {
    const chain = [unit.code];
    let cur = unit.parent;
    while (cur !== undefined && parentOf.has(cur)) {
      if (cur === unit.code) {
        if (!chain.some((c) => reported.has(c))) {
          chain.forEach((c) => reported.add(c));
          ctx.addIssue({
            code: 'custom',
            path: ['units', i, 'parent'],
            message: `parent "${unit.parent}" makes a cycle in the unit tree (${[...chain, unit.code].join(' → ')}); expected a tree`,
          });
        }
        return;
      }
      if (chain.includes(cur)) return; // a cycle further up, reported from one of its members
      chain.push(cur);
      cur = parentOf.get(cur);
    }
  });
}

function checkCrossReferences(cfg: Sections, ctx: Ctx): void {
  const units = new CodeIndex(ctx);
  cfg.units.forEach((u, i) => units.add(u.code, ['units', i, 'code']));
  const people = new CodeIndex(ctx);
  cfg.people.forEach((p, i) => people.add(p.code, ['people', i, 'code']));
  const indicators = new CodeIndex(ctx);
  cfg.indicators.forEach((ind, i) => indicators.add(ind.code, ['indicators', i, 'code']));
  const cycles = new CodeIndex(ctx);
  cfg.cycles.forEach((c, i) => cycles.add(c.code, ['cycles', i, 'code']));
  const rules = new CodeIndex(ctx);
  cfg.warning_rules.forEach((r, i) => rules.add(r.code, ['warning_rules', i, 'code']));

  cfg.units.forEach((u, i) => {
    if (u.parent !== undefined) checkRef(ctx, units, 'unit', u.parent, ['units', i, 'parent']);
  });
  checkUnitTree(cfg, ctx);
  checkAliases(cfg, ctx);
  checkPeople(cfg, ctx, units);
  checkLeaders(cfg, ctx, { units, people, indicators });
  checkIndicators(cfg, ctx, units);
  checkAssignments(cfg, ctx, { units, indicators, cycles });
  checkCycles(cfg, ctx);
  checkCalendar(cfg, ctx);
  checkWarningRules(cfg, ctx, indicators);
  checkMeetings(cfg, ctx, { people, indicators });
}

function checkPeople(cfg: Sections, ctx: Ctx, units: CodeIndex): void {
  const openIds = new CodeIndex(ctx, 'open_id');
  const userIds = new CodeIndex(ctx, 'user_id');
  cfg.people.forEach((p, i) => {
    if (p.open_id !== undefined) openIds.add(p.open_id, ['people', i, 'open_id']);
    if (p.user_id !== undefined) userIds.add(p.user_id, ['people', i, 'user_id']);
    const roles = new CodeIndex(ctx, 'role');
    p.roles.forEach((r, j) => {
      checkRef(ctx, units, 'unit', r.unit, ['people', i, 'roles', j, 'unit']);
      roles.add(`${r.role} of ${r.unit}`, ['people', i, 'roles', j]);
    });
  });
}

function checkLeaders(cfg: Sections, ctx: Ctx, idx: { units: CodeIndex; people: CodeIndex; indicators: CodeIndex }): void {
  const leaderPeople = new CodeIndex(ctx, 'leader for person');
  const domains = new CodeIndex(ctx, 'domain code');
  cfg.leaders.forEach((l, i) => {
    checkRef(ctx, idx.people, 'person', l.person, ['leaders', i, 'person']);
    leaderPeople.add(l.person, ['leaders', i, 'person']);
    l.domains.forEach((d, j) => {
      const at: Path = ['leaders', i, 'domains', j];
      domains.add(d.code, [...at, 'code']);
      const seenInd = new CodeIndex(ctx, 'indicator');
      d.indicators.forEach((code, k) => {
        checkRef(ctx, idx.indicators, 'indicator', code, [...at, 'indicators', k]);
        seenInd.add(code, [...at, 'indicators', k]);
      });
      const seenUnit = new CodeIndex(ctx, 'unit');
      d.units.forEach((code, k) => {
        checkRef(ctx, idx.units, 'unit', code, [...at, 'units', k]);
        seenUnit.add(code, [...at, 'units', k]);
      });
    });
  });
}

function checkIndicators(cfg: Sections, ctx: Ctx, units: CodeIndex): void {
  cfg.indicators.forEach((ind, i) => {
    if (ind.lead !== undefined) checkRef(ctx, units, 'unit', ind.lead, ['indicators', i, 'lead']);
    if (ind.growth_only && ind.growth_basis === 'none') {
      ctx.addIssue({
        code: 'custom',
        path: ['indicators', i, 'growth_basis'],
        message: `indicator "${ind.code}" is growth_only, so it needs a growth basis; expected yoy or comparable, got none`,
      });
    }
    for (const [unit, years] of Object.entries(ind.targets)) {
      checkRef(ctx, units, 'unit', unit, ['indicators', i, 'targets', unit]);
      if (ind.growth_only) {
        // No level is reported: a value target could never be compared with anything.
        for (const [year, periods] of Object.entries(years)) {
          for (const [key, t] of Object.entries(periods)) {
            if (t !== undefined && typeof t !== 'number' && t.value !== undefined) {
              ctx.addIssue({
                code: 'custom',
                path: ['indicators', i, 'targets', unit, year, key],
                message: `indicator "${ind.code}" is growth_only (no value is reported), so a value target is meaningless; expected a growth in percent such as 7.5`,
              });
            }
          }
        }
      }
      if (ind.growth_basis !== 'none') continue;
      // Without a growth basis there is no growth to aim at: only absolute values make sense.
      for (const [year, periods] of Object.entries(years)) {
        for (const [key, t] of Object.entries(periods)) {
          if (t !== undefined && (typeof t === 'number' || t.growth !== undefined)) {
            ctx.addIssue({
              code: 'custom',
              path: ['indicators', i, 'targets', unit, year, key],
              message: `indicator "${ind.code}" has growth_basis none, so a growth target is meaningless; expected { value: <number> }`,
            });
          }
        }
      }
    }
  });
}

function checkAssignments(cfg: Sections, ctx: Ctx, idx: { units: CodeIndex; indicators: CodeIndex; cycles: CodeIndex }): void {
  const indicatorByCode = new Map(cfg.indicators.map((ind) => [ind.code, ind]));
  const cycleByCode = new Map(cfg.cycles.map((c) => [c.code, c]));
  const seen = new CodeIndex(ctx, 'assignment');
  cfg.assignments.forEach((a, i) => {
    checkRef(ctx, idx.indicators, 'indicator', a.indicator, ['assignments', i, 'indicator']);
    checkRef(ctx, idx.cycles, 'cycle', a.cycle, ['assignments', i, 'cycle']);
    const ind = indicatorByCode.get(a.indicator);
    const cycle = cycleByCode.get(a.cycle);
    // A monthly or quarterly cycle asks for the latest figure of any indicator (quarterly ones at
    // quarter ends); a weekly cycle makes sense only for weekly figures.
    if (ind && cycle && cycle.frequency === 'weekly' && ind.frequency !== 'weekly') {
      ctx.addIssue({
        code: 'custom',
        path: ['assignments', i, 'cycle'],
        message: `indicator "${ind.code}" is ${ind.frequency}, but the weekly cycle "${cycle.code}" collects only weekly indicators`,
      });
    }
    a.units.forEach((unit, j) => {
      checkRef(ctx, idx.units, 'unit', unit, ['assignments', i, 'units', j]);
      seen.add(`${a.indicator} → ${unit} in ${a.cycle}`, ['assignments', i, 'units', j]);
    });
  });
}

function checkCycles(cfg: Sections, ctx: Ctx): void {
  cfg.cycles.forEach((c, i) => {
    if (c.frequency === 'weekly' && c.due_day > 7) {
      ctx.addIssue({
        code: 'custom',
        path: ['cycles', i, 'due_day'],
        message: `a weekly cycle is due on a weekday; expected 1 (Monday) to 7 (Sunday), got ${c.due_day}`,
      });
    }
    if (c.frequency === 'weekly' && c.open_day > 7) {
      ctx.addIssue({
        code: 'custom',
        path: ['cycles', i, 'open_day'],
        message: `a weekly cycle opens on a weekday; expected 1 (Monday) to 7 (Sunday), got ${c.open_day}`,
      });
    }
    if (c.frequency === 'weekly' && c.open_day > c.due_day) {
      ctx.addIssue({
        code: 'custom',
        path: ['cycles', i, 'open_day'],
        message: `a weekly cycle must open on or before its due weekday ${c.due_day}, got ${c.open_day}`,
      });
    }
    const steps = new CodeIndex(ctx, 'escalation day');
    c.escalations.forEach((e, j) => steps.add(String(e.workdays_after), ['cycles', i, 'escalations', j, 'workdays_after']));
    const days = new CodeIndex(ctx, 'reminder day');
    c.remind_days_before.forEach((d, j) => days.add(String(d), ['cycles', i, 'remind_days_before', j]));
  });
}

function checkCalendar(cfg: Sections, ctx: Ctx): void {
  const years = new CodeIndex(ctx, 'calendar year');
  const days = new CodeIndex(ctx, 'calendar day');
  cfg.calendar.years.forEach((y, i) => {
    years.add(String(y.year), ['calendar', 'years', i, 'year']);
    const check = (date: string, path: Path) => {
      if (!date.startsWith(`${y.year}-`)) {
        ctx.addIssue({ code: 'custom', path, message: `expected a date in ${y.year}, got "${date}"` });
      }
    };
    y.holidays.forEach((h, j) => h.split('..').forEach((d) => check(d, ['calendar', 'years', i, 'holidays', j])));
    y.workdays.forEach((d, j) => {
      check(d, ['calendar', 'years', i, 'workdays', j]);
      days.add(d, ['calendar', 'years', i, 'workdays', j]);
    });
  });
  cfg.calendar.overrides.forEach((o, i) => days.add(o.date, ['calendar', 'overrides', i, 'date']));
}

function checkWarningRules(cfg: Sections, ctx: Ctx, indicators: CodeIndex): void {
  const scopes = new CodeIndex(ctx, 'rule for');
  cfg.warning_rules.forEach((r, i) => {
    if (r.indicator !== undefined) checkRef(ctx, indicators, 'indicator', r.indicator, ['warning_rules', i, 'indicator']);
    scopes.add(`${r.kind} / ${r.indicator ?? 'every indicator'}`, ['warning_rules', i]);
    // rank_bottom counts ranks from the bottom: red covers fewer units than yellow.
    const redMilder = r.kind === 'rank_bottom' ? r.red > r.yellow : r.red < r.yellow;
    if (redMilder) {
      const relation = r.kind === 'rank_bottom' ? 'at most' : 'at least';
      ctx.addIssue({
        code: 'custom',
        path: ['warning_rules', i, 'red'],
        message: `expected the red threshold to be ${relation} the yellow threshold (${r.yellow}) for ${r.kind}, got ${r.red}`,
      });
    }
  });
}

function checkMeetings(cfg: Sections, ctx: Ctx, idx: { people: CodeIndex; indicators: CodeIndex }): void {
  const hosts = new CodeIndex(ctx, 'host');
  cfg.meetings.schedule.monthly_hosts.forEach((code, i) => {
    checkRef(ctx, idx.people, 'person', code, ['meetings', 'schedule', 'monthly_hosts', i]);
    hosts.add(code, ['meetings', 'schedule', 'monthly_hosts', i]);
  });
  for (const code of Object.keys(cfg.meetings.ranking.weights)) checkRef(ctx, idx.indicators, 'indicator', code, ['meetings', 'ranking', 'weights', code]);
}

// ───────────────────────────── The file ─────────────────────────────

/** The whole city file. Cross-references are checked once every section is well-formed. */
export const cityConfigSchema = strict(sectionShape).superRefine(checkCrossReferences);

export type CityConfig = z.output<typeof cityConfigSchema>;
export type CityConfigInput = z.input<typeof cityConfigSchema>;
export type UnitConfig = CityConfig['units'][number];
export type PersonConfig = CityConfig['people'][number];
export type LeaderConfig = CityConfig['leaders'][number];
export type DomainConfig = LeaderConfig['domains'][number];
export type IndicatorConfig = CityConfig['indicators'][number];
export type AssignmentConfig = CityConfig['assignments'][number];
export type CycleConfig = CityConfig['cycles'][number];
export type WarningRuleConfig = CityConfig['warning_rules'][number];
export type CalendarConfig = CityConfig['calendar'];
export type LightsConfig = CityConfig['lights'];
export type MeetingsConfig = CityConfig['meetings'];
export type TargetYearConfig = z.output<typeof targetYearSchema>;
