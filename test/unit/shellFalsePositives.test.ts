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
