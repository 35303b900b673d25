// Card: the help card, the answer to an unknown command or to 「帮助」.
import { card, escapeMd, markdown, hr, type Card } from './card.ts';

export interface HelpView {
  /** The person's name when known; null for someone not in the city's directory. */
  name: string | null;
  /** What the person typed, when it was not understood. */
  unknownText?: string;
  /** The roles the person holds: each adds the commands of that role (nobody sees another role's). */
  organiser?: boolean;
  liaison?: boolean;
  backup?: boolean;
  head?: boolean;
  leader?: boolean;
}

/** `text` is what to type ([…] optional); every entry is understood by the parser (tests/cards.test.ts). */
export const COMMANDS: { text: string; what: string }[] = [
  { text: '帮助', what: '查看可用的指令' },
  { text: '会议', what: '查看您近期要参加的会议' },
  { text: '我是谁', what: '查看您在系统中的单位和角色' },
];

/** A unit's liaison, backup and head. */
export const UNIT_COMMANDS: { text: string; what: string }[] = [
  { text: '报送', what: '重新获取本单位当前一期的填报卡片' },
  { text: '状态', what: '查看本单位本期的报送情况' },
  { text: '为什么 规上工业增加值 鞍东区 [10月]', what: '查看该指标的预警灯、数据及其原因（不写期别为最近有灯的一期）' },
  { text: '登记问题', what: '向问题台账登记企业或项目反映的困难问题' },
];

/** The liaison alone: leave hands the unit to the backup. */
export const LIAISON_COMMANDS: { text: string; what: string }[] = [
  { text: '请假 12月3日 至 12月5日', what: '休假期间由备用联络员接收卡片和提醒（也可写「请假 下周一」「请假 下周一到下周三」）' },
  { text: '取消请假', what: '撤销尚未结束的请假' },
];

export const LEADER_COMMANDS: { text: string; what: string }[] = [
  { text: '为什么 规上工业增加值 鞍东区 [10月]', what: '查看该指标的预警灯、数据及其原因（不写期别为最近有灯的一期）' },
  { text: '排名 [2026-11]', what: '查看最近一期（或指定期别）的综合排名' },
  { text: '约谈记录 [单位]', what: '查看约谈档案' },
];

export const ORGANISER_COMMANDS: { text: string; what: string }[] = [
  { text: '报送情况 [2026-11]', what: '各单位已报、未报、逾期情况' },
  { text: '催报 单位名称', what: '立即提醒该单位报送' },
  { text: '延期 单位名称 12月18日', what: '为该单位延长截止日期' },
  { text: '导出 [2026-11]', what: '导出本期报送汇总 Excel' },
  { text: '预览 [周期] [期别]', what: '查看开放、截止、提醒和催报的时间' },
  { text: '关闭报送 [周期] [期别]', what: '先出确认卡片（未报、延期单位数），确认后结束本期报送；此后补报和修改需审批' },
  { text: '重新开放 [周期] [期别]', what: '确认后恢复已关闭的报送，未报单位收到通知和提醒' },
  { text: '问题台账', what: '查看待办的困难问题，交办到单位并跟踪到办结' },
  { text: '专报 [2026-11]', what: '审核、修改月度经济运行专报并发送给领导' },
  { text: '发送失败', what: '查看飞书拒收、未能送达的消息' },
];

export const MEETING_COMMANDS: { text: string; what: string }[] = [
  { text: '约谈 鞍东区 下周二下午3点 [事由]', what: '安排约谈，先出安排卡片，确认后才通知' },
  { text: '专题会 工业运行 12月10日15:00 [鞍东区 市经信局]', what: '安排专题会，议题在前，参会单位在后' },
  { text: '例会 12月15日上午9点', what: '安排月度经济运行例会，议程按本月排名和预警生成' },
  { text: '会议', what: '查看近期全部会议及编号' },
  { text: '改期 编号 12月9日15:00', what: '改到新时间，日程、提醒和参会人随之更新' },
  { text: '取消 编号 [原因]', what: '取消会议并通知参会人' },
  { text: '约谈记录 [单位]', what: '查看约谈档案' },
  { text: '导出约谈记录 [单位]', what: '导出约谈档案 Excel' },
  { text: '排名 [2026-11]', what: '查看最近一期（或指定期别）的综合排名' },
];

const list = (cs: { text: string; what: string }[]) => cs.map((c) => `- **${c.text}**：${c.what}`).join('\n');

export function helpCard(view: HelpView): Card {
  const intro = view.unknownText
    ? `没有识别「${escapeMd([...view.unknownText].slice(0, 40).join(''))}」这条指令。可以发送以下指令：`
    : `${view.name ? `${escapeMd(view.name)}，您好！` : '您好！'}可以发送以下指令：`;
  // Each command once, under the first role that has it.
  const shown = new Set<string>();
  const section = (title: string, cs: { text: string; what: string }[]) => {
    const fresh = cs.filter((c) => !shown.has(c.text));
    fresh.forEach((c) => shown.add(c.text));
    return fresh.length ? [hr(), markdown(`**${title}**\n${list(fresh)}`)] : [];
  };
  const general = view.organiser ? COMMANDS.map((c) => (c.text === '会议' ? MEETING_COMMANDS.find((m) => m.text === '会议')! : c)) : COMMANDS;
  general.forEach((c) => shown.add(c.text));
  const inUnit = view.liaison || view.backup || view.head;
  const sections = [
    ...(inUnit ? section(view.liaison ? '联络员' : view.backup ? '备用联络员' : '单位主要负责人', [...UNIT_COMMANDS, ...(view.liaison ? LIAISON_COMMANDS : [])]) : []),
    ...(view.leader ? section('市领导', LEADER_COMMANDS) : []),
    ...(view.organiser ? section('例会办公室', ORGANISER_COMMANDS) : []),
    ...(view.organiser
      ? [
          ...section('会议安排', MEETING_COMMANDS),
          markdown("<font color='grey'>时间可以写成「下周二下午3点」「12月8日15:00」「明天上午九点半」「周五下午」「15:00-16:30」；周一为一周的第一天。编号见会议卡片。</font>"),
        ]
      : []),
  ];
  return card({
    title: '经济运行调度助手',
    subtitle: '使用帮助',
    template: 'blue',
    summary: '使用帮助',
    elements: [
      markdown(intro),
      markdown(list(general)),
      ...sections,
      hr(),
      markdown(
        view.organiser
          ? "<font color='grey'>报送提醒、预警和会议通知会由本助手自动推送。例会办公室可以发送 Excel 或 CSV 文件导入统计部门的正式数据。</font>"
          : "<font color='grey'>报送提醒、预警和会议通知会由本助手自动推送。</font>",
      ),
    ],
  });
}
