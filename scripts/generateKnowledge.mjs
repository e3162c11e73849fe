#!/usr/bin/env node
// Generates the knowledge base the server loads (server/src/knowledge/generated/*.json) from the
// extracted reference facts in ../shared/reference, our own descriptions in scripts/descriptions
// and the dated facts in scripts/facts. Run `npm run generate`; never edit the output by hand.
//
// Facts (names, types, defaults, choices, dates) are carried over; every sentence shown to users
// comes from scripts/descriptions (written for this project) or is composed here.
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const refArg = process.argv.indexOf('--reference');
const reference = refArg > 0 ? resolve(process.argv[refArg + 1]) : resolve(root, '../shared/reference');
const outDir = join(root, 'server/src/knowledge/generated');
const check = process.argv.includes('--check');

const readJson = (p) => JSON.parse(readFileSync(p, 'utf8'));
const descriptions = (name) => {
  const p = join(root, 'scripts/descriptions', `${name}.json`);
  return existsSync(p) ? readJson(p) : {};
};

if (!existsSync(reference)) {
  console.error(`generateKnowledge: reference folder not found: ${reference} (pass --reference DIR)`);
  process.exit(2);
}

// ---------------------------------------------------------------- vLLM serve flags + history
function vllmKnowledge() {
  const ref = readJson(join(reference, 'vllm/vllm-serve-flags.json'));
  const history = readJson(join(reference, 'vllm/flag-name-history.json'));
  const events = readJson(join(root, 'scripts/facts/vllm-flag-events.json'));
  const versions = readJson(join(root, 'scripts/facts/vllm-versions.json')).versions;
  const text = descriptions('vllm-flags');
  const points = history.points;
  const docs = 'https://docs.vllm.ai/en/latest/cli/serve/';

  const takes = (f) => {
    if (f.action === 'store_true' || f.action === 'BooleanOptionalAction' || f.nargs === 0) return 'none';
    if (f.nargs === '?') return 'optional';
    if (f.nargs === '+' || f.nargs === '*') return 'list';
    return 'one';
  };
  const display = (v) => (v === null || v === undefined ? undefined : typeof v === 'string' ? v : JSON.stringify(v));
  const seenRange = (names) => {
    // First sample that has the flag, and the sample just before it (which did not).
    let first = -1;
    for (let i = 0; i < points.length; i++) {
      if (names.some((n) => points[i].flags.includes(n))) {
        first = i;
        break;
      }
    }
    if (first <= 0) return {};
    return { addedAfter: points[first - 1].date, addedBy: points[first].date };
  };

  const flags = ref.flags.map((f) => {
    const entry = {
      name: f.name,
      aliases: f.aliases ?? [],
      group: f.group,
      type: f.type,
      takes: takes(f),
      ...(f.negated_form ? { negated: f.negated_form } : {}),
      ...(f.choices ? { choices: f.choices.map(String) } : {}),
      ...(f.known_values ? { knownValues: f.known_values.map(String) } : {}),
      ...(f.value_format === 'normalised_lowercase_underscore' ? { normaliseValue: true } : {}),
      ...(f.value_format && f.value_format !== 'normalised_lowercase_underscore' ? { valueFormat: f.value_format } : {}),
      ...(f.deprecated_values ? { deprecatedValues: f.deprecated_values.values.map(String) } : {}),
      ...(f.accepts_none_string ? { acceptsNone: true } : {}),
      ...(f.json_schema_class ? { jsonClass: f.json_schema_class } : {}),
      ...(f.action === 'append' ? { repeatable: true } : {}),
      ...(display(f.default) !== undefined ? { default: display(f.default) } : {}),
      ...seenRange([f.name, ...(f.aliases ?? [])].filter((n) => n.startsWith('--'))),
      description: text[f.name] ?? `${f.group === '(top-level)' ? 'Server' : f.group} option of vllm serve.`,
      docs,
    };
    return entry;
  });
  const current = new Set(ref.flags.flatMap((f) => [f.name, ...(f.aliases ?? [])]));

  // Removed flags: in some sample, not in the newest one. `-O` changed meaning rather than
  // disappearing (it is now the -O<n> optimisation shorthand), so it is not "removed".
  const byName = new Map();
  points.forEach((p, i) => {
    for (const n of p.flags) {
      if (current.has(n) || n === '-O') continue;
      const r = byName.get(n) ?? { name: n, firstSeen: p.date, lastSeen: p.date, goneBy: undefined };
      r.lastSeen = p.date;
      r.goneBy = points[i + 1]?.date;
      byName.set(n, r);
    }
  });
  for (const e of events.removed) {
    const r = byName.get(e.flag) ?? { name: e.flag };
    if (e.date) {
      r.goneBy = e.date;
      const d = new Date(`${e.date}T00:00:00Z`);
      d.setUTCDate(d.getUTCDate() - 1);
      r.lastSeen = d.toISOString().slice(0, 10);
    }
    if (e.replacement) r.replacement = e.replacement;
    if (e.rename) r.rename = true;
    if (e.why) r.why = e.why;
    if (e.pr) r.pr = e.pr;
    byName.set(e.flag, r);
  }
  const removed = [...byName.values()]
    .filter((r) => r.goneBy)
    .map((r) => ({ ...r, description: text[r.name] ?? 'A former vllm serve option.' }))
    .sort((a, b) => a.name.localeCompare(b.name));

  return {
    snapshot: ref.vllm_version,
    newestKnown: '0.28.0',
    docs,
    versions,
    samples: points.map((p) => ({ label: p.label, date: p.date })),
    deprecated: events.deprecated,
    imageEntrypointServeSince: events.imageEntrypoint.serveSince,
    keyValueJson: (({ _about, ...k }) => k)(events.keyValueJson),
    omniDelegationSince: events.omniDelegation.since,
    knownValues: ref.known_values_post_parse,
    flags,
    removed,
  };
}

