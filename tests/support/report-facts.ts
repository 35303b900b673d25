// A month of invented figures shaped like a bureau's monthly table, for the 专报's narrative and rendering tests.
import { last12Months, type IndicatorFacts, type MonthFacts } from '../../src/modules/report/facts.ts';

export function sampleIndicator(over: Partial<IndicatorFacts> = {}): IndicatorFacts {
  return {
    code: 'industrial-va',
    name: '规模以上工业增加值',
    measureUnit: '亿元',
    decimals: 2,
    direction: 'HIGHER_IS_BETTER',
    cumulative: true,
    yoy: true,
    city: { value: 1286.43, growthPct: 5.2, source: 'sum', missing: 0 },
    targetPct: 8,
    previousGrowthPct: 5.5,
    light: 'YELLOW',
    lights: { red: 2, yellow: 3, green: 5 },
    best: [{ unit: '高新区', growthPct: 10 }, { unit: '鞍西区', growthPct: 9.1 }],
    worst: [{ unit: '鞍东区', growthPct: 2 }, { unit: '云台县', growthPct: 3.4 }],
    regions: 10,
    trend: last12Months('2026-10').map((k, i) => ({ periodKey: k, growthPct: 4 + i / 10 })),
    ...over,
  };
}

export function sampleMonth(over: Partial<MonthFacts> = {}): MonthFacts {
  return {
    periodId: '00000000-0000-0000-0000-000000000001',
    periodKey: '2026-10',
    periodLabel: '2026年10月',
    cityName: '鞍江市',
    units: { total: 27, submitted: 25, missing: 2 },
    indicators: [sampleIndicator(), sampleIndicator({ code: 'retail-sales', name: '社会消费品零售总额', city: { value: 980.5, growthPct: 9.4, source: 'sum', missing: 0 }, targetPct: 9, previousGrowthPct: 9.4, light: 'GREEN', lights: { red: 0, yellow: 1, green: 9 } })],
    ranking: {
      method: 'rank_points',
      total: 10,
      entries: [
        { rank: 1, tied: false, unit: '高新区', score: 96.5, previousRank: 2 },
        { rank: 2, tied: false, unit: '鞍西区', score: 88, previousRank: 1 },
        { rank: 3, tied: false, unit: '石桥市', score: 80, previousRank: 3 },
        { rank: 8, tied: false, unit: '白石县', score: 30, previousRank: 7 },
        { rank: 9, tied: false, unit: '云台县', score: 20, previousRank: 9 },
        { rank: 10, tied: false, unit: '鞍东区', score: 5, previousRank: 10 },
      ],
    },
    seats: { exchange: ['高新区', '鞍西区'], statement: ['鞍东区', '云台县'], interview: ['鞍东区'], confirmed: false },
    problems: [
      { unit: '鞍东区', indicator: '规模以上工业增加值', light: 'RED', problems: '两家重点企业停产检修，产值减少约 3 亿元', measures: '协调企业提前复产，争取新增规上企业 2 家' },
      { unit: '云台县', indicator: '固定资产投资', light: 'YELLOW', problems: '新开工项目不足', measures: null },
    ],
    problemCount: 2,
    warnings: { red: 4, yellow: 6, acknowledged: 7 },
    tasks: { open: 2, inProgress: 3, awaitingClose: 1, done: 4, overdue: 1, assignedInMonth: 3 },
    ...over,
  };
}
