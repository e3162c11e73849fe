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

test('--nfs path=EXPORT_PATH is a directory, not a port; container=PORT still is', () => {
  assert.deepEqual(brief(check('runai workspace submit w -i img --nfs server=nfs1,path=/export/lab,mountpath=/mnt/nfs,readwrite')), []);
  const text = 'runai workspace submit w -i img --external-url container=http';
  assert.deepEqual(check(text).map((f) => [f.rule, covered(text, f)]), [['runai/malformed-value', 'http']]);
});

test('keys Kubernetes fills in are optional: --new-pvc without storageclass, NodePort --port without external', () => {
  assert.deepEqual(brief(check('runai workspace submit w -i ubuntu --new-pvc claimname=c1,size=10M,path=/tmp/t,ephemeral')), []);
  assert.deepEqual(brief(check('runai workspace submit w -i img --port service-type=NodePort,container=25000')), []);
  // Keys without a default are still required.
  const text = 'runai workspace submit w -i ubuntu --new-pvc claimname=c1,path=/tmp/t';
  assert.deepEqual(check(text).map((f) => f.message.match(/missing `(\w+)=/)?.[1]), ['size']);
});

test('commands known only from 2.19-2.20 pages accept current-generation flags; other unknown flags are warnings', () => {
  // --preemptibility replaced --preemptible in the current CLI; its value is checked with the current definition.
  assert.deepEqual(brief(check('runai training submit t -i img --preemptibility preemptible')), []);
  const bad = 'runai training submit t -i img --preemptibility sometimes';
  assert.deepEqual(check(bad).map((f) => [f.rule, covered(bad, f)]), [['runai/invalid-value', 'sometimes']]);
  const text = 'runai workspace submit w -i img --prefix-name x --completions 2';
  const found = check(text);
  assert.deepEqual(found.map((f) => [f.rule, f.severity, covered(text, f)]), [
    ['runai/unknown-flag', 'warning', '--prefix-name'],
    ['runai/unknown-flag', 'warning', '--completions'],
  ]);
  // Same words in another order are suggested.
  assert.equal(found[0].fixes![0].edits[0].newText, '--name-prefix');
  assert.match(found[1].message, /Newer CLIs may have added it/);
  // A current-generation page stays strict.
  assert.equal(check('runai inference distributed submit m --completions 2')[0].severity, 'error');
});

test('a switch given twice with the same value is not a duplicate; with different values it is', () => {
  assert.deepEqual(brief(check('runai workspace submit w -i img --command --large-shm --command -- sleep 1')), []);
  assert.deepEqual(check('runai workspace submit w -i img --large-shm --large-shm=false').map((f) => f.rule), ['duplicate-flag']);
});

test('-c/--command makes the words after -- the container command, not vLLM arguments', () => {
  // A vLLM-flavoured image that is not vLLM's server image running its own program.
  assert.deepEqual(brief(check(`runai inference submit t -i nvcr.io/nvidia/tritonserver:25.06-vllm-python-py3 -c --serving-port container=9000 -- bash -c "python3 main.py --tokenizer Qwen/Qwen3-4B"`)), []);
  // The command is still analysed: a vllm serve inside it is checked.
  const text = `runai inference submit t -i vllm/vllm-openai:v0.18.0 -c -- bash -c "vllm serve /m --tensr-parallel-size 2"`;
  assert.deepEqual(check(text).map((f) => [f.rule, covered(text, f)]), [['vllm/unknown-flag', '--tensr-parallel-size']]);
  // Without -c, words after -- are still the vLLM image's server arguments.
  const args = 'runai inference submit t -i vllm/vllm-openai:v0.18.0 -- /m --tensor-parallel-size two';
  assert.deepEqual(check(args).map((f) => [f.rule, covered(args, f)]), [['vllm/invalid-value', 'two']]);
});

test('v1 and other commands the reference has no page for are never reported', () => {
  for (const cmd of [
    'runai submit job1 -i img -g 0.5 --pvc claim:/data --interactive --service-type=nodeport --port 30022:22 -- sleep 1',
    'runai submit-dist pytorch --name d --workers=1 -g 8 -i img -e A=1',
    'runai training pytorch submit p -i img --workers 3 --master-gpu-devices-request 4 --clean-pod-policy None',
    'runai training mpi submit p -i img --workers 2 --slots-per-worker 1',
    'runai mpi submit dist1 --workers=2 -g 1 -i img',
    'runai distributed submit d -f TF --workers=5 --no-master -g 1 -i img',
    'runai training standard submit t -i img -g 1 --restart-policy Never',
    'runai project set p',
    'runai config project p',
    'runai login remote-browser',
    'runai port-forward job --port 8888:8888',
    'runai workspace port-forward w --project p --port 8000:8000',
    'runai bash job',
    'runai attach job',
    'runai logs -f job -p p',
    'runai describe job j',
    'runai workload delete -y -p p w',
  ]) {
    assert.deepEqual(brief(check(cmd)), [], cmd);
  }
});