// ---------------------------------------------------------------- Run:ai CLI
/**
 * Keys the help text's "Use the format:" string lists without brackets although Kubernetes fills
 * them in when absent, so the CLI accepts the value without them (evidence in Run:ai's own
 * examples and real usage): `storageclass` of a new PVC falls back to the cluster's default
 * StorageClass (run-ai/docs cli-examples.md: `--new-pvc claimname=yuval-3,size=10M,path=/tmp/test`);
 * `external` of a NodePort is allocated by Kubernetes (`--port service-type=NodePort,container=25000`,
 * the port then read from `describe`).
 */
const DEFAULTED_KEYS = { storageclass: 'PVC', external: 'NodePort' };

/** Turns a value-syntax string such as `claimname=NAME,path=PATH[,ro]` into a key spec. */
function compoundSpec(syntax) {
  if (!syntax || !/[a-z-]+=/.test(syntax) || /^no value/.test(syntax)) return undefined;
  // `ENV_VAR=SECRET_NAME,key=...`: the first item is a free NAME=VALUE pair.
  const freeFirst = /^[A-Z_]+=[A-Z_]+,/.test(syntax);
  // `CONTAINER_PORT | container=PORT...`: a bare port is an accepted short form.
  const bareNumber = /^[A-Z_]*PORT\s*\|/.test(syntax);
  // `CONTAINER_PORT | container=PORT[...]`: keep the key=value alternative.
  const alt = syntax.split(/\s+\|\s+/).find((s) => /^\[?,?[a-z-]+=/.test(s.trim())) ?? syntax;
  const body = alt.replace(/\s*\(.*$/, '').replace(/^[A-Z_]+=[A-Z_]+,/, '').trim();
  const keys = [];
  const switches = [];
  const re = /(\[)?,?([a-z][a-z0-9-]*)(?:=([^,\[\]]+))?\]?/g;
  let m;
  while ((m = re.exec(body))) {
    const [, optional, key, value] = m;
    if (!key) continue;
    if (value === undefined) {
      switches.push(key);
      continue;
    }
    const enumValues = value.includes('|') ? value.split('|').map((v) => v.trim()) : undefined;
    const defaulted = Object.hasOwn(DEFAULTED_KEYS, key) && (key !== 'external' || /service-type=NodePort/.test(body));
    keys.push({ key, required: !optional && !defaulted, placeholder: value.trim(), ...(enumValues ? { values: enumValues } : {}) });
  }
  if (keys.length === 0) return undefined;
  return { keys, switches, ...(freeFirst ? { freeFirst: true } : {}), ...(bareNumber ? { bareNumber: true } : {}) };
}

function runaiKnowledge() {
  const ref = readJson(join(reference, 'runai/runai-cli.json'));
  const text = descriptions('runai-flags');
  const commands = Object.entries(ref.commands).map(([key, c]) => {
    const path = c.usage.replace(/^runai\s+/, '').split(/\s+/).filter((w) => /^[a-z-]+$/.test(w));
    const legacy = /legacy/.test(key);
    const docs = (c.sources ?? [])[0]?.split(' ')[0];
    return {
      key,
      path,
      legacy,
      ...(docs ? { docs } : {}),
      flags: c.flags.map((f) => ({
        name: f.name,
        ...(f.short ? { short: f.short } : {}),
        type: f.type,
        ...(f.repeatable ? { repeatable: true } : {}),
        ...(f.value_syntax ? { syntax: f.value_syntax } : {}),
        ...(f.enum ? { choices: f.enum } : {}),
        ...(f.default !== null && f.default !== undefined ? { default: String(f.default) } : {}),
        ...(f.applies_to ? { appliesTo: f.applies_to } : {}),
        ...(f.worker_counterpart ? { workerCounterpart: f.worker_counterpart } : {}),
        ...(compoundSpec(f.value_syntax) ? { compound: compoundSpec(f.value_syntax) } : {}),
        description: text[`${key}|${f.name}`] ?? text[f.name] ?? 'Run:ai CLI option.',
      })),
    };
  });
  const global = ref.global.map((f) => ({
    name: f.name,
    ...(f.short ? { short: f.short } : {}),
    type: f.type,
    ...(f.default ? { default: String(f.default) } : {}),
    description: text[f.name] ?? 'Run:ai CLI option.',
  }));
  return { about: ref.cli_version_or_doc_date, commandTree: ref.command_tree, commands, global };
}

// ---------------------------------------------------------------- NCCL variables
function ncclKnowledge() {
  const ref = readJson(join(reference, 'nccl/nccl-env.json'));
  const text = descriptions('nccl-env');
  const tag = (t) => (t ? t.replace(/^<=/, '').replace(/^v/, '').replace(/-\d+$/, '') : undefined);
  const vars = Object.values(ref.vars).map((v) => {
    const anchor = v.name.toLowerCase().replace(/_/g, '-');
    const src = (v.source ?? [])[0]?.match(/^([^: ]+):(\d+)/);
    const docs = v.documented
      ? `https://docs.nvidia.com/deeplearning/nccl/user-guide/docs/env.html#${anchor}`
      : src
        ? `https://github.com/NVIDIA/nccl/blob/v2.30.7-1/${src[1]}#L${src[2]}`
        : 'https://docs.nvidia.com/deeplearning/nccl/user-guide/docs/env.html';
    const removed = /^removed/.test(v.deprecated_or_removed ?? '') || (v.documented && v.source?.length === 0 && v.deprecated_or_removed);
    return {
      name: v.name,
      type: v.type,
      ...(v.choices ? { choices: v.choices.map(String) } : {}),
      ...(v.default !== null && v.default !== undefined ? { default: String(v.default) } : {}),
      ...(v.format ? { syntax: v.format } : {}),
      scope: v.scope,
      documented: !!v.documented,
      ...(tag(v.first_seen_tag) && !String(v.first_seen_tag).startsWith('<=') ? { since: tag(v.first_seen_tag) } : {}),
      ...(removed ? { removedAfter: tag(v.last_seen_tag) ?? 'before 2.18' } : {}),
      ...(v.docs_note && /alias of (NCCL_\w+)/.test(v.docs_note) ? { aliasOf: v.docs_note.match(/alias of (NCCL_\w+)/)[1] } : {}),
      ...(/renamed (NCCL_\w+)/.test(v.deprecated_or_removed ?? '') ? { renamedTo: v.deprecated_or_removed.match(/renamed (NCCL_\w+)/)[1] } : {}),
      description: text[v.name] ?? 'NCCL setting.',
      docs,
    };
  });
  // NCCL_* names core NCCL does not read but a net/tuner plugin, tool or framework does
  // (scripts/facts, written for this project from those readers' sources).
  const core = new Set(vars.map((v) => v.name));
  const thirdParty = readJson(join(root, 'scripts/facts/nccl-third-party-vars.json')).readers.map((r) => {
    for (const n of r.names) if (core.has(n)) throw new Error(`nccl-third-party-vars.json: ${n} is read by core NCCL`);
    return {
      reader: r.reader,
      what: r.what,
      source: r.source,
      ...(r.prefixes.length ? { prefixes: r.prefixes } : {}),
      ...(r.names.length ? { names: r.names } : {}),
      ...(r.renamedTo ? { renamedTo: r.renamedTo } : {}),
    };
  });
  return { version: ref.nccl_version, vars, thirdParty };
}

// ---------------------------------------------------------------- vLLM / HF / CUDA variables
function envKnowledge() {
  const ref = readJson(join(reference, 'vllm/vllm-envs.json'));
  const text = descriptions('vllm-envs');
  const extra = descriptions('extra-envs');
  const vllmDocs = 'https://docs.vllm.ai/en/latest/configuration/env_vars/';
  const simpleType = (t) => {
    if (/^bool/.test(t)) return 'bool';
    if (/^int/.test(t)) return 'int';
    if (/^float/.test(t)) return 'float';
    if (/^Literal/.test(t)) return 'enum';
    return 'str';
  };
  const vars = ref.registered.map((v) => ({
    name: v.name,
    owner: 'vllm',
    type: simpleType(v.type),
    ...(v.choices ? { choices: v.choices.map(String) } : {}),
    ...(v.case_sensitive === false ? { caseInsensitive: true } : {}),
    ...(v.default !== null && v.default !== undefined ? { default: typeof v.default === 'string' ? v.default : JSON.stringify(v.default) } : {}),
    description: text[v.name] ?? 'vLLM environment variable.',
    docs: vllmDocs,
  }));
  for (const [name, facts] of Object.entries(extra)) {
    if (vars.some((v) => v.name === name)) continue;
    vars.push({
      name,
      owner: /^(HF_|HUGGING|TRANSFORMERS_)/.test(name) ? 'huggingface' : 'runtime',
      type: facts.type ?? 'str',
      ...(facts.choices ? { choices: facts.choices.map(String) } : {}),
      ...(facts.default !== null && facts.default !== undefined ? { default: String(facts.default) } : {}),
      description: text[name] ?? 'Environment variable.',
      docs: facts.docs ?? 'https://huggingface.co/docs/huggingface_hub/package_reference/environment_variables',
    });
  }
  return { vllmSnapshot: ref.vllm_version, vars };
}

// ---------------------------------------------------------------- write
const outputs = {
  'vllm.json': vllmKnowledge(),
  'runai.json': runaiKnowledge(),
  'nccl.json': ncclKnowledge(),
  'env.json': envKnowledge(),
};
mkdirSync(outDir, { recursive: true });
let stale = 0;
for (const [file, data] of Object.entries(outputs)) {
  const path = join(outDir, file);
  const body = `${JSON.stringify(data, null, 1)}\n`;
  if (check) {
    if (!existsSync(path) || readFileSync(path, 'utf8') !== body) {
      console.error(`stale: ${path}`);
      stale++;
    }
  } else {
    writeFileSync(path, body);
  }
}
if (check && stale) process.exit(1);
if (!check) {
  const counts = `vllm flags ${outputs['vllm.json'].flags.length}, removed ${outputs['vllm.json'].removed.length}, runai commands ${outputs['runai.json'].commands.length}, nccl vars ${outputs['nccl.json'].vars.length}, env vars ${outputs['env.json'].vars.length}`;
  console.log(`generated ${Object.keys(outputs).join(', ')} in ${outDir}: ${counts}`);
}
