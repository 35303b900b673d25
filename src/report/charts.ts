// Report rendering: charts for the 专报, drawn on the server without a browser — ECharts server-side SVG,
// then resvg to PNG with a CJK font (Debian's fonts-wqy-microhei, installed by `npm start`, `npm test` and
// CI). resvg is given that font file only, so a missing font shows up as missing text, never as boxes
// from whatever the machine happens to have.
import { existsSync } from 'node:fs';
import * as echarts from 'echarts';
import { renderAsync } from '@resvg/resvg-js';
import type { IndicatorFacts, RankingFacts } from '../modules/report/facts.ts';

export const CJK_FONT_FILE = process.env.REPORT_FONT_FILE ?? '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';
export const CJK_FONT_FAMILY = 'WenQuanYi Micro Hei';

export interface ChartOptions {
  width?: number;
  height?: number;
  /** Font files for resvg; [] draws no text at all (used by the test that checks the glyphs). */
  fontFiles?: string[];
}

export class MissingFontError extends Error {
  constructor(file: string) {
    super(`CJK font not found at ${file}: install fonts-wqy-microhei (apt-get install -y fonts-wqy-microhei) or set REPORT_FONT_FILE`);
  }
}

/**
 * An ECharts option → the rendered image: PNG bytes and its RGBA pixels. resvg renders off the main thread
 * (libuv's pool), so a report's charts are drawn side by side.
 */
export async function renderChart(option: echarts.EChartsCoreOption, opts: ChartOptions = {}): Promise<{ png: Buffer; pixels: Buffer; width: number; height: number }> {
  const width = opts.width ?? 800;
  const height = opts.height ?? 400;
  const fontFiles = opts.fontFiles ?? [CJK_FONT_FILE];
  for (const f of fontFiles) if (!existsSync(f)) throw new MissingFontError(f);
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  let svg: string;
  try {
    chart.setOption({ animation: false, backgroundColor: '#ffffff', textStyle: { fontFamily: CJK_FONT_FAMILY }, ...option });
    svg = chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
  const image = await renderAsync(svg, {
    fitTo: { mode: 'width', value: width },
    font: { fontFiles, loadSystemFonts: false, defaultFontFamily: CJK_FONT_FAMILY, sansSerifFamily: CJK_FONT_FAMILY },
  });
  return { png: image.asPng(), pixels: image.pixels, width: image.width, height: image.height };
}

/** An ECharts option → PNG bytes. */
export const renderChartPng = async (option: echarts.EChartsCoreOption, opts: ChartOptions = {}): Promise<Buffer> => (await renderChart(option, opts)).png;

const monthOf = (k: string) => `${Number(k.slice(5, 7))}月`;

/** The city's growth of one indicator over 12 months (its value when it has no growth basis), with the target. */
export function trendOption(ind: IndicatorFacts): echarts.EChartsCoreOption {
  const label = ind.yoy ? '同比增速（%）' : `${ind.name}（${ind.measureUnit}）`;
  const series: Record<string, unknown>[] = [
    { name: ind.yoy ? '全市增速' : '全市', type: 'line', data: ind.trend.map((t) => t.growthPct), connectNulls: false, label: { show: true, fontSize: 12, formatter: (p: { value: unknown }) => (typeof p.value === 'number' ? p.value.toFixed(1) : '') }, lineStyle: { width: 3 } },
  ];
  if (ind.yoy && ind.targetPct !== null) {
    series.push({ name: '目标进度', type: 'line', data: ind.trend.map(() => ind.targetPct), symbol: 'none', itemStyle: { color: '#d9001b' }, lineStyle: { type: 'dashed', color: '#d9001b' } });
  }
  return {
    title: { text: `${ind.name}${ind.yoy ? '增速走势' : '走势'}`, left: 'center', textStyle: { fontSize: 20 } },
    legend: { bottom: 0, textStyle: { fontSize: 14 } },
    grid: { left: 60, right: 30, top: 60, bottom: 60 },
    xAxis: { type: 'category', data: ind.trend.map((t) => monthOf(t.periodKey)), axisLabel: { fontSize: 13 } },
    yAxis: { type: 'value', name: label, nameTextStyle: { fontSize: 13 }, axisLabel: { fontSize: 13 } },
    series,
  };
}

/** The composite ranking as bars, best at the top (the first and last places when there are many). */
export function rankingOption(r: RankingFacts, periodLabel: string): echarts.EChartsCoreOption {
  const rows = [...r.entries].reverse();
  const scoreName = r.method === 'target_pace' ? '目标进度得分' : '综合得分';
  return {
    title: { text: `${periodLabel}综合排名${r.total > r.entries.length ? `（前后各 ${r.entries.length / 2} 位）` : ''}`, left: 'center', textStyle: { fontSize: 20 } },
    grid: { left: 120, right: 60, top: 50, bottom: 30 },
    xAxis: { type: 'value', name: scoreName, axisLabel: { fontSize: 12 } },
    yAxis: { type: 'category', data: rows.map((e) => `${e.rank}. ${e.unit}`), axisLabel: { fontSize: 13 } },
    series: [{ type: 'bar', data: rows.map((e) => Math.round(e.score * 10) / 10), label: { show: true, position: 'right', fontSize: 12 }, itemStyle: { color: '#3370ff' } }],
  };
}

/** Every chart of a report: one trend per indicator, then the ranking. */
export async function reportCharts(indicators: IndicatorFacts[], ranking: RankingFacts | null, periodLabel: string): Promise<{ key: string; title: string; png: Buffer; width: number; height: number }[]> {
  const jobs = indicators.map(async (ind) => ({ key: `ind-${ind.code}`, title: `${ind.name}走势`, png: await renderChartPng(trendOption(ind)), width: 800, height: 400 }));
  if (ranking && ranking.entries.length) {
    const height = Math.max(300, 60 + ranking.entries.length * 22);
    jobs.push(renderChartPng(rankingOption(ranking, periodLabel), { height }).then((png) => ({ key: 'ranking', title: '综合排名', png, width: 800, height })));
  }
  return Promise.all(jobs);
}
