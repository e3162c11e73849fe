/**
 * schemas/: the generated vLLM config schema is up to date with the knowledge base, every schema
 * compiles with ajv without the network, and the LeaderWorkerSet schema keeps its attribution.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers';
import { rootSchema, validator, vllmKeyValidator, vllmNegatedKey } from '../../server/src/yaml/schemaStore';
import { vllmData } from '../../server/src/knowledge/vllm';

test('scripts/generateSchemas.mjs --check: schemas/vllm-config.schema.json is up to date', () => {
  const out = execFileSync(process.execPath, [join(repoRoot, 'scripts/generateSchemas.mjs'), '--check'], { encoding: 'utf8' });
  assert.match(out, /up to date/);
});

test('the vLLM config schema: every long flag in both spellings, --no- forms as booleans marked x-rvn-negates, additionalProperties false', () => {
  const schema = rootSchema('vllmConfig').schema as { properties: Record<string, unknown>; additionalProperties: boolean; $schema: string };
  assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
  assert.equal(schema.additionalProperties, false);
  for (const flag of vllmData().flags) {
    if (flag.name === '--help' || flag.name === '--config') continue;
    const key = flag.name.slice(2);
    assert.ok(key in schema.properties, key);
    assert.ok(key.replace(/-/g, '_') in schema.properties, key);
    if (flag.negated) {
      const negated = flag.negated.slice(2);
      assert.ok(negated in schema.properties && negated.replace(/-/g, '_') in schema.properties, flag.negated);
      assert.equal(vllmNegatedKey(negated), key, flag.negated);
    }
  }
  assert.ok('model' in schema.properties);
  assert.ok(!('tp' in schema.properties) && !('help' in schema.properties));
  const check = (key: string, value: unknown) => vllmKeyValidator(key)!.validate(value);
  assert.ok(check('tensor-parallel-size', 2) && check('tensor-parallel-size', '2') && !check('tensor-parallel-size', 2.5));
  assert.ok(check('max-model-len', '32k') && check('max-model-len', 'auto') && !check('max-model-len', 'lots'));
  assert.ok(check('dtype', 'bfloat16') && !check('dtype', 'bf16'));
  assert.ok(check('linear-backend', 'deep_gemm') && check('linear-backend', 'deep-gemm'));
  assert.ok(check('served-model-name', ['a', 'b']) && check('served-model-name', 'a'));
  assert.ok(check('compilation-config', { mode: 3 }) && check('compilation-config', '{"mode": 3}') && !check('compilation-config', 3));
  assert.ok(check('enforce-eager', false) && !check('enforce-eager', 'true'));
  assert.ok(check('compilation-config.mode', 3) && check('no-enforce-eager', true) && !check('no-enforce-eager', 'true'));
  assert.equal(vllmNegatedKey('enforce-eager'), undefined);
});

test('every hand-written schema compiles offline; the LWS schema keeps its Apache-2.0 attribution', () => {
  for (const name of ['cni', 'lws', 'pvc', 'podSecurityContext', 'containerSecurityContext', 'anySecurityContext'] as const) assert.equal(typeof validator(name), 'function', name);
  const lws = JSON.parse(readFileSync(join(repoRoot, 'schemas/leaderworkerset.schema.json'), 'utf8')) as { $comment: string };
  assert.match(lws.$comment, /kubernetes-sigs\/lws.*Apache License 2\.0/);
  assert.match(readFileSync(join(repoRoot, 'schemas/LICENSE-APACHE-2.0.txt'), 'utf8'), /Apache License\s+Version 2\.0, January 2004/);
  assert.match(readFileSync(join(repoRoot, 'schemas/README.md'), 'utf8'), /Copyright The Kubernetes Authors/);
  for (const file of ['cni-config', 'leaderworkerset', 'persistentvolumeclaim', 'pod-security-context', 'vllm-config']) {
    const text = readFileSync(join(repoRoot, `schemas/${file}.schema.json`), 'utf8');
    assert.doesNotMatch(text, /"\$ref":\s*"https?:/, `${file} must not reference the network`);
  }
});
