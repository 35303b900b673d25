// Sandbox UI: type declarations for card-render.js (plain browser JavaScript), so TypeScript tests can import it.

export interface TextContext {
  /** Display name of a person, if known. */
  nameOf?: (openId: string) => string | undefined;
  /** The person viewing the card (their own @mentions are highlighted). */
  currentOpenId?: string;
}

export interface RenderOptions extends TextContext {
  /** The message carrying the card; written on the card's root element as data-message-id. */
  messageId?: string;
}

/** Renders a Feishu card (JSON 2.0, or 1.0) to an HTML string. Accepts the object, its JSON string, or `{ type: 'raw', data }`. */
export declare function renderCard(cardJson: unknown, options?: RenderOptions): string;
/** lark_md / inline markdown to HTML. */
export declare function renderInline(source: unknown, ctx?: TextContext): string;
/** The `markdown` component's content to HTML (block level). */
export declare function renderMarkdown(source: unknown, ctx?: TextContext): string;
export declare function escapeHtml(value: unknown): string;
export declare const HEADER_TEMPLATES: string[];
export declare const SUPPORTED_TAGS: readonly string[];
export declare function avatarText(name: string): string;
export declare function hueOf(id: string): number;
