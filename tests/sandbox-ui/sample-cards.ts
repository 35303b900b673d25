// Tests: realistic Card JSON 2.0 samples of this bot's cards (collection form, warning, receipt,
// ranking, meeting), used by the renderer tests and the UI demo.

const pt = (content: string) => ({ tag: 'plain_text', content });

export const figuresFormCard = {
  schema: '2.0',
  config: { update_multi: true, summary: { content: '请报送 10 月经济运行指标' } },
  header: {
    title: pt('【数据报送】2025 年 10 月经济运行指标'),
    subtitle: pt('市发展和改革委员会 · 截止 11 月 15 日 18:00'),
    template: 'blue',
    text_tag_list: [{ tag: 'text_tag', text: pt('待报送'), color: 'orange' }],
  },
  body: {
    elements: [
      { tag: 'markdown', content: "**固定资产投资**（累计同比，%）\n上月数值：<font color='green'>6.8</font>　全市平均：7.1" },
      {
        tag: 'form',
        name: 'indicator_form',
        elements: [
          { tag: 'input', name: 'value', required: true, label: pt('本月数值（%）'), placeholder: pt('请输入累计同比增速') },
          {
            tag: 'select_static',
            name: 'trend',
            required: true,
            placeholder: pt('请选择'),
            options: [
              { text: pt('向好'), value: 'up' },
              { text: pt('平稳'), value: 'flat' },
              { text: pt('承压'), value: 'down' },
            ],
          },
          { tag: 'date_picker', name: 'as_of', initial_date: '2025-10-31', placeholder: pt('数据截止日期') },
          { tag: 'input', name: 'problems', input_type: 'multiline_text', rows: 3, label: pt('困难问题'), placeholder: pt('下降时必填：说明原因和拟采取的措施') },
          {
            tag: 'column_set',
            columns: [
              {
                tag: 'column',
                width: 'auto',
                elements: [
                  {
                    tag: 'button',
                    name: 'submit_btn',
                    type: 'primary_filled',
                    form_action_type: 'submit',
                    text: pt('提交'),
                    behaviors: [{ type: 'callback', value: { a: 'figures.submit', v: 1, requestId: 'req_1001' } }],
                  },
                ],
              },
              { tag: 'column', width: 'auto', elements: [{ tag: 'button', name: 'reset_btn', type: 'default', form_action_type: 'reset', text: pt('重置') }] },
            ],
          },
        ],
      },
    ],
  },
};

export const warningCard = {
  schema: '2.0',
  config: { update_multi: true },
  header: {
    title: pt('【红色预警】规上工业增加值增速低于目标'),
    subtitle: pt('分管领域：工业 · 责任单位：市工业和信息化局'),
    template: 'red',
    text_tag_list: [
      { tag: 'text_tag', text: pt('红灯'), color: 'red' },
      { tag: 'text_tag', text: pt('连续 2 个月下滑'), color: 'orange' },
    ],
  },
  body: {
    elements: [
      {
        tag: 'column_set',
        flex_mode: 'bisect',
        horizontal_spacing: '8px',
        columns: [
          { tag: 'column', width: 'weighted', weight: 1, background_style: 'grey-50', padding: '8px', elements: [{ tag: 'markdown', content: "本月累计增速\n**<font color='red'>3.2%</font>**", text_align: 'center' }] },
          { tag: 'column', width: 'weighted', weight: 1, background_style: 'grey-50', padding: '8px', elements: [{ tag: 'markdown', content: '年度目标\n**8.0%**', text_align: 'center' }] },
          { tag: 'column', width: 'weighted', weight: 1, background_style: 'grey-50', padding: '8px', elements: [{ tag: 'markdown', content: '全市平均\n**6.5%**', text_align: 'center' }] },
        ],
      },
      {
        tag: 'chart',
        aspect_ratio: '16:9',
        chart_spec: {
          type: 'line',
          title: { text: '累计增速走势（%）' },
          data: {
            values: [
              { month: '5月', rate: 7.9, series: '本市' },
              { month: '6月', rate: 7.1, series: '本市' },
              { month: '7月', rate: 6.4, series: '本市' },
              { month: '8月', rate: 5.2, series: '本市' },
              { month: '9月', rate: 4.1, series: '本市' },
              { month: '10月', rate: 3.2, series: '本市' },
              { month: '5月', rate: 8, series: '目标' },
              { month: '6月', rate: 8, series: '目标' },
              { month: '7月', rate: 8, series: '目标' },
              { month: '8月', rate: 8, series: '目标' },
              { month: '9月', rate: 8, series: '目标' },
              { month: '10月', rate: 8, series: '目标' },
            ],
          },
          xField: 'month',
          yField: 'rate',
          seriesField: 'series',
        },
      },
      { tag: 'markdown', content: '**预警原因**\n- 差既定目标 4.8 个百分点\n- 低于全市平均 3.3 个百分点\n- 重点企业 <at id=ou_zhao></at> 包保的 3 家企业产值下降' },
      {
        tag: 'collapsible_panel',
        expanded: false,
        header: { title: { tag: 'markdown', content: '**企业明细**（3 家）' } },
        border: { color: 'grey', corner_radius: '6px' },
        elements: [{ tag: 'markdown', content: '1. 华东电机：订单下降 18%\n2. 恒通新材：设备检修停产 12 天\n3. 瑞丰化工：原料价格上涨' }],
      },
      {
        tag: 'column_set',
        columns: [
          { tag: 'column', width: 'auto', elements: [{ tag: 'button', type: 'primary_filled', text: pt('已知悉'), behaviors: [{ type: 'callback', value: { a: 'warning.ack', v: 1, warningId: 'w_88' } }] }] },
          {
            tag: 'column',
            width: 'auto',
            elements: [
              {
                tag: 'button',
                type: 'primary',
                text: pt('召开专题会议'),
                confirm: { title: pt('召开专题会议'), text: pt('将邀请工信局、统计局主要负责人参加，是否继续？') },
                behaviors: [{ type: 'callback', value: { a: 'meeting.propose', v: 1, warningId: 'w_88' } }],
              },
            ],
          },
          { tag: 'column', width: 'auto', elements: [{ tag: 'button', type: 'default', text: pt('交办任务'), behaviors: [{ type: 'callback', value: { a: 'task.assign', v: 1, warningId: 'w_88' } }] }] },
        ],
      },
    ],
  },
};

