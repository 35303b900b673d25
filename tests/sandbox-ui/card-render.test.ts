// Tests: the sandbox UI's card renderer (src/sandbox/ui/public/card-render.js) — each component
// renders what a Feishu user would see, and card text can never inject HTML.
import { describe, expect, it } from 'vitest';
import { HEADER_TEMPLATES, renderCard, renderMarkdown, SUPPORTED_TAGS } from '../../src/sandbox/ui/public/card-render.js';
import { sampleCards } from './sample-cards.ts';

const pt = (content: string) => ({ tag: 'plain_text', content });
const v2 = (elements: unknown[], header?: Record<string, unknown>) => ({ schema: '2.0', ...(header ? { header } : {}), body: { elements } });
const render = (elements: unknown[], header?: Record<string, unknown>) => renderCard(v2(elements, header), { messageId: 'om_test' });
/** The visible text of an HTML fragment (tags stripped, entities decoded). */
const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();

describe('card root and header', () => {
  it('marks the root with the message id and the width mode', () => {
    const html = renderCard({ schema: '2.0', config: { width_mode: 'compact' }, body: { elements: [] } }, { messageId: 'om_42' });
    expect(html).toMatch(/^<div class="fc-card fc-card--v2 fc-width--compact" data-message-id="om_42"/);
  });

  it.each(HEADER_TEMPLATES)('gives the %s header template its colour class', (template) => {
    expect(render([], { title: pt('标题'), template })).toContain(`class="fc-header fc-header--${template}"`);
  });

  it('falls back to the default header for an unknown template', () => {
    expect(render([], { title: pt('标题'), template: 'rainbow' })).toContain('fc-header--default');
  });

  it('shows title, subtitle and at most three tags with their colours', () => {
    const tags = ['逾期', '红灯', '重点', '第四个'].map((t) => ({ tag: 'text_tag', text: pt(t), color: 'red' }));
    const html = render([], { title: pt('【红色预警】指标 A 逾期'), subtitle: pt('财政局'), template: 'red', text_tag_list: tags });
    expect(html).toContain('<div class="fc-header-title">【红色预警】指标 A 逾期</div>');
    expect(html).toContain('<div class="fc-header-subtitle">财政局</div>');
    expect(html).toContain('<span class="fc-tag fc-tag--red">逾期</span>');
    expect(html).toContain('重点');
    expect(html).not.toContain('第四个');
  });

  it('shows a lone subtitle as the title, like the client', () => {
    const html = render([], { subtitle: pt('只有副标题') });
    expect(html).toContain('<div class="fc-header-title">只有副标题</div>');
    expect(html).not.toContain('fc-header-subtitle');
  });
});

