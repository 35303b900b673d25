// Sandbox UI: a small stand-in for the card `chart` component (card-components §3.8). Feishu draws
// `chart_spec` with VChart; the sandbox draws line / area / bar / pie / combo specs as inline SVG
// (one value axis, no animation) and shows any other type as a table of its data.
import { escapeHtml } from './markdown.js';

/** VChart's default "brand" palette, which Feishu uses for `color_theme: brand`. */
const PALETTE = ['#1664FF', '#1AC6FF', '#FF8A00', '#3CC780', '#7442D4', '#FFC400', '#304D77', '#B48DEB', '#009488', '#FF7DDA'];

const WIDTH = 560;
const PAD = { top: 16, right: 16, bottom: 34, left: 48 };

/** @typedef {Record<string, unknown>} Row */
/** @typedef {{ type: string, rows: Row[], x: string, y: string, series?: string, horizontal?: boolean }} SeriesSpec */

/** @param {unknown} v @returns {v is Record<string, any>} */
const isObj = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

/** @param {unknown} field @returns {string | undefined} */
const fieldOf = (field) => (Array.isArray(field) ? (typeof field[0] === 'string' ? field[0] : undefined) : typeof field === 'string' ? field : undefined);

/** The data sets of a spec: `data: {values}` or `data: [{id, values}, …]`. @param {any} spec @returns {{ id?: string, values: Row[] }[]} */
function dataSets(spec) {
  const data = spec?.data;
  const list = Array.isArray(data) ? data : data ? [data] : [];
  return list.filter(isObj).map((d) => ({ id: typeof d.id === 'string' ? d.id : undefined, values: Array.isArray(d.values) ? d.values.filter(isObj) : [] }));
}

/** @param {unknown} v */
const num = (v) => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN);

/**
 * @param {any} spec VChart spec
 * @param {{ height?: string, aspectRatio?: string }} [opts]
 * @returns {string} HTML
 */
export function renderChart(spec, opts = {}) {
  if (!isObj(spec)) return '<div class="fc-chart fc-chart--empty">图表数据缺失</div>';
  const title = isObj(spec.title) && typeof spec.title.text === 'string' ? `<div class="fc-chart-title">${escapeHtml(spec.title.text)}</div>` : '';
  const sets = dataSets(spec);
  const type = String(spec.type ?? '');
  let body = '';
  try {
    if (type === 'pie') body = pieSvg(spec, sets[0]?.values ?? []);
    else if (type === 'line' || type === 'area' || type === 'bar') {
      const x = fieldOf(spec.xField);
      const y = fieldOf(spec.yField);
      if (x && y) {
        const horizontal = type === 'bar' && spec.direction === 'horizontal';
        body = cartesianSvg([{ type, rows: sets[0]?.values ?? [], x: horizontal ? y : x, y: horizontal ? x : y, series: fieldOf(spec.seriesField), horizontal }], opts);
      }
    } else if (type === 'common' && Array.isArray(spec.series)) {
      /** @type {SeriesSpec[]} */
      const series = [];
      spec.series.filter(isObj).forEach((/** @type {any} */ s, /** @type {number} */ k) => {
        const set = typeof s.dataId === 'string' ? sets.find((d) => d.id === s.dataId) : sets[typeof s.dataIndex === 'number' ? s.dataIndex : k];
        const x = fieldOf(s.xField);
        const y = fieldOf(s.yField);
        if (set && x && y && ['line', 'area', 'bar'].includes(String(s.type))) series.push({ type: String(s.type), rows: set.values, x, y, series: fieldOf(s.seriesField) });
      });
      if (series.length) body = cartesianSvg(series, opts);
    }
  } catch {
    body = '';
  }
  const table = dataTable(sets);
  if (!body) return `<div class="fc-chart">${title}<div class="fc-chart-note">图表（${escapeHtml(type || '未知类型')}）以数据表显示</div>${table}</div>`;
  return `<div class="fc-chart">${title}${body}<details class="fc-chart-data"><summary>查看数据</summary>${table}</details></div>`;
}

