/**
 * The nccl-tests rule pages are executable: each page's ```nccl-tests example, parsed and
 * diagnosed, must produce a finding of the page's rule with the page's severity.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NCCL_TESTS_RULES, ncclTestsFindings, parseNcclTests } from '../../server/src/ncclTests/index';
import { testLogRulePages } from '../logRulePages';

testLogRulePages(NCCL_TESTS_RULES, 'nccl-tests', (text) => ncclTestsFindings(parseNcclTests(text)), { sameSeverity: true });

test('rule ids are unique and namespaced', () => {
  const ids = NCCL_TESTS_RULES.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(ids.every((id) => /^nccl-tests\/[a-z-]+$/.test(id)));
});
