/** The server's idle-time warm-up: every step runs (its samples analyse without error), then it calls back. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WARM_UP_SAMPLES, warmUp } from '../../server/src/warmUp';
import { analyzeText } from '../../server/src/engine';

test('the warm-up samples are real deployments the analysers accept', () => {
  const script = analyzeText(WARM_UP_SAMPLES.script, 'shell');
  assert.ok(script.shell && script.shell.commands.length >= 3, 'the script sample reaches the command analysers');
  const yaml = analyzeText(WARM_UP_SAMPLES.manifest, 'yaml');
  assert.ok(yaml.yaml && yaml.yaml.parsed.documents.length === 1);
  assert.deepEqual(yaml.findings.filter((f) => f.rule.startsWith('yaml/')).map((f) => f.rule), []);
});

test('warm-up finishes, one step per event-loop turn', async () => {
  let turns = 0;
  const count = () => {
    turns++;
    if (!finished) setImmediate(count);
  };
  let finished = false;
  setImmediate(count);
  await new Promise<void>((resolve) => warmUp(() => resolve((finished = true) && undefined)));
  assert.ok(turns >= 5, `other work got only ${turns} turns during the warm-up`);
});
