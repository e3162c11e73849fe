/** Commands started through a launcher (uv, conda, srun, apptainer …) are checked like direct ones. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check, checkFlags, covered } from '../helpers';

const found = (text: string) => checkFlags(text).map((f) => [f.rule, covered(text, f)]);

test('vllm behind uv run, conda run, srun and apptainer exec is checked, at the right words', () => {
  for (const prefix of [
    'uv run --with vllm==0.18.0',
    'conda run -n serving',
    'micromamba run -n serving',
    'srun -N 2 --ntasks-per-node=1 --gres=gpu:8 -p gpu',
    'srun --container-image nvcr.io/nvidia/pytorch:24.05-py3 --container-mounts /data:/data',
    'apptainer exec --nv --bind /data:/data vllm.sif',
    'singularity exec --nv vllm.sif',
  ]) {
    const text = `${prefix} vllm serve /m --tensor-paralel-size 2\n`;
    assert.deepEqual(found(text), [['vllm/unknown-flag', '--tensor-paralel-size']], prefix);
  }
});

test('launcher options and other subcommands are never read as vLLM flags', () => {
  for (const text of [
    'uv run --python 3.12 vllm serve /m --tensor-parallel-size 2\n',
    'srun -n 1 -c 8 vllm serve /m --port 8000\n',
    'uv pip install vllm==0.18.0\n',
    'conda activate serving\n',
    'apptainer build vllm.sif docker://vllm/vllm-openai:v0.18.0\n',
    'srun hostname\n',
  ]) {
    assert.deepEqual(found(text), [], text);
  }
});

test('environment given to srun via a prefix still reaches the NCCL checks', () => {
  const text = 'NCCL_SOCKET_IFNAM=eth0 srun -N 2 vllm serve /m\n';
  assert.deepEqual(found(text), [['nccl/unknown-variable', 'NCCL_SOCKET_IFNAM']]);
});

test('vLLM arguments kept in bash arrays are checked element by element, never as a whole command', () => {
  const text = [
    'ARGS=(--tensor-paralel-size 2 --gpu-memory-utilization high)',
    'ARGS+=(--port 8000)',
    // Both branches append the same flag: only one runs, so no duplicate may be reported.
    'if [ -n "$PP" ]; then ARGS+=(--pipeline-parallel-size "$PP"); else ARGS+=(--pipeline-parallel-size 1); fi',
    'declare -a EXTRA=(',
    '  --served-model-name m  # a comment inside',
    '  --dtype bfloat',
    ')',
    'vllm serve /models/m "${ARGS[@]}" "${EXTRA[@]}"',
    'vllm serve /models/m "${ARGS[@]}"',
    // An array expanded into docker's own options is not vLLM's.
    'DOCKER_ARGS=(--gpus all --shm-size 10g)',
    'docker run "${DOCKER_ARGS[@]}" vllm/vllm-openai:v0.18.0 /models/m --served-model-name m --max-model-len 8192',
    '',
  ].join('\n');
  assert.deepEqual(found(text), [
    ['vllm/unknown-flag', '--tensor-paralel-size'],
    ['vllm/invalid-value', 'high'],
    ['vllm/invalid-value', 'bfloat'],
  ]);
  // The served name (or anything else) may come from the array: "missing" rules stay quiet.
  assert.deepEqual(allRules('ARGS=(--served-model-name m)\nvllm serve /models/m "${ARGS[@]}"\n'), []);
});

/** Every finding of a script, any rule. */
function allRules(text: string): string[] {
  return check(text).map((f) => f.rule);
}
