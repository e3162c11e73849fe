/**
 * What every topology page must keep, shared by the page and overlay tests: one style and one
 * script, both carrying the nonce, no inline handlers or style attributes, nothing remote.
 */
import assert from 'node:assert/strict';

export const NONCE = 'dGVzdC1ub25jZS0xMjM0NTY3OA==';

/** Every start tag with its attribute names (values are quoted and escaped, so `"` ends them). */
export function startTags(page: string): Array<{ name: string; attrs: Array<{ name: string; value: string }> }> {
  const tags = [];
  for (const m of page.matchAll(/<([a-zA-Z][\w-]*)((?:\s+[^\s=>"']+(?:="[^"]*")?)*)\s*\/?>/g)) {
    const attrs = [...m[2].matchAll(/\s+([^\s=>"']+)(?:="([^"]*)")?/g)].map((a) => ({ name: a[1], value: a[2] ?? '' }));
    tags.push({ name: m[1].toLowerCase(), attrs });
  }
  return tags;
}

export function assertPageSafety(page: string): void {
  const tags = startTags(page);
  const handlers = tags.flatMap((t) => t.attrs.filter((a) => /^on/i.test(a.name)).map((a) => `<${t.name} ${a.name}>`));
  assert.deepEqual(handlers, [], 'no inline event handlers');
  assert.deepEqual(tags.filter((t) => t.name === 'style' || t.name === 'script').map((t) => t.attrs.map((a) => `${a.name}=${a.value}`).join(' ')), [`nonce=${NONCE}`, `nonce=${NONCE}`], 'one style and one script, both with the nonce');
  assert.equal((page.match(/<script\b/gi) ?? []).length, 1);
  assert.equal((page.match(/<\/script>/gi) ?? []).length, 1);
  assert.equal((page.match(/<style\b/gi) ?? []).length, 1);
  assert.equal((page.match(/<\/style>/gi) ?? []).length, 1);
  for (const t of tags) {
    for (const a of t.attrs) {
      assert.ok(!/[<>]/.test(a.value), `attribute ${t.name}.${a.name} holds no raw angle brackets`);
      if (a.name === 'href') assert.match(a.value, /^#[\w-]+$/, 'links stay on the page');
      assert.notEqual(a.name, 'style', 'no style attributes (the CSP forbids them)');
      assert.notEqual(a.name, 'src', 'nothing loaded from anywhere');
    }
  }
  assert.ok(!/<(?:link|img|iframe|object|embed|base|form)\b/i.test(page), 'no external-resource elements');
  assert.ok(!/@import|url\(/i.test(page), 'no CSS imports or url()');
}
