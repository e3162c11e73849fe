/**
 * The NCCL log rule pages are executable: each page's ```nccl-log example, parsed and diagnosed
 * like `rvn topology` does, must produce a finding of the page's rule.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NCCL_LOG_RULES, ncclLogFindings, parseNcclLog } from '../../server/src/ncclLog/index';
import { repoRoot } from '../helpers';
import { testLogRulePages } from '../logRulePages';

testLogRulePages(NCCL_LOG_RULES, 'nccl-log', (text) => ncclLogFindings(parseNcclLog(text)), { noSuppress: true });

test('the rule index has an NCCL logs table listing every log rule with its severity', () => {
  const index = readFileSync(join(repoRoot, 'docs/rules/README.md'), 'utf8');
  const logs = index.slice(index.indexOf('## NCCL logs'));
  assert.ok(index.includes('## NCCL logs'));
  for (const rule of NCCL_LOG_RULES) {
    const page = `${rule.id.replace('/', '-')}.md`;
    assert.match(logs, new RegExp(`\\[\`${rule.id.replace('/', '\\/')}\`\\]\\(${page.replace('.', '\\.')}\\) \\| ${rule.severity} \\|`), rule.id);
  }
});
