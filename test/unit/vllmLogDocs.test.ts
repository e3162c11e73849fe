/**
 * The vLLM log rule pages are executable: each page's ```vllm-log example, parsed and
 * diagnosed, must produce a finding of the page's rule with the page's severity.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VLLM_LOG_RULES, parseVllmLog, vllmLogFindings } from '../../server/src/vllmLog/index';
import { testLogRulePages } from '../logRulePages';

testLogRulePages(VLLM_LOG_RULES, 'vllm-log', (text) => vllmLogFindings(parseVllmLog(text)), { sameSeverity: true });

test('rule ids are unique and namespaced', () => {
  const ids = VLLM_LOG_RULES.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(ids.every((id) => /^vllm-log\/[a-z-]+$/.test(id)));
});
