// Card: the help card, the answer to an unknown command or to 「帮助」.
import { card, escapeMd, markdown, hr, type Card } from './card.ts';

export interface HelpView {
  /** The person's name when known; null for someone not in the city's directory. */
  name: string | null;
  /** What the person typed, when it was not understood. */
  unknownText?: string;
}

export const COMMANDS: { text: string; what: string }[] = [
  { text: '帮助', what: '查看可用的指令' },
  { text: '报送', what: '重新获取本单位当前一期的填报卡片' },
  { text: '状态', what: '查看本单位本期的报送情况' },
  { text: '请假 12月3日 至 12月5日', what: '（联络员）休假期间由备用联络员接收卡片和提醒' },
  { text: '为什么 规上工业增加值 鞍东区', what: '查看该指标的预警灯及其原因' },
  { text: '登记问题', what: '向问题台账登记企业或项目反映的困难问题' },
  { text: '我是谁', what: '查看您在系统中的单位和角色' },
  { text: '报送情况 [2026-11]', what: '（例会办公室）各单位已报、未报、逾期情况' },
  { text: '催报 单位名称', what: '（例会办公室）立即提醒该单位报送' },
  { text: '延期 单位名称 12月18日', what: '（例会办公室）为该单位延长截止日期' },
  { text: '导出 [2026-11]', what: '（例会办公室）导出本期报送汇总 Excel' },
  { text: '预览 [周期] [期别]', what: '（例会办公室）查看开放、截止、提醒和催报的时间' },
  { text: '关闭报送 [2026-11]', what: '（例会办公室）结束本期报送，此后修改需审批' },
  { text: '发送失败', what: '（例会办公室）查看飞书拒收、未能送达的消息' },
];

export function helpCard(view: HelpView): Card {
  const intro = view.unknownText
    ? `没有识别「${escapeMd([...view.unknownText].slice(0, 40).join(''))}」这条指令。可以发送以下指令：`
    : `${view.name ? `${escapeMd(view.name)}，您好！` : '您好！'}可以发送以下指令：`;
  return card({
    title: '经济运行调度助手',
    subtitle: '使用帮助',
    template: 'blue',
    summary: '使用帮助',
    elements: [
      markdown(intro),
      markdown(COMMANDS.map((c) => `- **${c.text}**：${c.what}`).join('\n')),
      hr(),
      markdown("<font color='grey'>报送提醒、预警和会议通知会由本助手自动推送。例会办公室可以发送 Excel 或 CSV 文件导入统计部门的正式数据。</font>"),
    ],
  });
}
