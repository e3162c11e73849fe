/**
 * Every flag and variable in the reference data, used correctly, gives no finding; each one
 * misspelled gives exactly one finding, on the misspelled word. The scripts are generated from
 * ../shared/reference directly, not from our knowledge base, so the two are checked against each
 * other.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkFlags as check, covered, hasShared, sharedDir } from '../helpers';

const ref = (p: string) => JSON.parse(readFileSync(join(sharedDir, 'reference', p), 'utf8'));
const skip = hasShared ? false : '../shared/reference is not beside the repo';

/** A typo that no parser forgives: double a letter in the middle of the name. */
function misspell(name: string): string {
  const body = name.replace(/^-+/, '');
  const i = Math.max(2, Math.floor(body.length / 2));
  const dashes = name.length - body.length;
  let at = dashes + i;
  while (at < name.length && !/[a-zA-Z]/.test(name[at])) at++;
  return name.slice(0, at) + name[at] + name.slice(at);
}

interface RefVllmFlag {
  name: string;
  aliases: string[];
  type: string;
  action: string;
  nargs: unknown;
  choices: string[] | null;
  known_values: string[] | null;
  default: unknown;
  deprecated: boolean;
  deprecated_values: { values: string[] } | null;
}

function vllmValue(f: RefVllmFlag): string | undefined {
  if (f.action === 'store_true' || f.action === 'BooleanOptionalAction' || f.nargs === 0) return undefined;
  if (f.type === 'bool|str') return undefined;
  const usable = (c: string) => c !== 'None' && !f.deprecated_values?.values.includes(c);
  const pick = f.choices?.map(String).find(usable) ?? f.known_values?.map(String).find(usable);
  if (pick !== undefined) return pick;
  if (f.type.includes('int')) return typeof f.default === 'number' ? String(f.default) : '1';
  if (f.type === 'float') return '0.5';
  if (f.type.startsWith('json')) return `'{}'`;
  return 'value';
}

test('every vllm serve flag used correctly gives no finding; misspelled, one each', { skip }, () => {
  const flags: RefVllmFlag[] = ref('vllm/vllm-serve-flags.json').flags;
  const usable = flags.filter((f) => f.name !== '--help' && f.name !== '--model' && !f.deprecated);
  assert.ok(usable.length > 270, `only ${usable.length} flags`);
  const words = usable.map((f) => [f.name, vllmValue(f)].filter((x) => x !== undefined).join(' '));
  const good = `vllm serve /data/model \\\n  ${words.join(' \\\n  ')}\n`;
  const findings = check(good);
  assert.deepEqual(findings.map((f) => `${f.rule}: ${f.message}`), []);

  const bad = `vllm serve /data/model \\\n  ${usable.map((f) => [misspell(f.name), vllmValue(f)].filter((x) => x !== undefined).join(' ')).join(' \\\n  ')}\n`;
  const badFindings = check(bad);
  assert.equal(badFindings.length, usable.length, badFindings.slice(0, 5).map((f) => f.message).join('\n'));
  for (const [i, f] of badFindings.entries()) assert.equal(covered(bad, f), misspell(usable[i].name));
});

interface RefRunaiFlag {
  name: string;
  short: string | null;
  type: string;
  value_syntax: string | null;
  enum: string[] | null;
}

function runaiValue(f: RefRunaiFlag): string | undefined {
  if (f.type === 'bool') return undefined;
  if (f.enum) return f.enum[0];
  const syntax = f.value_syntax ?? '';
  switch (f.type) {
    case 'int':
    case 'int32':
    case 'positiveInt':
      return '2';
    case 'float':
    case 'float32':
    case 'positiveFloat':
      return '0.5';
    case 'duration':
      return '30s';
    case 'ints':
      return '1000,2000';
  }
  if (/QUANTITY/.test(syntax)) return '1Gi';
  if (/^ENVIRONMENT_ASSET_NAME/.test(syntax)) return 'my-environment-asset';
  if (/^[A-Z_]+=[A-Z_]+,/.test(syntax)) return 'MY_VAR=my-secret,key=token';
  if (/[a-z-]+=/.test(syntax)) {
    // Required keys of a key=value list, with plausible values.
    const body = syntax.split(/\s+\|\s+/).find((s) => /[a-z-]+=/.test(s))!.replace(/\s*\(.*$/, '');
    const items = [...body.replace(/\[[^\]]*\]/g, '').matchAll(/([a-z][a-z0-9-]*)=([^,]+)/g)].map(([, k, v]) => {
      if (v.includes('|')) return `${k}=${v.split('|')[0]}`;
      if (/PORT/.test(v)) return `${k}=8000`;
      if (/PATH/.test(v)) return `${k}=/data`;
      return `${k}=x`;
    });
    if (items.length > 0) return items.join(',');
  }
  if (/NAME=VALUE|KEY=VALUE|=FIELD_PATH/.test(syntax)) return 'MY_KEY=value';
  return 'value';
}

