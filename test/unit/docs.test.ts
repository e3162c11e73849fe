/**
 * The rule pages are executable: under "Incorrect" the first `sh` example must trigger the page's
 * rule, under "Correct" it must not, and the "Suppress" example must be silenced by its comment.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allRules, ruleDocsPath } from '../../server/src/analysis/rules';
import { check, repoRoot } from '../helpers';

function section(md: string, heading: string): string | undefined {
  const lines = md.split('\n');
  const start = lines.findIndex((l) => l.trim() === `## ${heading}`);
  if (start < 0) return undefined;
  const end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

/** The first `sh` or `yaml` example of a section, with the kind of document it is. */
function firstExample(md: string, heading: string): { text: string; kind: 'shell' | 'yaml' } | undefined {
  const body = section(md, heading);
  const m = body === undefined ? undefined : /^```(sh|yaml)\n([\s\S]*?)^```/m.exec(body);
  return m ? { text: m[2], kind: m[1] === 'yaml' ? 'yaml' : 'shell' } : undefined;
}

// Log rules have log examples, checked by their own docs tests (ncclLogDocs, ncclTestsDocs, vllmLogDocs).
const LOG_RULES = /^(?:nccl-log|nccl-tests|vllm-log)\//;
for (const rule of allRules().filter((r) => !LOG_RULES.test(r.id))) {
  test(`docs for ${rule.id}: title, severity and working examples`, () => {
    const md = readFileSync(join(repoRoot, ruleDocsPath(rule.id)), 'utf8');
    assert.equal(md.split('\n')[0], `# ${rule.id}`);
    assert.match(md, new RegExp(`\\*\\*Default severity:\\*\\* ${rule.severity}`));
    const has = (example: { text: string; kind: 'shell' | 'yaml' }) => check(example.text, {}, example.kind).some((f) => f.rule === rule.id);
    const incorrect = firstExample(md, 'Incorrect');
    const correct = firstExample(md, 'Correct');
    const suppress = firstExample(md, 'Suppress');
    assert.ok(incorrect && has(incorrect), 'the Incorrect example must trigger the rule');
    assert.ok(correct !== undefined && !has(correct), 'the Correct example must not trigger the rule');
    assert.ok(suppress && !has(suppress), 'the Suppress example must be silent');
    const uncommented = suppress.text.replace(/\s*#\s*rvn-disable-line.*$/gm, '').replace(/^\s*#\s*rvn-.*$/gm, '');
    assert.ok(has({ ...suppress, text: uncommented }), 'without its comment the Suppress example triggers the rule');
  });
}

test('the rule index lists every rule with its severity', () => {
  const index = readFileSync(join(repoRoot, 'docs/rules/README.md'), 'utf8');
  for (const rule of allRules()) {
    const page = ruleDocsPath(rule.id).replace('docs/rules/', '');
    assert.match(index, new RegExp(`\\[\`?${rule.id.replace('/', '\\/')}\`?\\]\\(${page.replace('.', '\\.')}\\).*\\b${rule.severity}\\b`), rule.id);
  }
});