/** @param {{ values: Row[] }[]} sets */
function dataTable(sets) {
  const rows = sets.flatMap((s) => s.values).slice(0, 200);
  if (!rows.length) return '<div class="fc-chart-note">无数据</div>';
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (/** @type {unknown} */ v) => escapeHtml(typeof v === 'object' && v !== null ? JSON.stringify(v) : v);
  return `<div class="fc-table-wrap"><table class="fc-table fc-table--compact"><thead><tr>${cols.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${cols.map((c) => `<td>${cell(r[c])}</td>`).join('')}</tr>`).join('')}</tbody></table></div>`;
}

/** "Nice" axis ticks covering [min, max]. @param {number} min @param {number} max */
function ticks(min, max) {
  if (min === max) max = min + 1;
  const raw = (max - min) / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  const lo = Math.floor(min / step) * step;
  const hi = Math.ceil(max / step) * step;
  const out = [];
  for (let v = lo; v <= hi + step / 2; v += step) out.push(Number(v.toFixed(10)));
  return out;
}

/** @param {number} v */
function fmt(v) {
  const a = Math.abs(v);
  if (a >= 1e8) return `${+(v / 1e8).toFixed(2)}亿`;
  if (a >= 1e4) return `${+(v / 1e4).toFixed(2)}万`;
  return String(+v.toFixed(2));
}

/** @param {SeriesSpec[]} specs @param {{ height?: string, aspectRatio?: string }} opts */
function cartesianSvg(specs, opts) {
  /** @type {string[]} */
  const categories = [];
  /** @type {{ name: string, type: string, points: Map<string, number> }[]} */
  const series = [];
  for (const s of specs) {
    for (const row of s.rows) {
      const cat = String(row[s.x] ?? '');
      if (!categories.includes(cat)) categories.push(cat);
      const name = s.series ? String(row[s.series] ?? '') : s.y;
      let entry = series.find((e) => e.name === name && e.type === s.type);
      if (!entry) series.push((entry = { name, type: s.type, points: new Map() }));
      const v = num(row[s.y]);
      if (Number.isFinite(v)) entry.points.set(cat, v);
    }
  }
  if (!categories.length || !series.length) return '';
  const horizontal = specs[0]?.horizontal === true;
  const values = series.flatMap((s) => [...s.points.values()]);
  const scale = ticks(Math.min(0, ...values), Math.max(0, ...values));
  const lo = /** @type {number} */ (scale[0]);
  const hi = /** @type {number} */ (scale[scale.length - 1]);

  const pxHeight = /^(\d{2,3})px$/.exec(opts.height ?? '');
  const ratio = /^(\d+):(\d+)$/.exec(opts.aspectRatio ?? '16:9');
  const height = pxHeight ? Math.min(600, Number(pxHeight[1])) : horizontal ? Math.max(160, categories.length * 28 + PAD.top + PAD.bottom) : Math.round((WIDTH * Number(ratio?.[2] ?? 9)) / Number(ratio?.[1] ?? 16));
  const left = horizontal ? Math.min(120, 14 + Math.max(...categories.map((c) => c.length)) * 12) : PAD.left;
  const plotW = WIDTH - left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  const valueToPx = (/** @type {number} */ v) => ((v - lo) / (hi - lo || 1)) * (horizontal ? plotW : plotH);
  const band = (horizontal ? plotH : plotW) / categories.length;
  const bars = series.filter((s) => s.type === 'bar');
  const parts = [];

  // Grid and value axis.
  for (const t of scale) {
    const p = valueToPx(t);
    if (horizontal) {
      const x = left + p;
      parts.push(`<line class="fc-chart-grid" x1="${x}" y1="${PAD.top}" x2="${x}" y2="${PAD.top + plotH}"/>`, `<text class="fc-chart-axis" x="${x}" y="${height - 12}" text-anchor="middle">${escapeHtml(fmt(t))}</text>`);
    } else {
      const y = PAD.top + plotH - p;
      parts.push(`<line class="fc-chart-grid" x1="${left}" y1="${y}" x2="${left + plotW}" y2="${y}"/>`, `<text class="fc-chart-axis" x="${left - 6}" y="${y + 4}" text-anchor="end">${escapeHtml(fmt(t))}</text>`);
    }
  }
  // Category axis (labels thinned out when crowded).
  const every = Math.max(1, Math.ceil(categories.length / (horizontal ? 20 : 8)));
  categories.forEach((c, i) => {
    if (i % every) return;
    const mid = i * band + band / 2;
    parts.push(
      horizontal
        ? `<text class="fc-chart-axis" x="${left - 6}" y="${PAD.top + mid + 4}" text-anchor="end">${escapeHtml(c)}</text>`
        : `<text class="fc-chart-axis" x="${left + mid}" y="${height - 14}" text-anchor="middle">${escapeHtml(c)}</text>`,
    );
  });

  const zero = valueToPx(Math.max(lo, 0));
  series.forEach((s, k) => {
    const color = PALETTE[k % PALETTE.length];
    if (s.type === 'bar') {
      const b = bars.indexOf(s);
      const slot = (band * 0.7) / bars.length;
      categories.forEach((c, i) => {
        const v = s.points.get(c);
        if (v === undefined) return;
        const p = valueToPx(v);
        const offset = i * band + band * 0.15 + b * slot;
        const [from, to] = p >= zero ? [zero, p] : [p, zero];
        const label = `${s.name} · ${c}：${v}`;
        parts.push(
          horizontal
            ? `<rect fill="${color}" rx="2" x="${left + from}" y="${PAD.top + offset}" width="${Math.max(1, to - from)}" height="${Math.max(1, slot - 2)}"><title>${escapeHtml(label)}</title></rect>`
            : `<rect fill="${color}" rx="2" x="${left + offset}" y="${PAD.top + plotH - to}" width="${Math.max(1, slot - 2)}" height="${Math.max(1, to - from)}"><title>${escapeHtml(label)}</title></rect>`,
        );
      });
    } else {
      const pts = categories
        .map((c, i) => ({ c, v: s.points.get(c), x: left + i * band + band / 2 }))
        .filter((p) => p.v !== undefined)
        .map((p) => ({ ...p, y: PAD.top + plotH - valueToPx(/** @type {number} */ (p.v)) }));
      if (!pts.length) return;
      const line = pts.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
      if (s.type === 'area') {
        const base = (PAD.top + plotH - zero).toFixed(1);
        parts.push(`<polygon fill="${color}" fill-opacity="0.18" points="${(/** @type {{x:number}} */ (pts[0])).x.toFixed(1)},${base} ${line} ${(/** @type {{x:number}} */ (pts[pts.length - 1])).x.toFixed(1)},${base}"/>`);
      }
      parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${line}"/>`);
      for (const p of pts) parts.push(`<circle cx="${p.x.toFixed(1)}" cy="${p.y.toFixed(1)}" r="3" fill="#fff" stroke="${color}" stroke-width="2"><title>${escapeHtml(`${s.name} · ${p.c}：${p.v}`)}</title></circle>`);
    }
  });

  const legend = series.length > 1 ? legendHtml(series.map((s) => s.name)) : '';
  return `<svg class="fc-chart-svg" viewBox="0 0 ${WIDTH} ${height}" role="img" preserveAspectRatio="xMidYMid meet">${parts.join('')}</svg>${legend}`;
}

