// Cards: every rendering of a card carries its own render id in each callback value (`_r`). A click is
// then identified by message + operator + render + action: a double click on one rendering is one
// action, while the same button on a later rendering of the card (修改 on a new receipt) is a new one.
// Applied where a card leaves the bot (the outbound sender, a callback's answer), so builders stay pure.

export const RENDER_KEY = '_r';

function stamp(node: unknown, renderId: string): unknown {
  if (Array.isArray(node)) return node.map((x) => stamp(x, renderId));
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'behaviors' && Array.isArray(v)) {
      out[k] = v.map((b: unknown) => {
        const beh = b as { type?: unknown; value?: unknown };
        return beh && beh.type === 'callback' && typeof beh.value === 'object' && beh.value !== null
          ? { ...beh, value: { ...(beh.value as Record<string, unknown>), [RENDER_KEY]: renderId } }
          : b;
      });
    } else out[k] = stamp(v, renderId);
  }
  return out;
}

/** The card with `_r: renderId` in every callback value; content that is not a JSON 2.0 card is returned as is. */
export function stampRender<T>(card: T, renderId: string): T {
  if (typeof card !== 'object' || card === null || (card as { schema?: unknown }).schema !== '2.0') return card;
  return stamp(card, renderId) as T;
}
