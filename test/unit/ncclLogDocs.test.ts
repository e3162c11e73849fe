/**
 * The NCCL log rule pages are executable: each page's ```nccl-log example, parsed and diagnosed
 * like `rvn topology` does, must produce a finding of the page's rule.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NCCL_LOG_RULES, ncclLogFindings, parseNcclLog } from '../../server/src/ncclLog/index';
import { repoRoot } from '../helpers';

const pageOf = (id: string) => join(repoRoot, 'docs/rules', `${id.replace(/\//g, '-')}.md`);

function section(md: string, heading: string): string | undefined {
  const lines = md.split('\n');
  const start = lines.findIndex((l) => l.trim() === `## ${heading}`);
  if (start < 0) return undefined;
  const end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

for (const rule of NCCL_LOG_RULES) {
  test(`docs for ${rule.id}: layout and an example that triggers it`, () => {
    const path = pageOf(rule.id);
    assert.ok(existsSync(path), `${path} exists`);
    const md = readFileSync(path, 'utf8');
    assert.equal(md.split('\n')[0], `# ${rule.id}`);
    assert.match(md, new RegExp(`^\\*\\*Default severity:\\*\\* ${rule.severity}\\b`, 'm'));
    for (const heading of ['What it finds', 'Example', 'What to do']) assert.ok(section(md, heading)?.trim(), `has a "${heading}" section`);
    assert.equal(section(md, 'Suppress'), undefined, 'log rules have no suppression comments');
    assert.ok(md.includes(`--rule ${rule.id}=`), 'notes how to change the severity with --rule');
    const example = /^```nccl-log\n([\s\S]*?)^```/m.exec(section(md, 'Example') ?? '')?.[1];
    assert.ok(example, 'the Example section has a ```nccl-log block');
    const findings = ncclLogFindings(parseNcclLog(example));
    assert.ok(findings.some((f) => f.rule === rule.id), `the example yields ${rule.id}; got ${findings.map((f) => f.rule).join(', ') || 'nothing'}`);
  });
}

test('the rule index has an NCCL logs table listing every log rule with its severity', () => {
  const index = readFileSync(join(repoRoot, 'docs/rules/README.md'), 'utf8');
  const logs = index.slice(index.indexOf('## NCCL logs'));
  assert.ok(index.includes('## NCCL logs'));
  for (const rule of NCCL_LOG_RULES) {
    const page = `${rule.id.replace('/', '-')}.md`;
    assert.match(logs, new RegExp(`\\[\`${rule.id.replace('/', '\\/')}\`\\]\\(${page.replace('.', '\\.')}\\) \\| ${rule.severity} \\|`), rule.id);
  }
});
