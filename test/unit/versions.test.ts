import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseVersion, releaseDate, versionFromImage, presenceOfRemoval, presenceOfAddition } from '../../server/src/knowledge/vllmVersions';
import { vllmData } from '../../server/src/knowledge/vllm';
import { check } from '../helpers';

const date = (v: string) => releaseDate(parseVersion(v)!, vllmData().versions)!.date;

test('version strings and image tags', () => {
  assert.equal(parseVersion('v0.18.0-cu128')!.text, '0.18.0');
  assert.equal(parseVersion('nightly'), undefined);
  assert.equal(versionFromImage('registry.example.com/ai-platform/vllm-openai:v0.18.0')!.text, '0.18.0');
  assert.equal(versionFromImage('vllm/vllm-openai:latest'), undefined);
  assert.equal(versionFromImage('localhost:5000/vllm-openai'), undefined);
  assert.equal(versionFromImage('busybox:1.36'), undefined);
});

test('release dates are ordered: patches around an anchor, minors between anchors', () => {
  const order = ['0.8.0', '0.11.0', '0.12.0', '0.16.0', '0.18.0', '0.19.0', '0.20.0', '0.20.2', '0.25.0', '0.25.1', '0.28.0'];
  for (let i = 1; i < order.length; i++) assert.ok(date(order[i - 1]) < date(order[i]), `${order[i - 1]} < ${order[i]}`);
});

test('presence is only certain outside the uncertainty window', () => {
  const release = releaseDate(parseVersion('0.18.0')!, vllmData().versions)!;
  assert.equal(presenceOfRemoval('2025-01-01', '2025-02-01', release), 'absent');
  assert.equal(presenceOfRemoval('2026-03-01', '2026-03-02', release), 'unknown');
  assert.equal(presenceOfRemoval('2026-08-01', '2026-09-01', release), 'present');
  assert.equal(presenceOfAddition('2026-07-01', '2026-08-01', release), 'absent');
  assert.equal(presenceOfAddition('2024-07-01', '2024-08-01', release), 'present');
});

test('`--model=X` with vllm serve: refused before ~2025-04, only warned between then and 2025-10 (the refusal matched `--model` alone)', () => {
  const severities = (version: string, model: string) => check(`# rvn: vllm-version=${version}\nvllm serve ${model} --dtype auto\n`).filter((f) => f.rule === 'vllm/deprecated-flag').map((f) => f.severity);
  assert.deepEqual(severities('0.9.2', '--model /m'), ['error']);
  assert.deepEqual(severities('0.9.2', '--model=/m'), ['warning']);
  assert.deepEqual(severities('0.6.6', '--model=/m'), ['error']);
  assert.deepEqual(severities('0.18.0', '--model=/m'), ['warning']);
});
