// Card routes of this feature: action name → typed command (see ../card-route.ts).
// 保存修改 / 发送给领导 on the 专报 review card: the paragraphs as the organiser left them.
import { MREPORT_SAVE, MREPORT_SEND, MReportFormValue, MReportValue, readParagraphs } from '../../../cards/report.ts';
import { badForm, byId, type CardRoute } from '../card-route.ts';

function route(kind: 'mreport.save' | 'mreport.send'): CardRoute {
  return byId(MReportValue, 'r', (reportId, a) => {
    const f = MReportFormValue.safeParse(a.formValue ?? {});
    if (!f.success) return badForm(f.error, '填写的内容无法识别，请检查后重新提交');
    return { kind, reportId, revisionNo: Number(a.value.n), texts: readParagraphs(f.data) };
  });
}

export const reportRoutes: Record<string, CardRoute> = { [MREPORT_SAVE]: route('mreport.save'), [MREPORT_SEND]: route('mreport.send') };
