// Collection: the handler table — each chat command and card action of collection, by kind. Every
// handler is `(cmd, ctx) → Outcome` and runs in the command's one transaction (src/commands/run.ts).
import type { CollectionCard, CollectionMessage } from '../../commands/command.ts';
import { noticeCard } from '../../../cards/collection-admin.ts';
import { addFollowUp } from '../../outbox/follow-ups.ts';
import type { HandlerTable } from '../shared/outcome.ts';
import { reply } from '../shared/results.ts';
import { isOrganiser } from '../shared/roles.ts';
import { myCards, myStatus } from './liaison-commands.ts';
import { cancelLeave, requestLeave } from './leave.ts';
import { exportPeriod, extend, nudge, nudgeFromCard, preview, progress } from './organiser-commands.ts';
import { cancelPeriodChange, closePeriod, confirmPeriodChange, pickPeriod, reopenPeriod } from './period-state.ts';
import { decideEdit, editForm, openForm, submitPage } from './submissions.ts';

export const collectionMessages: HandlerTable<CollectionMessage> = {
  'report.cards': myCards,
  'report.status': myStatus,
  leave: requestLeave,
  'leave.cancel': cancelLeave,
  'report.progress': progress,
  'report.nudge': nudge,
  'report.extend': extend,
  'report.export': exportPeriod,
  'schedule.preview': preview,
  'period.close': closePeriod,
  'period.reopen': reopenPeriod,
  // The file is downloaded and imported by a follow-up job; its result is a reply in the chat.
  'official.import': async (cmd, { tx, actor, origin }) => {
    if (!isOrganiser(actor)) return reply(noticeCard('无法接收文件', ['只有经济运行例会办公室可以上传正式数据。如需反映问题，请发送「登记问题」。'], 'grey'));
    await addFollowUp(tx, {
      name: 'collection.import.v1',
      payload: { messageId: origin.messageId, fileKey: cmd.fileKey, fileName: cmd.fileName, openId: origin.openId, ...(origin.chatId ? { chatId: origin.chatId } : {}) },
      jobId: `import-${origin.messageId}`,
    });
    return reply(noticeCard('正在导入正式数据', [`已收到「${cmd.fileName}」，正在核对和导入，完成后会在这里回复结果。`], 'blue'));
  },
};

export const collectionCards: HandlerTable<CollectionCard> = {
  'report.submit': submitPage,
  'report.edit': editForm,
  'report.open': openForm,
  'report.nudge': nudgeFromCard,
  'edit.decide': decideEdit,
  'period.pick': pickPeriod,
  'period.confirm': confirmPeriodChange,
  'period.cancel': cancelPeriodChange,
};
