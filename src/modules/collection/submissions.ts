// Domain: a unit's card at work — open it, submit a page (stored as revisions before the officer is
// told), open a page again to edit it, and after the close a late edit that waits for an organiser.
import type { Prisma } from '../../generated/prisma/client.ts';
import { beijingDateTime } from '../../platform/business-time.ts';
import { addOutbound } from '../../outbox/outbox.service.ts';
import { organisers } from '../people/people.service.ts';
import { CARD_EXPIRED, positionKey } from '../../../cards/collection-form.ts';
import { editRequestCard, noticeCard } from '../../../cards/collection-admin.ts';
import type { CollectionCard } from '../../commands/command.ts';
import type { Outcome, UseCase, UseCaseContext } from '../shared/outcome.ts';
import { evaluateLater } from '../shared/results.ts';
import { rankLater } from '../meetings/ranking.ts';
import { isOrganiser, maySeeUnit, standingFor } from '../shared/roles.ts';
import { periodLabel } from './schedule.ts';
import { loadReport, unitContexts, formatLevel, formatGrowth, figuresInForce, figureKey, type ReportBundle } from './collection.repo.ts';
import { currentSections, formCard, formCardsOf, modeOf, pageOf, receiptCard } from './form-cards.ts';
import { storeFigures } from './revisions.ts';
import { validatePage, type FieldError, type RawEntry, type ValidFigure } from './validate.ts';

type Cmd<K extends CollectionCard['kind']> = Extract<CollectionCard, { kind: K }>;

const expired = (): Outcome => ({ toast: { type: 'warning', content: CARD_EXPIRED } });
const json = (x: unknown) => x as Prisma.InputJsonValue;
/** Feishu counts 30 KB of card; 25 KB leaves room for the escaping and the render ids. */
const MAX_CARD_BYTES = 25 * 1024;
const blank = (s: string | undefined) => (s && s.trim() ? s.trim() : null);
const LATE_SUBMIT_REASON = '补报说明：未填写。本期报送已关闭，补报须说明未能按期报送的原因，请填写补报说明后再次提交。';
/** What a request after the close is: an edit of submitted figures, or a late submission (补报). */
type LateKind = 'late-edit' | 'late-submit';
const WHAT: Record<LateKind, string> = { 'late-edit': '修改申请', 'late-submit': '补报申请' };

/** 填报: the unit's form; the first page replaces the card acted on, further pages follow as messages. */
export const openForm: UseCase<Cmd<'report.open'>> = async (cmd, ctx) => {
  const b = await loadReport(ctx.tx, cmd.reportId);
  if (!b) return expired();
  if (!maySeeUnit(ctx.actor, b.unit.id)) return { toast: { type: 'error', content: `您不是${b.unit.name}的联络员、备用联络员或主要负责人，无权查看该单位的报送。` } };
  const cards = await formCardsOf(ctx.tx, b);
  for (const [i, c] of cards.slice(1).entries()) {
    await addOutbound(ctx.tx, { kind: 'SEND', dedupeKey: `open-${ctx.origin.key}-${i + 2}`, receiveIdType: 'open_id', receiveId: ctx.origin.openId, msgType: 'interactive', content: json(c) });
  }
  return { toast: { type: 'info', content: cards.length > 1 ? `共 ${cards.length} 页，其余页面已发送` : '请填写后提交' }, card: cards[0]! };
};

/** 修改: the page again, with the figures in force. */
export const editForm: UseCase<Cmd<'report.edit'>> = async (cmd, ctx) => {
  const b = await loadReport(ctx.tx, cmd.reportId);
  if (!b) return expired();
  const standing = standingFor(ctx.actor, b.unit.id, b.unit.name);
  if (!standing.ok) return { toast: { type: 'error', content: standing.message } };
  const uc = await unitContexts(ctx.tx, b);
  const mode = modeOf(b, uc, pageOf(uc, cmd.page).rows.map((r) => r.code));
  const toast = { 'late-submit': '本期报送已关闭：补报需经例会办公室审批', 'late-edit': '报送已截止：修改需经例会办公室审批' } as Record<string, string>;
  return {
    toast: { type: 'info', content: toast[mode] ?? '请修改后填写修改原因并提交' },
    card: formCard(b, uc, cmd.page, { unitSections: await currentSections(ctx.tx, b.report.id) }),
  };
};

