/** YAML manifests: embedded command lines and env lists get the shell checks at exact YAML ranges. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkFlags, checkYaml, covered, repoRoot } from '../helpers';
import { analyzeText } from '../../server/src/engine';
import { maskHelm } from '../../server/src/yaml/document';

const fixture = (name: string) => readFileSync(join(repoRoot, 'test/fixtures/yaml', name), 'utf8');

test('real-world shaped manifests give no finding: LWS (Ray and native), Helm chart, KServe, anchors, ---', () => {
  for (const name of ['lws-ray.yaml', 'lws-native.yaml', 'helm-deployment.yaml', 'kserve.yaml']) {
    assert.deepEqual(checkYaml(fixture(name)).map((f) => `${name} ${f.rule}: ${f.message}`), []);
  }
});

test('mistakes in args lists, flow lists, block scripts and env are found at the exact range', () => {
  const text = fixture('mistakes.yaml');
  assert.deepEqual(
    checkFlags(text, {}, 'yaml').map((f) => [f.rule, covered(text, f), f.range.start.line + 1]),
    [
      ['vllm/unknown-flag', '--tensor-paralel-size', 13],
      ['vllm/invalid-value', 'bfloat', 15],
      ['yaml/env-value-not-string', '1', 18],
      ['nccl/unknown-variable', 'NCCL_SOCKET_IFNAM', 19],
      ['nccl/invalid-value', 'VERBOSE', 26],
      ['vllm/unexpected-argument', 'true', 28],
    ],
  );
});

test('quick fixes edit inside the YAML: quoting a value, renaming inside quotes', () => {
  const text = 'kind: Pod\nspec:\n  containers:\n    - image: vllm/vllm-openai:v0.18.0\n      args: ["/m", "--tensor-paralel-size", "2"]\n      env:\n        - {name: NCCL_IB_DISABLE, value: true}\n';
  const findings = checkYaml(text);
  const quote = findings.find((f) => f.rule === 'yaml/env-value-not-string')!;
  assert.equal(quote.fixes![0].edits[0].newText, '"true"');
  assert.equal(covered(text, quote), 'true');
  const rename = findings.find((f) => f.rule === 'vllm/unknown-flag')!;
  assert.equal(covered(text, rename), '--tensor-paralel-size');
  assert.equal(rename.fixes![0].edits[0].newText, '--tensor-parallel-size');
});

test('the image tag sets the vLLM version for the container', () => {
  const text = 'kind: Pod\nspec:\n  containers:\n    - image: vllm/vllm-openai:v0.9.0\n      command: [vllm, serve]\n      args: [/m, --numa-bind]\n';
  assert.deepEqual(checkFlags(text, {}, 'yaml').map((f) => f.rule), ['vllm/flag-not-in-version']);
});

test('Helm actions keep offsets and never become findings', () => {
  const src = 'image: {{ .Values.image }}\n{{- if .Values.x }}\nfoo: "{{ .Values.y }}"\n';
  const { masked } = maskHelm(src);
  assert.equal(masked.length, src.length);
  assert.equal(masked.split('\n').length, src.split('\n').length);
  assert.doesNotMatch(masked, /\{\{/);
});

test('syntax errors: one finding per document; not YAML at all is a clear finding; rules can be turned off', () => {
  const broken = 'a: b: c\n---\n- x\ny: z\n';
  const found = checkYaml(broken);
  assert.deepEqual(found.map((f) => f.rule), ['yaml/syntax-error', 'yaml/syntax-error']);
  const notYaml = readFileSync(join(repoRoot, 'examples/common-mistakes.sh'), 'utf8');
  assert.ok(checkYaml(notYaml).length <= 2);
  assert.deepEqual(checkYaml(broken, { yamlSyntaxErrors: false }), []);
});

test('an alias bomb, a 20,000-line manifest and binary junk stay bounded', () => {
  const bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
  let t = Date.now();
  checkYaml(bomb.join('\n'));
  assert.ok(Date.now() - t < 500, 'alias bomb');

  const doc = fixture('lws-native.yaml');
  const big = Array(Math.ceil(20_000 / doc.split('\n').length)).fill(doc).join('\n---\n');
  t = Date.now();
  const result = analyzeText(big, 'yaml');
  assert.equal(result.findings.length, 0);
  assert.ok(Date.now() - t < 2000, `20,000 lines took ${Date.now() - t} ms`);

  assert.doesNotThrow(() => checkYaml('\u0000\u0001\u0002: [\u0003'));
});

test('completion and hover inside YAML: args items, sh -c scripts, env names and values', async () => {
  const { completeYaml } = await import('../../server/src/features/yamlCompletion');
  const { hoverShell } = await import('../../server/src/features/hover');
  const at = (source: string) => {
    const offset = source.indexOf('‸');
    const text = source.slice(0, offset) + source.slice(offset + 1);
    const result = analyzeText(text, 'yaml');
    return { model: result.yaml!, offset };
  };
  const labels = (source: string) => {
    const { model, offset } = at(source);
    return completeYaml(model, offset).map((i) => i.label);
  };
  const head = 'kind: Pod\nspec:\n  containers:\n    - image: vllm/vllm-openai:v0.18.0\n';
  assert.ok(labels(`${head}      args: ["/m", "--tensor-par‸"]\n`).includes('--tensor-parallel-size'));
  assert.ok(labels(`${head}      args:\n        - /m\n        - --dtype\n        - b‸\n`).includes('bfloat16'));
  assert.ok(labels(`${head}      command: [sh, -c]\n      args:\n        - |\n          vllm serve /m --max-mo‸\n`).includes('--max-model-len'));
  assert.ok(labels(`${head}      env:\n        - name: NCCL_SOCK‸\n`).includes('NCCL_SOCKET_IFNAME'));
  assert.deepEqual(labels(`${head}      env:\n        - name: NCCL_DEBUG\n          value: ‸\n`), ['VERSION', 'WARN', 'INFO', 'ABORT', 'TRACE']);
  const { model, offset } = at(`${head}      args: ["/m", "--tensor-par‸allel-size", "2"]\n      env:\n        - {name: NCCL_DEBUG, value: INFO}\n`);
  assert.match((hoverShell(model, offset)!.contents as { value: string }).value, /\*\*--tensor-parallel-size\*\*/);
  const env = at(`${head}      env:\n        - {name: NCCL_DE‸BUG, value: INFO}\n`);
  assert.match((hoverShell(env.model, env.offset)!.contents as { value: string }).value, /\*\*NCCL_DEBUG\*\*/);
});