test('every Run:ai flag of every command used correctly gives no finding; misspelled, one each', { skip }, () => {
  const cli = ref('runai/runai-cli.json');
  let total = 0;
  for (const [key, command] of Object.entries<{ usage: string; flags: RefRunaiFlag[] }>(cli.commands)) {
    const path = command.usage.replace(/^runai\s+/, '').split(/\s+/).filter((w: string) => /^[a-z-]+$/.test(w)).join(' ');
    const flags = command.flags.filter((f) => f.name !== '--help');
    const line = (name: (f: RefRunaiFlag) => string) => `runai ${path} my-workload \\\n  ${flags.map((f) => [name(f), runaiValue(f)].filter((x) => x !== undefined).join(' ')).join(' \\\n  ')}\n`;
    const good = line((f) => f.name);
    assert.deepEqual(check(good).map((f) => `${key}: ${f.rule}: ${f.message}`), []);
    const bad = line((f) => misspell(f.name));
    const findings = check(bad).filter((f) => f.rule === 'runai/unknown-flag');
    assert.equal(check(bad).length, flags.length, `${key}: ${check(bad).slice(0, 3).map((f) => f.message).join(' | ')}`);
    assert.equal(findings.length, flags.length, key);
    total += flags.length;
  }
  assert.ok(total > 450, `only ${total} flags`);
  // Global flags, on the distributed submit command.
  const globals = cli.global as RefRunaiFlag[];
  const text = `runai inference distributed submit w ${globals.map((f) => [f.name, runaiValue(f)].filter(Boolean).join(' ')).join(' ')}`;
  assert.deepEqual(check(text).map((f) => f.message), []);
});

interface RefNcclVar {
  name: string;
  type: string;
  choices: string[] | null;
  default: unknown;
  deprecated_or_removed: string | null;
  source: string[];
}

function ncclValue(v: RefNcclVar): string {
  if (v.choices?.length) return String(v.choices[0]).startsWith('<') ? 'IB' : String(v.choices[0]);
  if (v.type === 'bool(0/1)') return '1';
  if (v.type === 'int' || v.type === 'size') return typeof v.default === 'number' ? String(v.default) : '1';
  return 'value';
}

test('every NCCL variable set correctly gives no finding (removed ones: one note each); misspelled, one each', { skip }, () => {
  const vars: RefNcclVar[] = Object.values(ref('nccl/nccl-env.json').vars);
  const gone = (v: RefNcclVar) => !!v.deprecated_or_removed && (/^removed/.test(v.deprecated_or_removed) || v.source.length === 0);
  const current = vars.filter((v) => !gone(v));
  const old = vars.filter(gone);
  assert.ok(current.length > 280, `only ${current.length}`);
  const good = current.map((v) => `export ${v.name}=${ncclValue(v)}`).join('\n');
  assert.deepEqual(check(good).map((f) => `${f.rule}: ${f.message}`), []);
  const oldFindings = check(old.map((v) => `export ${v.name}=${ncclValue(v)}`).join('\n'));
  assert.equal(oldFindings.length, old.length);
  assert.ok(oldFindings.every((f) => f.rule === 'nccl/removed-variable' || f.rule === 'nccl/renamed-variable'));
  const bad = current.map((v) => `export ${misspell(v.name)}=${ncclValue(v)}`).join('\n');
  const badFindings = check(bad);
  assert.equal(badFindings.length, current.length);
  assert.ok(badFindings.every((f) => f.rule === 'nccl/unknown-variable'));
});

test('every vLLM environment variable set correctly gives no finding; misspelled, one each', { skip }, () => {
  const envs: Array<{ name: string; type: string | null; choices: unknown[] | null; default: unknown }> = ref('vllm/vllm-envs.json').registered;
  const value = (v: (typeof envs)[number]) => (v.choices?.length ? String(v.choices[0]) : /bool/.test(v.type ?? '') ? '1' : /^(int|float)/.test(v.type ?? '') ? '1' : 'value');
  const good = envs.map((v) => `export ${v.name}=${value(v)}`).join('\n');
  assert.deepEqual(check(good).map((f) => `${f.rule}: ${f.message}`), []);
  const named = envs.filter((v) => v.name.startsWith('VLLM_'));
  const bad = named.map((v) => `export ${misspell(v.name)}=${value(v)}`).join('\n');
  const badFindings = check(bad);
  assert.equal(badFindings.length, named.length);
  assert.ok(badFindings.every((f) => f.rule === 'env/unknown-vllm-variable'));
  // The offline switches the recipe relies on.
  assert.deepEqual(check('export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_HOME=/data/hf').map((f) => f.message), []);
});
