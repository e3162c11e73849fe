/**
 * The commands of the source document (../shared/seed), exactly as written, are checked: only the
 * problem the document itself points out (the `--model` deprecation with vLLM 0.18) is reported.
 * Fragments (flag lists shown on their own) are checked inside the command they belong to.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, checkYaml, covered, hasShared, sharedDir } from '../helpers';

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
  if (block.startsWith('--max-model-len')) return `vllm serve /data/model --served-model-name m ${block}`;
  return block;
}

test('the seed document has the commands this test expects to find', { skip }, () => {
  const blocks = seedCommands();
  assert.equal(blocks.filter((b) => b.startsWith('runai inference distributed submit')).length, 2);
  assert.ok(blocks.some((b) => b.startsWith('-- vllm serve')));
  assert.ok(blocks.length >= 12, `${blocks.length} blocks`);
});

test('the seed commands, as written, give exactly the findings an expert would give', { skip }, () => {
  const reported: string[] = [];
  for (const block of seedCommands()) {
    const script = asScript(block);
    for (const f of check(script)) reported.push(`${f.rule} ${covered(script, f)} :: ${block.split('\n')[0]}`);
  }
  const single = ':: runai inference distributed submit my-model-dist \\';
  const multi = ':: runai inference distributed submit my-large-model \\';
  assert.deepEqual(reported.sort(), [
    // --workers 2 is three pods (the leader counts), six GPUs for a TP 2 model.
    `deploy/gpus-unused 2 ${single}`,
    // --workers 4 is five pods, 40 GPUs for TP 8 x PP 4 = 32.
    `deploy/gpus-unused 8 ${multi}`,
    `deploy/max-model-len-missing --model ${multi}`,
    `deploy/max-model-len-missing --model ${single}`,
    `deploy/max-model-len-missing vllm :: -- vllm serve /data/input/Models/My-Model-119B \\`,
    `deploy/nccl-debug-enabled INFO ${multi}`,
    `deploy/nccl-debug-enabled INFO ${single}`,
    `deploy/preemptible-endpoint preemptible ${single}`,
    `vllm/deprecated-flag --model ${multi}`,
    `vllm/deprecated-flag --model ${single}`,
  ].sort());
});

test('the corrected versions in examples/ give no finding; the mistakes files give many', () => {
  const examples = join(__dirname, '..', '..', 'examples');
  for (const name of ['single-node-tp.sh', 'multi-node-tp-pp.sh']) assert.deepEqual(check(readFileSync(join(examples, name), 'utf8')), [], name);
  assert.deepEqual(checkYaml(readFileSync(join(examples, 'lws-vllm-multinode.yaml'), 'utf8')), []);
  const mistakes = check(readFileSync(join(examples, 'common-mistakes.sh'), 'utf8'));
  assert.ok(mistakes.filter((f) => f.severity === 'error').length >= 10);
  assert.ok(checkYaml(readFileSync(join(examples, 'common-mistakes.yaml'), 'utf8')).filter((f) => f.severity === 'error').length >= 5);
});
