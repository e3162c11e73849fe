/**
 * The only way the report builds markup. Everything printed in an NCCL log (host names, interface
 * names, WARN texts, env values) is attacker-controlled, so every interpolated value is escaped
 * unless it is already `SafeHtml` made by this module. Attribute values must be written quoted
 * (`title="${x}"`): escaping `"` and `'` then keeps them inside the attribute.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for element content and for quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** Markup that is already safe: built by `html` or from escaped text. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlPart = SafeHtml | string | number | false | null | undefined | readonly HtmlPart[];

function render(part: HtmlPart): string {
  if (part === null || part === undefined || part === false) return '';
  if (part instanceof SafeHtml) return part.value;
  if (Array.isArray(part)) return part.map(render).join('');
  return escapeHtml(String(part));
}

/** Tagged template: literal parts are trusted markup, every `${value}` is escaped (arrays are joined). */
export function html(strings: TemplateStringsArray, ...values: HtmlPart[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}

/** Our own CSS or script for a <style>/<script> body: trusted text, refused if it could end the element early. */
export function inlineAsset(text: string): SafeHtml {
  if (/<\/(?:style|script)|<!--/i.test(text)) throw new Error('inline asset contains a closing tag or comment opener');
  return new SafeHtml(text);
}

/** Joins parts with a separator (escaped like any other text unless it is SafeHtml). */
export function joinHtml(parts: readonly HtmlPart[], separator: HtmlPart = ''): SafeHtml {
  const sep = render(separator);
  return new SafeHtml(parts.map(render).join(sep));
}

/** A 1-based log line number; inside a VS Code webview the page script turns it into a "reveal" button. */
export function lineRef(line: number): SafeHtml {
  return html`<span data-line="${line}">${line}</span>`;
}

/** Shortens log text for display; the caller keeps the full text elsewhere where it matters. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(1, max - 1))}…`;
}

/** Long log text for tables: cut with a note on how much was left out. */
export function clipLong(text: string, max = 1000): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/** Bandwidths as NCCL prints them, without float noise: 370.8, 48, 1.25. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return String(Math.round(n * 100) / 100);
}

/** A `<table>` with a caption, column headers and rows; the first cell of a row is its header. */
export function table(caption: HtmlPart, headers: readonly HtmlPart[], rows: readonly (readonly HtmlPart[])[], className = ''): SafeHtml {
  const head = headers.map((h) => html`<th scope="col">${h}</th>`);
  const body = rows.map((r) => html`<tr>${r.map((c, i) => (i === 0 ? html`<th scope="row">${c}</th>` : html`<td>${c}</td>`))}</tr>`);
  return html`<div class="table-wrap"><table class="${className}"><caption>${caption}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

/** `0000:00:06.0` from NCCL's bus id number (`60`, `18000`), or the text unchanged when it is not one. */
export function pciAddress(busId: string): string {
  if (!/^[0-9a-f]{1,12}$/i.test(busId)) return busId;
  const hex = busId.toLowerCase().padStart(9, '0');
  const n = hex.length;
  return `${hex.slice(0, n - 5)}:${hex.slice(n - 5, n - 3)}:${hex.slice(n - 3, n - 1)}.${hex.slice(n - 1)}`;
}

/** Short form for a box label: `00:06.0` (the PCI domain dropped when it is 0000). */
export function shortPci(busId: string): string {
  const full = pciAddress(busId);
  const m = /^0{4}:(.*)$/.exec(full);
  return m ? m[1] : full;
}
