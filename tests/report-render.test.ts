// The 专报 as leaders open it: charts rendered on the server whose Chinese labels are drawn (not blank, not
// boxes), and a .docx holding the indicator table with its lights, the paragraphs as edited and the charts.
import { describe, expect, it } from 'vitest';
import { renderChart, trendOption, rankingOption, CJK_FONT_FILE } from '../src/report/charts.ts';
import { buildReportDocx } from '../src/report/docx.ts';
import { draftParagraphs } from '../src/modules/report/narrative.ts';
import { sampleIndicator, sampleMonth } from './support/report-facts.ts';
import { zipEntry, zipNames } from './support/zip.ts';

const WIDTH = 800;
/** Dark pixels (any channel below 160) in a box of an RGBA image. */
function inkIn(px: Buffer, box: { x0: number; y0: number; x1: number; y1: number }): number {
  let n = 0;
  for (let y = box.y0; y < box.y1; y++)
    for (let x = box.x0; x < box.x1; x++) {
      const i = (y * WIDTH + x) * 4;
      if (px[i]! < 160 || px[i + 1]! < 160 || px[i + 2]! < 160) n++;
    }
  return n;
}
/** The title line, centred at the top. */
const TITLE = { x0: 200, y0: 0, x1: 600, y1: 45 };
const titled = (name: string) => trendOption(sampleIndicator({ name }));

describe('charts', () => {
  it('draws the Chinese title with the CJK font, and nothing without it', async () => {
    const withFont = await renderChart(titled('规模以上工业增加值'), { width: WIDTH });
    const noFont = await renderChart(titled('规模以上工业增加值'), { width: WIDTH, fontFiles: [] });
    expect(withFont.png.subarray(1, 4).toString()).toBe('PNG');
    expect(inkIn(noFont.pixels, TITLE)).toBe(0);
    // 13 characters at 20 px: hundreds of dark pixels.
    expect(inkIn(withFont.pixels, TITLE)).toBeGreaterThan(800);
  });

  it('draws each character as its own glyph: two titles of the same length look different (boxes would not)', async () => {
    const a = await renderChart(titled('固定资产投资'), { width: WIDTH });
    const b = await renderChart(titled('一般公共预算'), { width: WIDTH });
    let differ = 0;
    for (let y = TITLE.y0; y < TITLE.y1; y++)
      for (let x = TITLE.x0; x < TITLE.x1; x++) {
        const i = (y * WIDTH + x) * 4;
        if (Math.abs(a.pixels[i]! - b.pixels[i]!) > 64) differ++;
      }
    expect(differ).toBeGreaterThan(300);
    // And the axis labels (月) are drawn too, below the plot.
    expect(inkIn(a.pixels, { x0: 60, y0: 345, x1: 780, y1: 365 })).toBeGreaterThan(100);
  });

  it('ranks the units as bars with their names', async () => {
    const r = await renderChart(rankingOption(sampleMonth().ranking!, '2026年10月'), { width: WIDTH, height: 300 });
    // The unit names on the left of the bars.
    expect(inkIn(r.pixels, { x0: 0, y0: 50, x1: 118, y1: 270 })).toBeGreaterThan(300);
  });

  it('uses the font installed by setup', () => {
    expect(CJK_FONT_FILE).toMatch(/wqy-microhei\.ttc$/);
  });
});

describe('the docx', () => {
  it('holds the title, the indicator table with lights, the edited paragraphs and a chart per indicator plus the ranking', async () => {
    const facts = sampleMonth();
    const paragraphs = draftParagraphs(facts).map((p) => (p.key === 'summary' ? { ...p, text: '经组织者修改的总体情况：全市经济运行总体平稳。' } : p));
    const docx = await buildReportDocx(facts, paragraphs, { generatedAt: '2026年11月16日' });
    const xml = zipEntry(docx, 'word/document.xml')!.toString('utf8');
    const texts = [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('|');
    expect(texts).toContain('鞍江市经济运行专报');
    expect(texts).toContain('（2026年10月）');
    // The table: header, the city's figure, target gap and light.
    expect(xml).toContain('<w:tbl>');
    for (const h of ['指标', '全市完成', '同比增长', '目标进度', '与目标差（百分点）', '全市预警']) expect(texts).toContain(h);
    expect(texts).toMatch(/规模以上工业增加值\|亿元\|1-10月\|1,286\.43\|5\.2%\|8\.0%\|-2\.8\|黄灯\|2 \/ 3 \/ 5/);
    expect(texts).toMatch(/社会消费品零售总额\|亿元\|1-10月\|980\.50\|9\.4%\|9\.0%\|\+0\.4\|绿灯/);
    // The paragraphs as edited, not the draft.
    expect(texts).toContain('经组织者修改的总体情况：全市经济运行总体平稳。');
    expect(texts).not.toContain('全市 27 个责任单位中 25 个已完成报送');
    expect(texts).toContain(paragraphs.find((p) => p.key === 'ind-industrial-va')!.text);
    expect(texts).toContain('各单位反映的主要困难和问题');
    // The ranking table.
    expect(texts).toMatch(/1\|高新区\|96\.5\|上升 1 位/);
    // Three charts: two trends and the ranking, embedded as PNGs.
    const media = zipNames(docx).filter((n) => n.startsWith('word/media/'));
    expect(media).toHaveLength(3);
    expect(zipEntry(docx, media[0]!)!.subarray(1, 4).toString()).toBe('PNG');
    expect((xml.match(/<pic:pic /g) ?? []).length).toBe(3);
  });
});
