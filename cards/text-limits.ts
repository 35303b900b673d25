// Cards: limits on free text. The same constant is an input's max_length and the server's check: Feishu's
// max_length only guides the client, so a longer text (an old card, a crafted callback) is refused at the
// edge with a message naming the field, and nothing is stored.
import { z } from 'zod';

/** Characters as people count them (an emoji is one, not two UTF-16 units). */
export const charCount = (s: string): number => [...s].length;

export const tooLongMessage = (label: string, max: number, length: number): string =>
  `「${label}」最多 ${max} 字，当前 ${length} 字，请精简后重新提交`;

/** A trimmed text of at most `max` characters; when required, not empty. */
export function limitedText(label: string, max: number, opts: { required?: boolean; missing?: string } = {}) {
  const missing = opts.missing ?? `请填写${label}`;
  return z
    .string({ error: missing })
    .optional()
    .transform((s) => (s ?? '').trim())
    .superRefine((s, ctx) => {
      if (opts.required && !s) ctx.addIssue({ code: 'custom', message: missing });
      else if (charCount(s) > max) ctx.addIssue({ code: 'custom', message: tooLongMessage(label, max, charCount(s)) });
    });
}