/** The typed entries of the page's indicators (the domain's page); entries of other indicators are ignored. */
function pageEntries(codes: string[], entries: Cmd<'report.submit'>['entries']): Record<string, RawEntry> {
  return Object.fromEntries(
    codes.map((code, i) => {
      const e = entries[code] ?? entries[positionKey(i)] ?? {};
      const raw: RawEntry = {
        ...(e.value !== undefined ? { value: e.value } : {}),
        ...(e.growth !== undefined ? { growth: e.growth } : {}),
        ...(e.problems !== undefined ? { problems: e.problems } : {}),
        ...(e.outlook !== undefined ? { forecast: e.outlook } : {}),
        ...(e.measures !== undefined ? { measures: e.measures } : {}),
      };
      return [code, raw];
    }),
  );
}

/** 提交 on page `page` of a unit's card: refused with the reasons on the form, or stored and answered with the receipt. */
export const submitPage: UseCase<Cmd<'report.submit'>> = async (cmd, ctx) => {
  const { tx, actor, now } = ctx;
  const b = await loadReport(tx, cmd.reportId);
  if (!b) return expired();
  const standing = standingFor(actor, b.unit.id, b.unit.name);
  if (!standing.ok) return { toast: { type: 'error', content: standing.message } };
  const uc = await unitContexts(tx, b);
  const { pages, rows } = pageOf(uc, cmd.page);
  if (!rows.length) return { toast: { type: 'warning', content: '这一页已没有需要填报的指标，请发送「报送」获取最新卡片。' } };
  const codes = rows.map((r) => r.code);
  const mode = modeOf(b, uc, codes);
  const lastPage = cmd.page === pages.length;
  const entered = pageEntries(codes, cmd.entries);
  const reason = blank(cmd.reason);
  const confirmReason = blank(cmd.confirmReason);
  const sections = { enterpriseCoverage: blank(cmd.sections?.enterpriseCoverage), keyWork: blank(cmd.sections?.keyWork) };
  const check = validatePage({
    indicators: rows,
    entries: entered,
    ...(cmd.confirm ? { confirmation: { codes, reason: confirmReason ?? '' } } : {}),
    requireReason: mode === 'edit' || mode === 'late-edit',
    ...(reason ? { reason } : {}),
    ...(lastPage ? { sections } : {}),
  });
  const onBehalfOf = standing.onBehalf ? `${actor.name}（例会办公室）代${b.unit.name}填报` : undefined;
  // A late submission says why it is late (补报说明), in its own words, not an edit's.
  const noLateReason: FieldError[] = mode === 'late-submit' && !reason ? [{ field: 'reason', message: LATE_SUBMIT_REASON }] : [];
  if (!check.ok || noLateReason.length) {
    const allErrors = [...(check.ok ? [] : check.errors), ...noLateReason];
    const errors = new Map<string, string[]>();
    const general: string[] = [];
    for (const e of allErrors) {
      if (e.indicatorCode) errors.set(e.indicatorCode, [...(errors.get(e.indicatorCode) ?? []), e.message]);
      else general.push(e.message);
    }
    const outliers = new Map(check.outliers.map((o) => [o.indicatorCode, o.message]));
    // One count for the toast, the card's tag and its first line: every message the officer must act on.
    const n = allErrors.length;
    const messages = n ? [`有 ${n} 处需要修改，请查看标红的说明后重新提交。`, ...general] : ['部分数据明显偏离历史水平，请核实；如确认无误，请填写确认说明后提交。'];
    const toast = n ? `未保存：有 ${n} 处需要修改` : '未保存：请核实偏离历史水平的数据并填写确认说明';
    const card = formCard(b, uc, cmd.page, {
      entered,
      errors,
      outliers,
      messages,
      errorCount: n,
      unitSections: { ...(sections.enterpriseCoverage ? { enterpriseCoverage: sections.enterpriseCoverage } : {}), ...(sections.keyWork ? { keyWork: sections.keyWork } : {}) },
      ...(reason ? { reason } : {}),
      ...(confirmReason ? { confirmReason } : {}),
      ...(onBehalfOf ? { onBehalfOf } : {}),
    });
    // Long texts typed on a page sized for short ones: Feishu would refuse the card; the client keeps what was typed.
    if (Buffer.byteLength(JSON.stringify(card)) > MAX_CARD_BYTES) {
      const first = allErrors[0]?.message ?? check.outliers[0]?.message ?? '';
      return { toast: { type: 'warning', content: `${toast}：${first}`.slice(0, 200) } };
    }
    return { toast: { type: 'warning', content: toast }, card };
  }
  if (mode === 'late-edit' || mode === 'late-submit') return requestLateEdit(ctx, b, { kind: mode, page: cmd.page, figures: check.figures, sections: lastPage ? sections : undefined, reason: reason ?? '' });

  const fullReason = [reason, check.outliers.length ? `确认说明：${confirmReason}` : null].filter(Boolean).join('；') || null;
  const changes = await storeFigures(tx, {
    bundle: b,
    figures: check.figures,
    ...(lastPage ? { sections } : {}),
    page: cmd.page,
    actorId: actor.personId,
    onBehalf: standing.onBehalf,
    reason: fullReason,
    requestKey: ctx.origin.key,
    vintage: 'FLASH',
    now,
    action: standing.onBehalf ? 'report.submit.on_behalf' : mode === 'edit' ? 'report.edit' : 'report.submit',
    assignedIds: uc.indicators.map((i) => i.id),
  });
  await evaluateLater(ctx, { periodId: b.period.id, indicatorIds: check.figures.map((f) => f.indicatorId), unitIds: [b.unit.id] }, ctx.origin.key);
  // The receipt needs only the figures now in force; the rest of the context is unchanged.
  const inForce = await figuresInForce(tx, [b.period.id], [b.unit.id]);
  const current = new Map(
    uc.indicators.flatMap((i) => {
      const f = inForce.get(figureKey(b.period.id, b.unit.id, i.id));
      return f ? [[i.code, f] as const] : [];
    }),
  );
  return {
    toast: { type: 'success', content: mode === 'edit' ? '修改已保存' : '已提交' },
    card: await receiptCard(tx, b, { ...uc, current }, cmd.page, changes, { revisionNo: b.report.currentRevisionNo + 1, submittedAt: now, submittedBy: { name: actor.name } }, rows),
  };
};