describe('markdown and text', () => {
  it('renders bold, italic, strike-through, links and coloured text', () => {
    const html = render([{ tag: 'markdown', content: "**加粗** *斜体* ~~删除~~ [详情](https://example.com/a?x=1&y=2) <font color='red'>红色</font>" }]);
    expect(html).toContain('<strong>加粗</strong>');
    expect(html).toContain('<em>斜体</em>');
    expect(html).toContain('<del>删除</del>');
    expect(html).toContain('href="https://example.com/a?x=1&amp;y=2"');
    expect(html).toContain('<span class="fc-font fc-color--red">红色</span>');
  });

  it('renders mentions with the person name, and @all', () => {
    const html = renderCard(v2([{ tag: 'markdown', content: '请 <at id=ou_a></at> 和 <at id=all></at> 注意' }]), { nameOf: (id) => (id === 'ou_a' ? '张三' : undefined), currentOpenId: 'ou_a' });
    expect(html).toContain('<span class="fc-at fc-at--me" data-open-id="ou_a">@张三</span>');
    expect(html).toContain('@所有人');
  });

  it('renders headings, nested lists, quotes, line breaks and pipe tables', () => {
    const html = renderMarkdown('## 小结\n第一行\n第二行\n- 甲\n    - 甲一\n1. 乙\n> 引用\n\n| 指标 | 值 |\n|---|---|\n| GDP | 6.5 |');
    expect(html).toContain('<div class="fc-md-h fc-md-h2">小结</div>');
    expect(html).toContain('<p>第一行<br>第二行</p>');
    expect(html).toContain('<ul class="fc-list"><li>甲<ul class="fc-list"><li>甲一</li></ul></li></ul><ol class="fc-list"><li>乙</li></ol>');
    expect(html).toContain('<blockquote class="fc-quote">引用</blockquote>');
    expect(html).toContain('<th>指标</th>');
    expect(html).toContain('<td>6.5</td>');
  });

  it('renders inline text tags and keeps snake_case words intact', () => {
    const html = render([{ tag: 'markdown', content: "<text_tag color='orange'>P1</text_tag> task_id_value" }]);
    expect(html).toContain('<span class="fc-tag fc-tag--orange">P1</span>');
    expect(textOf(html)).toContain('task_id_value');
  });

  it('renders div plain_text with size and colour, lark_md, and short fields', () => {
    const html = render([
      { tag: 'div', text: { tag: 'plain_text', content: '5 分钟前更新', text_size: 'notation', text_color: 'grey' } },
      { tag: 'div', text: { tag: 'lark_md', content: '**加粗**' } },
      { tag: 'div', fields: [{ is_short: true, text: { tag: 'lark_md', content: '**时间**\n15:00' } }] },
    ]);
    expect(html).toContain('fc-size--small');
    expect(html).toContain('fc-color--grey');
    expect(html).toContain('<strong>加粗</strong>');
    expect(html).toContain('<div class="fc-fields-item fc-fields-item--short"><strong>时间</strong><br>15:00</div>');
  });

  it('uses i18n_content when content is absent', () => {
    expect(render([{ tag: 'div', text: { tag: 'plain_text', i18n_content: { zh_cn: '中文', en_us: 'English' } } }])).toContain('中文');
  });
});