export const receiptCard = {
  schema: '2.0',
  header: { title: pt('报送成功'), subtitle: pt('2025 年 10 月 · 固定资产投资'), template: 'green', text_tag_list: [{ tag: 'text_tag', text: pt('已报送'), color: 'green' }] },
  body: {
    elements: [
      { tag: 'markdown', content: "本月数值：**7.4%**（上月 6.8%，<font color='green'>↑0.6</font>）\n报送人：<at id=ou_wang></at>　时间：11 月 12 日 09:32" },
      { tag: 'div', text: { tag: 'plain_text', content: '如需修改，请在截止时间前重新报送。', text_size: 'notation', text_color: 'grey' } },
    ],
  },
};

export const rankingCard = {
  schema: '2.0',
  config: { width_mode: 'fill' },
  header: { title: pt('10 月各区县主要指标排名'), template: 'indigo' },
  body: {
    elements: [
      {
        tag: 'table',
        page_size: 5,
        header_style: { background_style: 'grey', bold: true },
        columns: [
          { name: 'rank', display_name: '排名', data_type: 'number', width: '80px' },
          { name: 'region', display_name: '区县', data_type: 'text' },
          { name: 'gdp', display_name: 'GDP 增速', data_type: 'number', format: { precision: 1 } },
          { name: 'light', display_name: '预警', data_type: 'options' },
        ],
        rows: [
          { rank: 1, region: '高新区', gdp: 9.1, light: [{ text: '绿灯', color: 'green' }] },
          { rank: 2, region: '东湖区', gdp: 7.8, light: [{ text: '绿灯', color: 'green' }] },
          { rank: 3, region: '西山县', gdp: 6.2, light: [{ text: '黄灯', color: 'yellow' }] },
          { rank: 4, region: '南河县', gdp: 5.4, light: [{ text: '黄灯', color: 'yellow' }] },
          { rank: 5, region: '北岭县', gdp: 3.9, light: [{ text: '红灯', color: 'red' }] },
          { rank: 6, region: '清水县', gdp: 3.1, light: [{ text: '红灯', color: 'red' }] },
        ],
      },
    ],
  },
};

export const meetingCard = {
  schema: '2.0',
  header: { title: pt('专题会议通知：规上工业稳增长调度'), subtitle: pt('召集人：李建国 副市长'), template: 'wathet' },
  body: {
    elements: [
      {
        tag: 'div',
        fields: [
          { is_short: true, text: { tag: 'lark_md', content: '**时间**\n11 月 14 日 15:00–16:30' } },
          { is_short: true, text: { tag: 'lark_md', content: '**地点**\n市政府 3 号会议室' } },
        ],
      },
      { tag: 'person_list', persons: [{ id: 'ou_li' }, { id: 'ou_zhao' }, { id: 'ou_wang' }], show_name: true, show_avatar: true, size: 'small' },
      { tag: 'hr' },
      {
        tag: 'form',
        name: 'attend_form',
        elements: [
          { tag: 'checker', name: 'attend', checked: true, text: { tag: 'plain_text', content: '本人参会' } },
          { tag: 'input', name: 'deputy', placeholder: pt('如不能参会，请填写代参会人员') },
          { tag: 'button', name: 'confirm_btn', type: 'primary_filled', form_action_type: 'submit', text: pt('确认'), behaviors: [{ type: 'callback', value: { a: 'meeting.rsvp', v: 1, meetingId: 'm_7' } }] },
        ],
      },
    ],
  },
};

/** Every sample, for "renders without placeholders" checks. */
export const sampleCards = { figuresFormCard, warningCard, receiptCard, rankingCard, meetingCard };