/** After the period closed: the edit (or the late submission) waits for an organiser; each organiser gets a card to decide. */
async function requestLateEdit(
  ctx: UseCaseContext,
  b: ReportBundle,
  r: { kind: LateKind; page: number; figures: ValidFigure[]; sections: { enterpriseCoverage: string | null; keyWork: string | null } | undefined; reason: string },
): Promise<Outcome> {
  const { tx, actor, now } = ctx;
  const uc = await unitContexts(tx, b);
  const byCode = new Map(uc.contexts.map((c) => [c.code, c]));
  const changes = r.figures.map((f) => {
    const c = byCode.get(f.code)!;
    const cur = uc.current.get(f.code);
    return {
      name: c.name,
      from: cur ? `${formatLevel(cur.value, c.decimals, c.measureUnit)}（${formatGrowth(cur.growthPct) ?? '—'}）` : '未填报',
      to: `${formatLevel(f.value, c.decimals, c.measureUnit)}（${formatGrowth(f.growthPct) ?? '—'}）`,
    };
  });
  const req = await tx.editRequest.create({
    data: {
      reportId: b.report.id,
      page: r.page,
      payload: json({ figures: r.figures, sections: r.sections ?? null, kind: r.kind }),
      reason: r.reason,
      requestedById: actor.personId,
      createdAt: now,
      requestKey: ctx.origin.key,
    },
  });
  await tx.auditLog.create({
    data: { at: now, actorId: actor.personId, action: r.kind === 'late-submit' ? 'report.late_submit.requested' : 'report.edit.requested', entity: 'EditRequest', entityId: req.id, data: { unit: b.unit.code, period: b.period.periodKey, reason: r.reason } },
  });
  const label = periodLabel(b.cycle.frequency, b.period.periodKey);
  const kind = r.kind === 'late-submit' ? ('late-submit' as const) : ('edit' as const);
  const view = { editRequestId: req.id, unitName: b.unit.name, periodLabel: label, requestedBy: actor.name, requestedAt: beijingDateTime(now), reason: r.reason, changes, status: 'pending' as const, kind };
  for (const o of await organisers(tx)) {
    await addOutbound(tx, { kind: 'SEND', dedupeKey: `editreq-${req.id}-${o.id}`, receiveIdType: 'open_id', receiveId: o.openId!, msgType: 'interactive', content: json(editRequestCard(view)) });
  }
  if (r.kind === 'late-submit') {
    return {
      toast: { type: 'success', content: '补报申请已提交，待例会办公室审批' },
      card: noticeCard('补报申请已提交', [`${b.unit.name} ${label} 的报送已关闭，本次提交作为补报申请，已提交例会办公室审批，批准后生效。`, `补报说明：${r.reason}`, '审批结果会在本对话中通知您。'], 'orange'),
    };
  }
  return {
    toast: { type: 'success', content: '修改申请已提交，待例会办公室审批' },
    card: noticeCard('修改申请已提交', [`${b.unit.name} ${label} 的报送已截止，本次修改已提交例会办公室审批。`, `修改原因：${r.reason}`, '审批结果会在本对话中通知您。'], 'orange'),
  };
}

