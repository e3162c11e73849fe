import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brief, checkFlags as check, covered } from '../helpers';

test('NCCL values: bools, ints, enums (case-insensitive), token lists with exact ranges', () => {
  const text = 'export NCCL_IB_DISABLE=true NCCL_BUFFSIZE=4M NCCL_DEBUG=info NCCL_DEBUG_SUBSYS=^INIT,NETT NCCL_P2P_LEVEL=NVL NCCL_NET=IB';
  assert.deepEqual(
    check(text).map((f) => [f.rule, covered(text, f)]),
    [
      ['nccl/invalid-value', 'true'],
      ['nccl/invalid-value', '4M'],
      ['nccl/invalid-value', 'NETT'],
    ],
  );
});

test('renamed and removed NCCL variables', () => {
  const found = check('export NCCL_IB_GDR_LEVEL=PHB NCCL_WORK_FIFO_DEPTH=1024');
  assert.deepEqual(brief(found), ['1:8 nccl/renamed-variable', '1:30 nccl/removed-variable']);
  assert.equal(found[0].fixes![0].edits[0].newText, 'NCCL_NET_GDR_LEVEL');
});

test('plain script variables are not mistaken for process environment', () => {
  assert.deepEqual(brief(check('VLLM_IMAGE=vllm/vllm-openai:v0.18.0\nNCCL_MY_NOTE=1\necho "$VLLM_IMAGE"')), []);
  assert.deepEqual(brief(check('export VLLM_IMAGE=x')), ['1:8 env/unknown-vllm-variable']);
});

test('prefix assignments, env, docker -e and mpirun -x are all checked', () => {
  const text = [
    'NCCL_DEBUG=LOUD vllm serve /m',
    'env NCCL_SOCKET_IFNAM=eth0 python train.py',
    'docker run -e NCCL_IB_HCA=mlx5_0:1 -e NCCL_IBB_DISABLE=1 vllm/vllm-openai:v0.18.0 /m',
    'mpirun -np 8 -x NCCL_DEBUG=INFO -x NCCL_ALGO ./all_reduce_perf -b 8',
  ].join('\n');
  assert.deepEqual(brief(check(text)), ['1:12 nccl/invalid-value', '2:5 nccl/unknown-variable', '3:39 nccl/unknown-variable']);
});

test('Hugging Face and vLLM variables', () => {
  const text = 'export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=true HF_HUB_OFFLINE=maybe VLLM_LOGGING_LEVEL=DEBUG VLLM_USE_V2=1';
  assert.deepEqual(
    check(text).map((f) => [f.rule, covered(text, f)]),
    [
      ['env/invalid-value', 'maybe'],
      ['env/unknown-vllm-variable', 'VLLM_USE_V2'],
    ],
  );
});

test('an exported NCCL_-named script variable with no NCCL name near it is not an NCCL setting', () => {
  const text = 'export NCCL_IMAGE=registry.example.com/nccl-tests:2.28\nrunai training submit t -i "$NCCL_IMAGE"\nexport NCCL_SOCKET_IFNAM=eth0\n';
  assert.deepEqual(check(text).map((f) => [f.rule, covered(text, f)]), [['nccl/unknown-variable', 'NCCL_SOCKET_IFNAM']]);
  // Handed to a container it is still reported: there it can only be meant for NCCL.
  const given = 'docker run -e NCCL_IMAGE=x vllm/vllm-openai:v0.18.0 /m\n';
  assert.deepEqual(check(given).map((f) => f.rule), ['nccl/unknown-variable']);
});
