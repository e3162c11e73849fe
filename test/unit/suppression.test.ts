import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brief, checkFlags as check } from '../helpers';

const bad = 'vllm serve /m --tensor-paralel-size 2 --dtype bfloat';

test('rvn-disable-next-line covers the whole continued command on the next line', () => {
  const text = `# rvn-disable-next-line vllm/unknown-flag\nvllm serve /m \\\n  --tensor-paralel-size 2 \\\n  --dtype bfloat`;
  assert.deepEqual(brief(check(text)), ['4:11 vllm/invalid-value']);
});

test('rvn-disable with no rule list silences everything after it; rvn-enable ends it', () => {
  const text = `${bad}\n# rvn-disable\n${bad}\n# rvn-enable\n${bad}`;
  assert.equal(check(text).length, 4);
});

test('rvn-disable-line on the same line, and per-rule severity settings', () => {
  assert.deepEqual(brief(check(`${bad} # rvn-disable-line vllm/invalid-value`)), ['1:15 vllm/unknown-flag']);
  const found = check(bad, { rules: { 'vllm/unknown-flag': 'off', 'vllm/invalid-value': 'info' } });
  assert.deepEqual(found.map((f) => `${f.rule}:${f.severity}`), ['vllm/invalid-value:info']);
});

test('the rvn: vllm-version comment sets the target version', () => {
  const text = '# rvn: vllm-version=0.9.0\nvllm serve /m --numa-bind';
  assert.deepEqual(brief(check(text)), ['2:15 vllm/flag-not-in-version']);
  // The setting wins over the comment.
  assert.deepEqual(brief(check(text, { vllmVersion: '0.28.0' })), []);
});

test('a second rvn-enable does not reopen a closed block', () => {
  const text = `# rvn-disable\n${bad}\n# rvn-enable\n${bad}\n# rvn-enable\n${bad}`;
  assert.equal(check(text).length, 4);
});
