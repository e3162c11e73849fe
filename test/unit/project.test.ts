/** Things that must stay in step: generated knowledge vs reference, settings vs package.json, rules vs docs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasShared, repoRoot } from '../helpers';
import { CLIENT_SETTINGS, DEFAULT_SETTINGS, SETTING_KEYS } from '../../server/src/protocol/settings';
import { allRules, ruleDocsPath } from '../../server/src/analysis/rules';
import { vllmData } from '../../server/src/knowledge/vllm';
import { ncclData } from '../../server/src/knowledge/nccl';
import { runaiData } from '../../server/src/knowledge/runai';

test('the generated knowledge base is what the generator makes from ../shared/reference', { skip: hasShared ? false : 'no ../shared' }, () => {
  const out = spawnSync(process.execPath, [join(repoRoot, 'scripts/generateKnowledge.mjs'), '--check'], { encoding: 'utf8' });
  assert.equal(out.status, 0, `${out.stderr}\nRun npm run generate.`);
});

test('the knowledge base covers the reference counts and every entry has its own description and a link', () => {
  assert.equal(vllmData().flags.length, 286);
  assert.equal(runaiData().commands.find((c) => c.key === 'inference distributed submit')!.flags.length, 115);
  assert.equal(ncclData().vars.length, 311);
  for (const f of vllmData().flags) assert.ok(f.description.length > 20 && f.docs.startsWith('https://'), f.name);
  for (const v of ncclData().vars) assert.ok(v.description.length > 20 && v.docs.startsWith('https://'), v.name);
  for (const c of runaiData().commands) for (const f of c.flags) assert.ok(f.description.length > 20, `${c.key} ${f.name}`);
});

test('every setting is declared in package.json and vice versa', () => {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  const declared = Object.keys(pkg.contributes.configuration.properties).filter((k) => k !== 'rvn.trace.server');
  const typed = [...SETTING_KEYS, ...Object.keys(CLIENT_SETTINGS)].map((k) => `rvn.${k}`);
  assert.deepEqual(declared.sort(), typed.sort());
  for (const k of SETTING_KEYS) assert.deepEqual(pkg.contributes.configuration.properties[`rvn.${k}`].default, DEFAULT_SETTINGS[k]);
  for (const [k, v] of Object.entries(CLIENT_SETTINGS)) assert.deepEqual(pkg.contributes.configuration.properties[`rvn.${k}`].default, v);
  for (const k of Object.keys(pkg.contributes.configuration.properties)) assert.ok(pkg.contributes.configuration.properties[k].description || pkg.contributes.configuration.properties[k].markdownDescription, k);
});

test('every rule has a docs page', () => {
  for (const r of allRules()) assert.ok(existsSync(join(repoRoot, ruleDocsPath(r.id))), `missing ${ruleDocsPath(r.id)}`);
});
