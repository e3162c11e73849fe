/**
 * The commands of the source document (../shared/seed), exactly as written, are checked: only the
 * problem the document itself points out (the `--model` deprecation with vLLM 0.18) is reported.
 * Fragments (flag lists shown on their own) are checked inside the command they belong to.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, covered, hasShared, sharedDir } from '../helpers';

const skip = hasShared ? false : '../shared/seed is not beside the repo';

/** Shell commands of the seed: a line that starts a known command, plus its `\` continuations. */
function seedCommands(): string[] {
  const dir = join(sharedDir, 'seed');
  const text = readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
  const lines = text.split('\n');
  const starts = /^(?:runai |kubectl |skopeo |podman |huggingface-cli |chown |-- vllm serve |--environment-variable |--run-as-uid \d|--max-model-len \d)/;
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!starts.test(lines[i])) continue;
    const block = [lines[i]];
    while (/\\\s*$/.test(block[block.length - 1]) && i + 1 < lines.length) block.push(lines[++i]);
    out.push(block.join('\n').replace(/\s*\\\s*$/, ''));
  }
  return out;
}

/** Fragments become the command they are part of. */
function asScript(block: string): string {
  if (block.startsWith('-- vllm serve')) return `runai inference distributed submit w -i registry.example.com/ai-platform/vllm-openai:v0.18.0 ${block}`;
  if (block.startsWith('--environment-variable') || block.startsWith('--run-as-')) return `runai inference distributed submit w ${block}`;
  if (block.startsWith('--max-model-len')) return `vllm serve /data/model ${block}`;
  return block;
}

test('the seed document has the commands this test expects to find', { skip }, () => {
  const blocks = seedCommands();
  assert.equal(blocks.filter((b) => b.startsWith('runai inference distributed submit')).length, 2);
  assert.ok(blocks.some((b) => b.startsWith('-- vllm serve')));
  assert.ok(blocks.length >= 12, `${blocks.length} blocks`);
});

test('the seed commands report only the --model deprecation', { skip }, () => {
  const reported: string[] = [];
  for (const block of seedCommands()) {
    const script = asScript(block);
    for (const f of check(script)) reported.push(`${f.rule} ${covered(script, f)} :: ${block.split('\n')[0]}`);
  }
  assert.deepEqual(reported, [
    'vllm/deprecated-flag --model :: runai inference distributed submit my-model-dist \\',
    'vllm/deprecated-flag --model :: runai inference distributed submit my-large-model \\',
  ]);
});

test('the bundled examples match: the recipe scripts are clean except for the seed’s own --model', () => {
  const examples = join(__dirname, '..', '..', 'examples');
  const single = readFileSync(join(examples, 'single-node-tp.sh'), 'utf8');
  assert.deepEqual(check(single).map((f) => f.rule), ['vllm/deprecated-flag']);
  assert.deepEqual(check(readFileSync(join(examples, 'multi-node-tp-pp.sh'), 'utf8')), []);
  const mistakes = check(readFileSync(join(examples, 'common-mistakes.sh'), 'utf8'));
  assert.ok(mistakes.filter((f) => f.severity === 'error').length >= 10);
});
