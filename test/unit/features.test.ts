/** Completion and hover, as pure functions over the analysed script (the LSP test covers the wire). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../server/src/engine';
import { completeShell, resolveCompletion } from '../../server/src/features/completion';
import { hoverShell } from '../../server/src/features/hover';

/** `|` marks the cursor. */
function at(source: string) {
  const offset = source.indexOf('|');
  const text = source.slice(0, offset) + source.slice(offset + 1);
  const shell = analyzeText(text, 'shell').shell!;
  return { shell, offset, text };
}

const labels = (source: string) => {
  const { shell, offset } = at(source);
  return completeShell(shell, offset).map((i) => i.label);
};

test('Run:ai flags after -, with the command path taken into account', () => {
  const items = labels('runai inference distributed submit m --work|');
  assert.ok(items.includes('--workers') && items.includes('--worker-environment'));
  assert.ok(!labels('runai inference distributed scale m --|').includes('--workers'));
});

test('Run:ai subcommands while the path is incomplete', () => {
  assert.deepEqual(labels('runai inference distributed |').sort(), ['bash', 'delete', 'describe', 'exec', 'list', 'logs', 'port-forward', 'scale', 'submit']);
});

test('enum values after a flag and after =', () => {
  assert.deepEqual(labels('runai inference distributed submit m --preemptibility |'), ['preemptible', 'non-preemptible']);
  assert.deepEqual(labels('runai inference distributed submit m --preemptibility=|'), ['preemptible', 'non-preemptible']);
  assert.ok(labels('vllm serve /m --dtype=|').includes('bfloat16'));
  assert.ok(labels('vllm serve /m --kv-cache-dtype |').includes('fp8'));
});

test('compound keys and their values: --serving-port container=8000,authorization-type=|', () => {
  assert.deepEqual(labels('runai inference distributed submit m --serving-port container=8000,authorization-type=|'), ['public', 'authenticatedUsers', 'authorizedUsers', 'authorizedGroups']);
  const keys = labels('runai inference distributed submit m --serving-port container=8000,|');
  assert.ok(keys.includes('authorization-type=') && !keys.includes('container='));
  assert.ok(labels('runai inference distributed submit m --existing-pvc |').includes('claimname='));
});

test('vLLM flags after a Run:ai -- and after vllm serve; completion text replaces only the typed part', () => {
  assert.ok(labels('runai inference distributed submit m -i vllm/vllm-openai:v0.18.0 -- /m --tensor|').includes('--tensor-parallel-size'));
  const { shell, offset } = at('vllm serve /m --max-mo|');
  const item = completeShell(shell, offset).find((i) => i.label === '--max-model-len')!;
  assert.deepEqual((item.textEdit as { range: unknown }).range, { start: { line: 0, character: 14 }, end: { line: 0, character: 22 } });
  const documentation = resolveCompletion(item).documentation as { value: string };
  assert.match(documentation.value, /max-model-len/);
});

test('NCCL names after -e / export, values after =, list values after a comma', () => {
  assert.ok(labels('runai inference distributed submit m -e NCCL_SOC|').includes('NCCL_SOCKET_IFNAME'));
  assert.ok(labels('export NCCL_|').includes('NCCL_IB_HCA'));
  assert.deepEqual(labels('export NCCL_DEBUG=|'), ['VERSION', 'WARN', 'INFO', 'ABORT', 'TRACE']);
  const subsys = labels('export NCCL_DEBUG_SUBSYS=INIT,|');
  assert.ok(subsys.includes('NET') && !subsys.includes('INIT'));
  assert.deepEqual(labels('runai inference distributed submit m --environment-variable NCCL_IB_DISABLE=|'), ['1', '0']);
  assert.ok(labels('docker run -e HF_HUB|').includes('HF_HUB_OFFLINE'));
});

test('hover on flags, variables, command words and values', () => {
  const hover = (source: string) => {
    const { shell, offset } = at(source);
    return hoverShell(shell, offset)?.contents as { value: string } | undefined;
  };
  assert.match(hover('runai inference distributed submit m --wor|kers 2')!.value, /\*\*--workers\*\*/);
  assert.match(hover('runai inference distrib|uted submit m')!.value, /runai inference distributed submit/);
  assert.match(hover('vllm serve /m -t|p 2')!.value, /\*\*--tensor-parallel-size\*\*/);
  assert.match(hover('vllm serve /m --dtype bfl|oat16')!.value, /`bfloat16` — a value of --dtype/);
  assert.match(hover('export NCCL_SOCKET|_IFNAME=net1')!.value, /\*\*NCCL_SOCKET_IFNAME\*\* — NCCL/);
  assert.match(hover('export HF_HUB_OFF|LINE=1')!.value, /Hugging Face/);
  assert.match(hover('vllm serve /m --disable-log-re|quests')!.value, /removed vLLM option/);
  assert.equal(hover('echo hel|lo'), undefined);
});
