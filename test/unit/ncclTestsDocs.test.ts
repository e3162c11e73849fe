/**
 * The nccl-tests rule pages are executable: each page's ```nccl-tests example, parsed and
 * diagnosed, must produce a finding of the page's rule with the page's severity.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { NCCL_TESTS_RULES, ncclTestsFindings, parseNcclTests } from '../../server/src/ncclTests/index';
import { repoRoot } from '../helpers';

const pageOf = (id: string) => join(repoRoot, 'docs/rules', `${id.replace(/\//g, '-')}.md`);

function section(md: string, heading: string): string | undefined {
  const lines = md.split('\n');
  const start = lines.findIndex((l) => l.trim() === `## ${heading}`);
  if (start < 0) return undefined;
  const end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

for (const rule of NCCL_TESTS_RULES) {
  test(`docs for ${rule.id}: layout and an example that triggers it`, () => {
    const path = pageOf(rule.id);
    assert.ok(existsSync(path), `${path} exists`);
    const md = readFileSync(path, 'utf8');
    assert.equal(md.split('\n')[0], `# ${rule.id}`);
    assert.match(md, new RegExp(`^\\*\\*Default severity:\\*\\* ${rule.severity}\\b`, 'm'));
    for (const heading of ['What it finds', 'Example', 'What to do']) assert.ok(section(md, heading)?.trim(), `has a "${heading}" section`);
    assert.ok(md.includes(`--rule ${rule.id}=`), 'notes how to change the severity with --rule');
    const example = /^```nccl-tests\n([\s\S]*?)^```/m.exec(section(md, 'Example') ?? '')?.[1];
    assert.ok(example, 'the Example section has a ```nccl-tests block');
    const findings = ncclTestsFindings(parseNcclTests(example));
    const mine = findings.filter((f) => f.rule === rule.id);
    assert.ok(mine.length > 0, `the example yields ${rule.id}; got ${findings.map((f) => f.rule).join(', ') || 'nothing'}`);
    assert.equal(mine[0].severity, rule.severity);
  });
}

test('rule ids are unique and namespaced', () => {
  const ids = NCCL_TESTS_RULES.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(ids.every((id) => /^nccl-tests\/[a-z-]+$/.test(id)));
});
