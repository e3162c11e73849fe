/**
 * Shapes of real-world shell scripts that rvn once misread (a false error or a wrong warning on
 * a valid script). Each input is written for this test, in the shape of the script that showed it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brief, check, checkFlags, covered } from '../helpers';

test('docker run of a locally built vLLM image with `bash -c`: a command, not a model and flags', () => {
  assert.deepEqual(brief(checkFlags('docker run --gpus all --rm -v /src:/app my-vllm:0.1.6 bash -c "cd /app && ./serve.sh /models/m"')), []);
  assert.deepEqual(brief(checkFlags('docker run --rm ghcr.io/acme/vllm-build:2024.05 python3 -m my_pkg.server --port 9000')), []);
  // The script inside is still checked, against that image.
  const text = 'docker run --gpus all my-vllm:0.9.2 bash -c "export NCCL_IB_DISABLE=yes; vllm serve /m --max-model-len 4096"';
  assert.deepEqual(checkFlags(text).map((f) => [f.rule, covered(text, f)]), [['nccl/invalid-value', 'yes']]);
  // vLLM's own server image runs the server whatever comes first: `bash` really is read as the model there.
  assert.ok(checkFlags('docker run vllm/vllm-openai:v0.18.0 bash -c "sleep 1"').some((f) => f.rule === 'vllm/unknown-flag'));
  assert.ok(checkFlags('docker run registry.example.com/mirror/vllm-openai:v0.18.0 bash -c "sleep 1"').some((f) => f.rule === 'vllm/unknown-flag'));
  // Flags straight after any vLLM-named image are still the server's.
  assert.deepEqual(brief(checkFlags('docker run my-vllm:0.18.0 /m --max-model-len 4096 --bogus-flag')), ['1:51 vllm/unknown-flag']);
});

test('vllm/unknown-flag names the program that rejects the option', () => {
  const [f] = checkFlags('python -m vllm.entrypoints.openai.api_server --model m --bogus-flag 1');
  assert.equal(f.rule, 'vllm/unknown-flag');
  assert.match(f.message, /^The api_server module has no option --bogus-flag/);
  assert.match(checkFlags('vllm serve m --bogus-flag')[0].message, /^vllm serve has no option --bogus-flag/);
});

test('deploy/image-not-pinned only for containers that run vLLM', () => {
  const pinned = (text: string, kind: 'shell' | 'yaml' = 'shell') => check(text, {}, kind).filter((f) => f.rule === 'deploy/image-not-pinned').map((f) => covered(text, f));
  assert.deepEqual(pinned('docker run -it --rm -v .:/work my_local_build /bin/bash'), []);
  assert.deepEqual(pinned('docker run --rm busybox:latest echo ok'), []);
  assert.deepEqual(pinned('kind: Pod\nspec:\n  containers:\n    - name: side\n      image: busybox:latest\n      command: [sleep, "1"]\n', 'yaml'), []);
  // An image of any name that runs vLLM, or one named after vLLM, is still checked.
  assert.deepEqual(pinned('docker run --gpus all acme/llm-server:latest vllm serve /m --max-model-len 4096'), ['acme/llm-server:latest']);
  assert.deepEqual(pinned('docker run --gpus all acme/vllm-runtime /m --max-model-len 4096'), ['acme/vllm-runtime']);
});

test('NCCL integers are read the way strtoll reads them: a leading number counts, no number is 0', () => {
  const found = (text: string) => checkFlags(text).map((f) => [f.severity, covered(text, f), f.message]);
  // One GID index per HCA, as some scripts write it: NCCL uses the leading 3, which is what was meant.
  const gid = found('export NCCL_IB_HCA=mlx5_0,mlx5_1 NCCL_IB_GID_INDEX=3,3');
  assert.equal(gid.length, 1);
  assert.equal(gid[0][0], 'warning');
  assert.match(gid[0][2] as string, /reads only the leading 3 of `3,3`/);
  // A unit on a byte count is not ignored: `4M` is 4 bytes.
  const [size] = found('export NCCL_BUFFSIZE=4M');
  assert.deepEqual(size.slice(0, 2), ['error', '4M']);
  assert.match(size[2] as string, /uses 4 bytes/);
  // `true` reads as 0 (off); `false` happens to work.
  const [on] = found('export NCCL_P2P_DISABLE=true');
  assert.deepEqual(on.slice(0, 2), ['error', 'true']);
  assert.match(on[2] as string, /reads 0, which is off/);
  assert.equal(found('export NCCL_P2P_DISABLE=false')[0][0], 'warning');
  // No number at all: 0, not the default.
  assert.match(found('export NCCL_IB_GID_INDEX=auto')[0][2] as string, /uses 0 instead of its default -1/);
  assert.deepEqual(found('export NCCL_IB_GID_INDEX=" 3 " NCCL_IB_TIMEOUT=0x16 NCCL_NET_GDR_LEVEL=2'), []);
});

test('an unknown VLLM_ name without a near match says it may be a removed or a platform plugin variable', () => {
  const [plugin] = checkFlags('export VLLM_GAUDI_WARMUP_SKIP=true');
  assert.equal(plugin.rule, 'env/unknown-vllm-variable');
  assert.match(plugin.message, /platform plugin .* reads it, it works/);
  const [typo] = checkFlags('export VLLM_LOGGING_LEVL=DEBUG');
  assert.doesNotMatch(typo.message, /platform plugin/);
});

test('an exported VLLM_ name in a script that starts another program and no vLLM is a note, not a warning', () => {
  // The variable is for the router the script starts; no vLLM inherits it here.
  const router = [
    'start_router() {',
    '  export VLLM_ROUTER_DEMO_MODE=true',
    '  python3 -m my_router.app --port "$ROUTER_PORT" &',
    '}',
    'start_router',
  ].join('\n');
  const [note] = checkFlags(router);
  assert.equal(note.rule, 'env/unknown-vllm-variable');
  assert.equal(note.severity, 'info');
  assert.match(note.message, /No vLLM server starts in this script/);
  // The same export before a vLLM server stays a warning, as does a near-miss typo anywhere.
  const [served] = checkFlags('export VLLM_ROUTER_DEMO_MODE=true\nvllm serve org/model --port 8000');
  assert.equal(served.severity, 'warning');
  const [typo] = checkFlags('export VLLM_LOGGING_LEVL=DEBUG\npython3 -m my_router.app');
  assert.equal(typo.severity, 'warning');
  assert.match(typo.message, /did you mean VLLM_LOGGING_LEVEL/);
  // vLLM started inside `bash -c` counts too.
  const [nested] = checkFlags("export VLLM_ROUTER_DEMO_MODE=1\nbash -c 'vllm serve org/model'");
  assert.equal(nested.severity, 'warning');
  // So does a vLLM command kept in a string, or any other vllm subcommand.
  const [stored] = checkFlags('export VLLM_ROUTER_DEMO_MODE=1\ncmd="python3 -m vllm.entrypoints.openai.api_server --port 8000"\nbash -c "$cmd"');
  assert.equal(stored.severity, 'warning');
  const [bench] = checkFlags('export VLLM_ROUTER_DEMO_MODE=1\nvllm bench latency --model org/model');
  assert.equal(bench.severity, 'warning');
});

test('runai flags take the next word as their value even when it starts with a dash, as pflag does', () => {
  const text = [
    'runai inference distributed submit bench -p team -i registry.example.com/nccl:1.0 --workers 1 \\',
    '  --gpu-devices-request 4 --serving-port 8080 --command bash \\',
    `  --arguments "-lc 'python3 -m http.server 8080 & sleep infinity'"`,
  ].join('\n');
  assert.deepEqual(brief(checkFlags(text)), []);
  // A value really left out: the next flag is swallowed, and said so.
  const [f] = checkFlags('runai inference distributed submit m -p team -g --workers 2');
  assert.equal(f.rule, 'missing-value');
  assert.match(f.message, /takes the next word, `--workers`, as that value/);
  assert.equal(checkFlags('runai inference distributed submit m -p team -g --workers 2').length, 1);
  assert.deepEqual(checkFlags('runai inference distributed submit m -p team -g').map((x) => x.rule), ['missing-value']);
});

test('vllm/unknown-value reads as a sentence with or without a suggestion', () => {
  const [f] = checkFlags('vllm serve /m --quantization my_plugin_method');
  assert.equal(f.rule, 'vllm/unknown-value');
  assert.match(f.message, /for --quantization\. Known: /);
});