/** @param {string[]} names */
function legendHtml(names) {
  return `<div class="fc-chart-legend">${names.map((n, k) => `<span><i style="background:${PALETTE[k % PALETTE.length]}"></i>${escapeHtml(n)}</span>`).join('')}</div>`;
}

/** @param {any} spec @param {Row[]} rows */
function pieSvg(spec, rows) {
  const cat = fieldOf(spec.categoryField);
  const val = fieldOf(spec.valueField);
  if (!cat || !val) return '';
  const items = rows.map((r) => ({ name: String(r[cat] ?? ''), v: num(r[val]) })).filter((d) => Number.isFinite(d.v) && d.v > 0);
  const total = items.reduce((a, d) => a + d.v, 0);
  if (!total) return '';
  const size = 220;
  const r = 90;
  const c = size / 2;
  const inner = Math.max(0, Math.min(0.9, num(spec.innerRadius) || 0)) * r;
  let angle = -Math.PI / 2;
  const arcs = items.map((d, k) => {
    const sweep = (d.v / total) * Math.PI * 2;
    const a0 = angle;
    const a1 = (angle += sweep);
    const color = PALETTE[k % PALETTE.length];
    const pct = `${((d.v / total) * 100).toFixed(1)}%`;
    if (items.length === 1) return `<circle cx="${c}" cy="${c}" r="${r}" fill="${color}"><title>${escapeHtml(`${d.name}：${d.v}（${pct}）`)}</title></circle>`;
    const large = sweep > Math.PI ? 1 : 0;
    const p = (/** @type {number} */ a, /** @type {number} */ rad) => `${(c + rad * Math.cos(a)).toFixed(2)},${(c + rad * Math.sin(a)).toFixed(2)}`;
    return `<path fill="${color}" stroke="#fff" stroke-width="1.5" d="M${p(a0, r)} A${r},${r} 0 ${large} 1 ${p(a1, r)} L${c},${c} Z"><title>${escapeHtml(`${d.name}：${d.v}（${pct}）`)}</title></path>`;
  });
  const hole = inner > 0 ? `<circle cx="${c}" cy="${c}" r="${inner.toFixed(1)}" fill="#fff"/>` : '';
  const legend = `<div class="fc-chart-legend fc-chart-legend--pie">${items.map((d, k) => `<span><i style="background:${PALETTE[k % PALETTE.length]}"></i>${escapeHtml(d.name)} <b>${escapeHtml(((d.v / total) * 100).toFixed(1))}%</b></span>`).join('')}</div>`;
  return `<div class="fc-chart-pie"><svg class="fc-chart-svg fc-chart-svg--pie" viewBox="0 0 ${size} ${size}" role="img">${arcs.join('')}${hole}</svg>${legend}</div>`;
}