/** An organiser approves or rejects a late edit; approval writes the revisions as if submitted then. */
export const decideEdit: UseCase<Cmd<'edit.decide'>> = async (cmd, ctx) => {
  const { tx, actor, now } = ctx;
  if (!isOrganiser(actor)) return { toast: { type: 'error', content: '只有经济运行例会办公室可以审批修改申请。' } };
  const req = await tx.editRequest.findUnique({ where: { id: cmd.editRequestId }, include: { requestedBy: true, decidedBy: true } });
  if (!req) return { toast: { type: 'warning', content: '找不到这条修改申请。' } };
  const b = (await loadReport(tx, req.reportId))!;
  const payload = req.payload as unknown as { figures: ValidFigure[]; sections: { enterpriseCoverage: string | null; keyWork: string | null } | null; kind?: LateKind };
  const lateKind: LateKind = payload.kind ?? 'late-edit';
  const what = WHAT[lateKind];
  const label = periodLabel(b.cycle.frequency, b.period.periodKey);
  const decided = req.status !== 'PENDING';
  if (!decided) {
    if (cmd.approve) {
      await storeFigures(tx, {
        bundle: b,
        figures: payload.figures,
        ...(payload.sections ? { sections: payload.sections } : {}),
        page: req.page,
        actorId: req.requestedById,
        onBehalf: false,
        reason: `${req.reason}（${actor.name} 批准）`,
        requestKey: `edit-${req.id}`,
        vintage: 'FLASH',
        now,
        action: lateKind === 'late-submit' ? 'report.late_submit.approved' : 'report.edit.approved',
      });
      await evaluateLater(ctx, { periodId: b.period.id, indicatorIds: payload.figures.map((f) => f.indicatorId), unitIds: [b.unit.id] }, ctx.origin.key);
      await rankLater(tx, b.period.id, { key: ctx.origin.key, atClose: false });
    }
    await tx.editRequest.update({ where: { id: req.id }, data: { status: cmd.approve ? 'APPROVED' : 'REJECTED', decidedById: actor.personId, decidedAt: now } });
    await tx.auditLog.create({ data: { at: now, actorId: actor.personId, action: cmd.approve ? 'report.edit.approve' : 'report.edit.reject', entity: 'EditRequest', entityId: req.id, data: { kind: lateKind } } });
    if (req.requestedBy.openId) {
      await addOutbound(tx, {
        kind: 'SEND',
        dedupeKey: `editreq-${req.id}-decision`,
        receiveIdType: 'open_id',
        receiveId: req.requestedBy.openId,
        msgType: 'interactive',
        content: json(
          noticeCard(
            cmd.approve ? `${what}已批准` : `${what}未获批准`,
            [
              `${b.unit.name} ${label} 的${what}${cmd.approve ? `已由 ${actor.name} 批准，数据已${lateKind === 'late-submit' ? '计入本期' : '更新'}。` : `被 ${actor.name} 驳回，${lateKind === 'late-submit' ? '本期仍为未报送（已关闭）' : '数据保持不变'}。`}`,
              cmd.approve ? '如有疑问，请联系经济运行例会办公室。' : '如需调整，请与经济运行例会办公室沟通后重新申请。',
            ],
            cmd.approve ? 'green' : 'grey',
          ),
        ),
      });
    }
  }
  const status = decided ? req.status : cmd.approve ? 'APPROVED' : 'REJECTED';
  const decidedBy = decided ? req.decidedBy?.name : actor.name;
  const uc = await unitContexts(tx, b);
  const byCode = new Map(uc.contexts.map((c) => [c.code, c]));
  const card = editRequestCard({
    editRequestId: req.id,
    unitName: b.unit.name,
    periodLabel: label,
    requestedBy: req.requestedBy.name,
    requestedAt: beijingDateTime(req.createdAt),
    reason: req.reason,
    changes: payload.figures.map((f) => ({ name: byCode.get(f.code)?.name ?? f.code, from: '—', to: f.value ?? `${formatGrowth(f.growthPct) ?? '—'}` })),
    status: status === 'APPROVED' ? 'approved' : status === 'REJECTED' ? 'rejected' : 'pending',
    ...(decidedBy ? { decidedBy } : {}),
    kind: lateKind === 'late-submit' ? 'late-submit' : 'edit',
  });
  if (decided) return { toast: { type: 'info', content: `该申请已由 ${decidedBy ?? '他人'} 处理` }, card };
  return { toast: { type: 'success', content: cmd.approve ? (lateKind === 'late-submit' ? '已批准，补报的数据已生效' : '已批准，数据已更新') : '已驳回' }, card };
};