describe('escaping', () => {
  const evil = '<script>alert(1)</script><img src=x onerror=alert(2)>';

  it('escapes markdown, plain text, titles, options and values', () => {
    const html = render(
      [
        { tag: 'markdown', content: evil },
        { tag: 'div', text: pt(evil) },
        { tag: 'form', name: 'f', elements: [{ tag: 'select_static', name: 's', options: [{ text: pt(evil), value: '"><script>x</script>' }] }] },
        { tag: 'button', text: pt(evil), behaviors: [{ type: 'callback', value: { k: '"><script>y</script>' } }] },
        { tag: 'table', columns: [{ name: 'c', display_name: evil, data_type: 'text' }], rows: [{ c: evil }] },
      ],
      { title: pt(evil) },
    );
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('refuses javascript: links and unknown style values', () => {
    const html = render([
      { tag: 'markdown', content: '[点我](javascript:alert(1)) <a href="javascript:alert(2)">也点我</a>' },
      { tag: 'column_set', columns: [{ tag: 'column', padding: 'red;background:url(x)', background_style: 'url(x)', elements: [] }] },
    ]);
    expect(html).not.toContain('javascript:');
    expect(html).not.toContain('url(x)');
    expect(textOf(html)).toContain('点我');
  });

  it('keeps unbalanced tags from leaking out of their text', () => {
    const html = render([{ tag: 'markdown', content: "<font color='red'>没有闭合" }, { tag: 'markdown', content: '</font>多余的闭合' }]);
    expect(html).toContain('<span class="fc-font fc-color--red">没有闭合</span>');
    expect(html).toContain('<p>多余的闭合</p>');
  });
});

describe('layout containers', () => {
  it('renders column_set columns with their weights and backgrounds', () => {
    const html = render([
      {
        tag: 'column_set',
        columns: [
          { tag: 'column', width: 'weighted', weight: 2, background_style: 'grey-50', elements: [{ tag: 'markdown', content: '左' }] },
          { tag: 'column', width: 'weighted', weight: 1, elements: [{ tag: 'markdown', content: '右' }] },
        ],
      },
    ]);
    expect(html).toContain('class="fc-columns fc-flex--none"');
    expect(html).toMatch(/class="fc-column" style="[^"]*background:color-mix\(in srgb, #646A73 6%, white\);flex:2 1 0"/);
    expect(html).toContain('flex:1 1 0');
    expect(textOf(html)).toBe('左 右');
  });

  it('renders a collapsible panel with its title, open when expanded', () => {
    const html = render([{ tag: 'collapsible_panel', expanded: true, header: { title: { tag: 'markdown', content: '**明细**' } }, elements: [{ tag: 'markdown', content: '内容' }] }]);
    expect(html).toMatch(/^.*<details class="fc-panel" open>/);
    expect(html).toContain('<strong>明细</strong>');
    expect(html).toContain('内容');
  });

  it('makes an interactive_container clickable with its callback value', () => {
    const html = render([{ tag: 'interactive_container', behaviors: [{ type: 'callback', value: { cmd: 'outline' } }], elements: [{ tag: 'markdown', content: '生成提纲' }] }]);
    expect(html).toContain('data-fc-action="container" data-tag="interactive_container"');
    expect(html).toContain('data-value="{&quot;cmd&quot;:&quot;outline&quot;}"');
  });

  it('renders hr and a 1.0-style note', () => {
    const html = render([{ tag: 'hr' }, { tag: 'note', elements: [pt('备注')] }]);
    expect(html).toContain('<hr class="fc-hr">');
    expect(html).toContain('<div class="fc-note"><span>备注</span></div>');
  });
});

describe('forms and interactive components', () => {
  const form = {
    tag: 'form',
    name: 'indicator_form',
    elements: [
      { tag: 'input', name: 'value', required: true, label: pt('本月数值：'), placeholder: pt('请输入数值'), default_value: '1.5' },
      { tag: 'input', name: 'note', input_type: 'multiline_text', rows: 3 },
      { tag: 'select_static', name: 'period', options: [{ text: pt('月度'), value: 'month' }, { text: pt('季度'), value: 'quarter' }], initial_option: 'quarter' },
      { tag: 'multi_select_static', name: 'tags', options: [{ text: pt('甲'), value: 'a' }, { text: pt('乙'), value: 'b' }], selected_values: ['b'] },
      { tag: 'date_picker', name: 'report_date', initial_date: '2025-01-31' },
      { tag: 'picker_time', name: 'at', initial_time: '09:30' },
      { tag: 'picker_datetime', name: 'when', initial_datetime: '2025-01-31 09:30' },
      { tag: 'checker', name: 'agree', checked: true, text: pt('我已核对') },
      { tag: 'button', name: 'submit_btn', type: 'primary_filled', form_action_type: 'submit', text: pt('提交'), behaviors: [{ type: 'callback', value: { action: 'submit_indicator', task_id: 'T1' } }] },
      { tag: 'button', name: 'reset_btn', form_action_type: 'reset', text: pt('重置') },
    ],
  };
  const html = render([form]);

  it('wraps fields in a form named like the card form', () => {
    expect(html).toContain('<form class="fc-form" data-form-name="indicator_form" novalidate autocomplete="off">');
  });

  it('renders every input with its name, label, placeholder, default and required marker', () => {
    expect(html).toMatch(/<input [^>]*name="value"[^>]*data-required="true"[^>]*type="text" value="1.5">/);
    expect(html).toContain('placeholder="请输入数值"');
    expect(html).toContain('本月数值：<span class="fc-required" aria-label="必填">*</span>');
    expect(html).toMatch(/<textarea [^>]*name="note"[^>]*rows="3">/);
  });

  it('renders selects with options and the initial choice, multi-selects with checkboxes', () => {
    expect(html).toMatch(/<select [^>]*data-fc-field="select_static"[^>]*name="period"/);
    expect(html).toContain('<option value="quarter" selected>季度</option>');
    expect(html).toMatch(/<details [^>]*data-fc-field="multi_select_static"[^>]*data-name="tags"/);
    expect(html).toContain('<input type="checkbox" value="b" data-label="乙" checked>');
    expect(html).toContain('<span class="fc-chip">乙</span>');
  });

  it('renders date, time and datetime pickers with their initial values', () => {
    expect(html).toMatch(/<input [^>]*type="date"[^>]*data-fc-field="date_picker"[^>]*value="2025-01-31"[^>]*name="report_date"/);
    expect(html).toMatch(/type="time"[^>]*value="09:30"[^>]*name="at"/);
    expect(html).toMatch(/type="datetime-local"[^>]*value="2025-01-31T09:30"[^>]*name="when"/);
  });

  it('renders a checker as a named checkbox with its text', () => {
    expect(html).toMatch(/<input [^>]*type="checkbox" class="fc-checker-input" data-fc-field="checker"[^>]*name="agree"[^>]* checked/);
    expect(html).toContain('我已核对');
  });

  it('gives submit and reset buttons their form action, name and callback value', () => {
    expect(html).toContain(
      '<button type="button" class="fc-btn fc-btn--primary_filled fc-btn--medium" data-fc-action="button" data-tag="button" data-name="submit_btn" data-form-action="submit" data-callback="1" data-value="{&quot;action&quot;:&quot;submit_indicator&quot;,&quot;task_id&quot;:&quot;T1&quot;}"><span class="fc-btn-text">提交</span></button>',
    );
    expect(html).toMatch(/data-name="reset_btn" data-form-action="reset"/);
  });

  it('treats a multi-select in a form as required unless told otherwise (its documented default)', () => {
    expect(html).toMatch(/data-fc-field="multi_select_static"[^>]*data-required="true"/);
  });

  it('marks fields outside a form as standalone with their own callback', () => {
    const standalone = render([{ tag: 'select_static', name: 'pick', options: [{ text: pt('一'), value: '1' }], behaviors: [{ type: 'callback', value: { k: 'v' } }] }]);
    expect(standalone).toContain('data-standalone="true" data-callback="1" data-value="{&quot;k&quot;:&quot;v&quot;}"');
  });

  it('keeps button behaviours: callback value, open_url and confirm, and the legacy 1.0 value', () => {
    const buttons = render([
      { tag: 'button', text: pt('打开'), behaviors: [{ type: 'open_url', default_url: 'https://example.com' }] },
      { tag: 'button', text: pt('确认'), confirm: { title: pt('确定吗？'), text: pt('不可撤销') }, behaviors: [{ type: 'callback', value: { op: 'approve' } }] },
    ]);
    expect(buttons).toMatch(/data-callback="0" data-url="https:\/\/example.com"/);
    expect(buttons).toContain('data-confirm="{&quot;title&quot;:&quot;确定吗？&quot;,&quot;text&quot;:&quot;不可撤销&quot;}"');
    const legacy = renderCard({ elements: [{ tag: 'action', actions: [{ tag: 'button', text: pt('旧版'), value: { op: 'v1' } }] }] });
    expect(legacy).toContain('fc-card--v1');
    expect(legacy).toContain('data-value="{&quot;op&quot;:&quot;v1&quot;}"');
  });

  it('renders overflow options and a disabled button', () => {
    const html2 = render([
      { tag: 'overflow', options: [{ text: pt('静音'), value: 'mute' }] },
      { tag: 'button', text: pt('已提交'), disabled: true, disabled_tips: pt('已截止') },
    ]);
    expect(html2).toContain('data-fc-action="overflow" data-option="mute">静音</button>');
    expect(html2).toMatch(/<button [^>]* disabled title="已截止"/);
  });
});

describe('content components', () => {
  it('renders a table with headers, formatted numbers, option tags, dates and paging', () => {
    const rows = Array.from({ length: 7 }, (_, i) => ({ n: `单位${i + 1}`, v: 1234567.891, o: [{ text: '红灯', color: 'red' }], d: 1699341315000 }));
    const html = render([
      {
        tag: 'table',
        page_size: 5,
        columns: [
          { name: 'n', display_name: '单位', data_type: 'text' },
          { name: 'v', display_name: '金额', data_type: 'number', format: { symbol: '¥', precision: 2, separator: true } },
          { name: 'o', display_name: '预警', data_type: 'options' },
          { name: 'd', display_name: '日期', data_type: 'date', date_format: 'YYYY-MM-DD' },
        ],
        rows,
      },
    ]);
    expect(html).toContain('<th>单位</th>');
    expect(html).toContain('¥1,234,567.89');
    expect(html).toContain('<span class="fc-tag fc-tag--red">红灯</span>');
    expect(html).toContain('2023-11-07');
    expect(html).toContain('<tr data-page="2" hidden>');
    expect(html).toContain('<span class="fc-pager-current">1</span> / 2');
  });

  it('draws a line chart as SVG with its categories, and unknown chart types as a data table', () => {
    const line = render([{ tag: 'chart', chart_spec: { type: 'line', data: { values: [{ t: '1月', v: 8 }, { t: '2月', v: 9 }] }, xField: 't', yField: 'v' } }]);
    expect(line).toContain('<svg class="fc-chart-svg"');
    expect(line).toContain('<polyline');
    expect(line).toContain('>1月</text>');
    const bar = render([{ tag: 'chart', chart_spec: { type: 'bar', data: { values: [{ t: 'A', v: 3 }] }, xField: 't', yField: 'v' } }]);
    expect(bar).toContain('<rect fill=');
    const pie = render([{ tag: 'chart', chart_spec: { type: 'pie', data: { values: [{ k: '甲', v: 1 }, { k: '乙', v: 3 }] }, categoryField: 'k', valueField: 'v' } }]);
    expect(pie).toContain('<path fill=');
    expect(pie).toContain('75.0%');
    const radar = render([{ tag: 'chart', chart_spec: { type: 'radar', data: { values: [{ k: '维度', v: 5 }] } } }]);
    expect(radar).toContain('图表（radar）以数据表显示');
    expect(radar).toContain('<td>维度</td>');
  });

  it('shows images as labelled placeholders and people with their names', () => {
    const html = renderCard(
      v2([
        { tag: 'img', img_key: 'img_v3_x', alt: pt('趋势图') },
        { tag: 'person', user_id: 'ou_a', show_name: true },
        { tag: 'person_list', persons: [{ id: 'ou_a' }, { id: 'ou_b' }] },
      ]),
      { nameOf: (id) => ({ ou_a: '张三', ou_b: '李四' })[id] },
    );
    expect(html).toContain('<span class="fc-img-label">趋势图</span>');
    expect(html).toContain('<span class="fc-person-name">张三</span>');
    expect(html).toContain('<span class="fc-person-name">李四</span>');
  });
});

describe('robustness', () => {
  it('shows a visible placeholder for an unknown tag', () => {
    expect(render([{ tag: 'hologram' }])).toContain('<div class="fc-unsupported">不支持的组件: hologram</div>');
  });

  it('renders JSON 1.0 cards (elements at the top level, div with fields, note)', () => {
    const html = renderCard({ config: { wide_screen_mode: true }, header: { title: pt('旧版卡片'), template: 'orange' }, elements: [{ tag: 'div', text: { tag: 'lark_md', content: '**v1**' } }, { tag: 'note', elements: [pt('脚注')] }] });
    expect(html).toContain('fc-card--v1');
    expect(html).toContain('fc-header--orange');
    expect(html).toContain('<strong>v1</strong>');
    expect(html).toContain('脚注');
  });

  it('accepts a JSON string, a {type:"raw"} wrapper and a template reference', () => {
    expect(renderCard(JSON.stringify(v2([{ tag: 'markdown', content: '字符串' }])))).toContain('字符串');
    expect(renderCard({ type: 'raw', data: v2([{ tag: 'markdown', content: '包装' }]) })).toContain('包装');
    expect(renderCard({ type: 'template', data: { template_id: 'AAq1' } })).toContain('模板卡片（AAq1）');
    expect(renderCard('{not json')).toContain('无法解析的卡片 JSON');
  });

  it('renders every sample card of the bot without placeholders', () => {
    for (const [name, card] of Object.entries(sampleCards)) {
      const html = renderCard(card, { messageId: name });
      expect(html, name).not.toContain('fc-unsupported');
      expect(html, name).toContain(`data-message-id="${name}"`);
    }
  });

  it('supports the component tags of the reference', () => {
    for (const tag of ['markdown', 'div', 'hr', 'column_set', 'collapsible_panel', 'interactive_container', 'form', 'input', 'select_static', 'multi_select_static', 'date_picker', 'picker_time', 'checker', 'button', 'img', 'person', 'table', 'chart']) {
      expect(SUPPORTED_TAGS).toContain(tag);
    }
  });
});
