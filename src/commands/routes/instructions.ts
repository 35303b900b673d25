// Card routes of this feature: action name → typed command (see ../card-route.ts). A unit's answers to
// a 批示: 收到, and 反馈措施 with the measures (required, within their limit: refused here otherwise).
import { badForm, byId, expired, isUuid, type CardRoute } from '../card-route.ts';
import {
  INSTRUCTION_MEASURES, INSTRUCTION_RECEIVED, InstructionMeasuresFormValue, InstructionMeasuresValue, InstructionReceivedValue,
} from '../../../cards/warning.ts';

export const instructionRoutes: Record<string, CardRoute> = {
  [INSTRUCTION_RECEIVED]: byId(InstructionReceivedValue, 'i', (instructionId, a) =>
    isUuid(a.value.u) ? { kind: 'instruction.reply', instructionId, unitId: a.value.u, reply: 'RECEIVED' } : expired),
  [INSTRUCTION_MEASURES]: byId(InstructionMeasuresValue, 'i', (instructionId, a) => {
    if (!isUuid(a.value.u)) return expired;
    const f = InstructionMeasuresFormValue.safeParse(a.formValue ?? {});
    return f.success ? { kind: 'instruction.reply', instructionId, unitId: a.value.u, reply: 'MEASURES', text: f.data.measures } : badForm(f.error, '请填写落实措施后再提交反馈');
  }),
};
