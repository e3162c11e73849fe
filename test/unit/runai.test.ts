import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brief, checkFlags as check, covered } from '../helpers';

test('unknown flag with did-you-mean and exact range', () => {
  const text = 'runai inference distributed submit m -p p --worker 2';
  const [f] = check(text);
  assert.equal(f.rule, 'runai/unknown-flag');
  assert.equal(covered(text, f), '--worker');
  assert.equal(f.fixes![0].edits[0].newText, '--workers');
});

test('shorthand forms: -g 2, -g2, -p=team, --flag=value', () => {
  assert.deepEqual(brief(check('runai inference distributed submit m -g2 -p=team --workers=2 -i vllm/vllm-openai:v0.18.0')), []);
});

test('key=value lists: unknown key, bad enum, missing required key, bare port', () => {
  const text = 'runai inference distributed submit m --existing-pvc claimname=c,mountpath=/data --serving-port container=8000,authorization-type=x --serving-port 8000';
  const found = check(text);
  assert.deepEqual(
    found.map((f) => [f.rule, covered(text, f)]),
    [
      ['runai/malformed-value', 'claimname=c,mountpath=/data'],
      ['runai/malformed-value', 'mountpath'],
      ['runai/malformed-value', 'x'],
      ['duplicate-flag', '--serving-port'],
    ],
  );
});

test('typed values: enum, positive numbers, durations, GPU portions', () => {
  const text = 'runai inference distributed submit m --preemptibility preemtible --workers 0 --termination-grace-period 30 --gpu-portion-request 1.5';
  assert.deepEqual(
    check(text).map((f) => [f.rule, covered(text, f)]),
    [
      ['runai/invalid-value', 'preemtible'],
      ['runai/invalid-value', '0'],
      ['runai/invalid-value', '30'],
      ['runai/invalid-value', '1.5'],
    ],
  );
});

test('unknown subcommand is reported with a suggestion; undocumented commands are left alone', () => {
  const text = 'runai inference distributd submit m';
  const [f] = check(text);
  assert.equal(f.rule, 'runai/unknown-command');
  assert.equal(f.fixes![0].edits[0].newText, 'distributed');
  assert.deepEqual(brief(check('runai login --sso && runai config project p --whatever')), []);
});

test('subcommands of a group the reference does not list in full are not reported (training mpi, workspace delete)', () => {
  const text = [
    'runai training mpi submit bench -p team -i registry.example.com/pt:1.0 -g 4 --workers 2 -- bash -c "sleep 1d"',
    'runai training standard describe bench',
    'runai training exec bench -p team -it -- bash',
    'runai workspace delete ws1 -p team',
  ].join('\n');
  assert.deepEqual(brief(check(text)), []);
  // A group whose subcommands are all known still catches a misspelling.
  assert.deepEqual(check('runai inference standard submt m').map((f) => f.rule), ['runai/unknown-command']);
});

test('environment variables passed with -e are checked as NCCL/vLLM variables', () => {
  const text = 'runai inference distributed submit m -e NCCL_IB_DISABLE=yes --worker-environment NCCL_DEBG=INFO --environment-variable=VLLM_LOGGING_LEVEL=DEBUG';
  assert.deepEqual(
    check(text).map((f) => [f.rule, covered(text, f)]),
    [
      ['nccl/invalid-value', 'yes'],
      ['nccl/unknown-variable', 'NCCL_DEBG'],
    ],
  );
});

test('--environment NAME=VALUE is flagged as an asset/variable mix-up with a fix', () => {
  const [f] = check('runai inference distributed submit m --environment NCCL_DEBUG=INFO');
  assert.equal(f.rule, 'runai/environment-asset');
  assert.equal(f.fixes![0].edits[0].newText, '--environment-variable');
});

test('arguments after -- go to vLLM when the image is a vLLM image', () => {
  const text = 'runai inference distributed submit m -i my-registry/vllm-openai:v0.18.0 -- /m --tensor-parallel-size two';
  assert.deepEqual(check(text).map((f) => [f.rule, covered(text, f)]), [['vllm/invalid-value', 'two']]);
  // A non-vLLM image: its arguments are not ours to judge.
  assert.deepEqual(brief(check('runai inference distributed submit m -i busybox -- --whatever 1')), []);
});

test('--command and --arguments strings are analysed inside the quotes', () => {
  const text = `runai inference distributed submit m -i vllm/vllm-openai:v0.18.0 --command "sh -c 'vllm serve /m --tensr-parallel-size 2'"`;
  const [f] = check(text);
  assert.equal(f.rule, 'vllm/unknown-flag');
  assert.equal(covered(text, f), '--tensr-parallel-size');
  const args = `runai inference distributed submit m -i vllm/vllm-openai:v0.18.0 --arguments "/m --max-model-len lots"`;
  assert.equal(covered(args, check(args)[0]), 'lots');
});
