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
  // Exported and never expanded by the script: maybe a setting NCCL will not read, a note.
  assert.deepEqual(check('export NCCL_SOCKET_INTERFACE=eth0\nvllm serve /m\n').map((f) => [f.rule, f.severity]), [['nccl/unknown-variable', 'info']]);
  // Handed to a container it is still reported: there it can only be meant for NCCL.
  const given = 'docker run -e NCCL_IMAGE=x vllm/vllm-openai:v0.18.0 /m\n';
  assert.deepEqual(check(given).map((f) => f.rule), ['nccl/unknown-variable']);
});

test('NCCL_ALGO / NCCL_PROTO per-collective groups are read as NCCL parseList reads them', () => {
  const good = 'export NCCL_ALGO="ring,collnetdirect;allreduce:^tree;Broadcast:ring" NCCL_PROTO="^LL128;allreduce:LL128" NCCL_PROTO=simple';
  assert.deepEqual(brief(check(good)), []);
  const bad = 'export NCCL_ALGO="allreduce:trea;allgathr:ring" NCCL_PROTO="LL;Simple"';
  const found = check(bad);
  assert.deepEqual(
    found.map((f) => [f.rule, covered(bad, f)]),
    [
      ['nccl/invalid-value', 'trea'],
      ['nccl/invalid-value', 'allgathr'],
      ['nccl/invalid-value', 'Simple'],
    ],
  );
  assert.match(found[0].message, /communicator set-up fails/);
  assert.equal(found[1].fixes![0].edits[0].newText, 'AllGather');
  assert.match(found[2].message, /Only the first/);
  // NCCL_DEBUG_SUBSYS has no collective groups: a colon is part of an unknown token.
  assert.deepEqual(brief(check('export NCCL_DEBUG_SUBSYS=INIT,NET')), []);
});

test('NCCL_ names a net/tuner plugin, nccl-tests or PyTorch reads are notes naming the reader, not typos', () => {
  const text = [
    'export NCCL_FASTRAK_CTRL_DEV=eth0 NCCL_GPUDIRECTTCPX_SOCKET_IFNAME=eth1,eth2 NCCL_DYNAMIC_CHUNK_SIZE=524288',
    'docker run -e NCCL_TUNER_CONFIG_PATH=/x/tuner.txtpb -e NCCL_TESTS_SPLIT_MASK=0x7 -e NCCL_SHARP_DISABLE=1 img',
    'NCCL_LIB_DIR=/usr/local/nvidia/lib64 source /usr/local/nvidia/lib64/nccl-env-profile.sh',
    'export NCCL_ASYNC_ERROR_HANDLING=1',
  ].join('\n');
  const found = check(text);
  assert.deepEqual(
    found.map((f) => [f.rule, f.severity, covered(text, f)]),
    [
      ['nccl/unknown-variable', 'info', 'NCCL_FASTRAK_CTRL_DEV'],
      ['nccl/unknown-variable', 'info', 'NCCL_GPUDIRECTTCPX_SOCKET_IFNAME'],
      ['nccl/unknown-variable', 'info', 'NCCL_DYNAMIC_CHUNK_SIZE'],
      ['nccl/unknown-variable', 'info', 'NCCL_TUNER_CONFIG_PATH'],
      ['nccl/unknown-variable', 'info', 'NCCL_TESTS_SPLIT_MASK'],
      ['nccl/unknown-variable', 'info', 'NCCL_SHARP_DISABLE'],
      ['nccl/unknown-variable', 'info', 'NCCL_LIB_DIR'],
      ['nccl/unknown-variable', 'info', 'NCCL_ASYNC_ERROR_HANDLING'],
    ],
  );
  assert.ok(found.slice(0, 7).every((f) => /^Core NCCL reads no variable named/.test(f.message) && !f.fixes));
  assert.match(found[3].message, /tuner plugin/);
  assert.equal(found[7].fixes![0].edits[0].newText, 'TORCH_NCCL_ASYNC_ERROR_HANDLING');
  // A plugin namespace is a prefix, not a licence for anything: the bare prefix is still unknown.
  assert.deepEqual(brief(check('docker run -e NCCL_FASTRAK_=1 img')), ['1:15 nccl/unknown-variable']);
});

test('a short unknown NCCL_ name is not matched to an unrelated one through the shared NCCL_ prefix', () => {
  // MLPerf configs export NCCL_TEST / NCCL_CFG_PATH for their own launch scripts.
  assert.deepEqual(check('export NCCL_TEST=0 NCCL_CFG_PATH=/workspace/nccl.yaml').map((f) => [f.rule, f.severity]), [['nccl/unknown-variable', 'info'], ['nccl/unknown-variable', 'info']]);
  const found = check('docker run -e NCCL_SOCKET_IFNAM=eth0 -e NCCL_TEST=0 img');
  assert.deepEqual(found.map((f) => f.fixes?.[0]?.edits[0].newText), ['NCCL_SOCKET_IFNAME', undefined]);
});

test('NCCL list values: a debug level in NCCL_DEBUG_SUBSYS is named as such; messages suggest or stay short', () => {
  const messages = check('export NCCL_DEBUG=INFO\nexport NCCL_DEBUG_SUBSYS=INIT,VERSION,XYZ\nexport NCCL_ALGO=rung\n').filter((f) => f.rule === 'nccl/invalid-value').map((f) => f.message);
  assert.match(messages[0], /^`VERSION` is a level of NCCL_DEBUG, not a subsystem/);
  assert.match(messages[1], /\(INIT, COLL, P2P, SHM, NET, GRAPH, TUNING, ENV, … \d+ more\)/);
  assert.match(messages[2], /did you mean Ring\?/);
});
