/**
 * Deployments of a shell script: each `runai` command is one (its flags, its `-e` variables and
 * the vLLM command after `--`), and so is each `vllm serve` / `docker run` line, together with the
 * variables the script exported before it.
 */
import type { AnalyzedCommand, ShellModel } from '../analysis/shellAnalysis';
import type { RunaiOption, RunaiParse } from '../analysis/runaiArgs';
import type { EnvAssignment } from '../shell/invocations';
import { emptyDeployment, intFact, wordFact, type Deployment, type Fact } from './deployment';

/**
 * Run:ai creates the leader pod plus `--workers` worker pods, and `-g` applies to the leader and,
 * through --worker-as-leader, to every worker (see docs/rules/deploy-gpus-unused.md).
 */
export const RUNAI_LEADER_PODS = 1;

export function shellDeployments(shell: ShellModel): Deployment[] {
  const out: Deployment[] = [];
  const exported = new Map<string, EnvAssignment>();
  const walk = (commands: AnalyzedCommand[]) => {
    for (const c of commands) {
      if (c.runai) out.push(runaiDeployment(c));
      else if (c.vllm || c.model.docker) out.push(commandDeployment(c, exported));
      for (const a of c.model.env) if (a.source === 'export' || (a.source === 'assignment' && exported.has(a.name))) exported.set(a.name, a);
      // `export NAME` after `NAME=value` exports the earlier value.
      for (const a of c.model.env) if (a.source === 'export' && a.eq < 0) {
        const earlier = c.model.env.find((x) => x.name === a.name && x.eq >= 0);
        if (earlier) exported.set(a.name, earlier);
      }
      walk(c.nested);
    }
  };
  walk(shell.commands);
  return out;
}

function anchorOf(c: AnalyzedCommand): Fact<string> {
  const first = c.model.command.words[0];
  return { value: first?.value ?? '', start: first?.start ?? c.model.command.start, end: first?.end ?? c.model.command.end };
}

function firstVllm(c: AnalyzedCommand): AnalyzedCommand['vllm'] {
  if (c.vllm) return c.vllm;
  for (const n of c.nested) {
    const v = firstVllm(n);
    if (v) return v;
  }
  return undefined;
}

function commandDeployment(c: AnalyzedCommand, exported: Map<string, EnvAssignment>): Deployment {
  const d = emptyDeployment('shell', anchorOf(c));
  d.vllm = c.vllm;
  for (const [k, v] of exported) d.env.set(k, v);
  for (const a of c.env) d.env.set(a.name, a);
  if (c.image) {
    const imageWord = c.model.docker?.args.find((w) => w.value === c.image);
    d.image = imageWord ? wordFact(imageWord) : undefined;
  }
  d.opaque = !!c.vllm && c.vllm.call.args.some((w) => w.expansions.some(([a]) => a === 0));
  return d;
}

/** Options of a Run:ai command by flag name (last one wins, as in the CLI). */
const NONE: RunaiOption[] = [];
const byFlagCache = new WeakMap<RunaiParse, Map<string, RunaiOption[]>>();

/** The options given for flag `name` with a value, in order (grouped once per command: asked ~20 times each). */
function options(parse: RunaiParse, name: string): RunaiOption[] {
  let byFlag = byFlagCache.get(parse);
  if (!byFlag) {
    byFlag = new Map();
    for (const o of parse.options) {
      if (!o.flag || !o.value) continue;
      const list = byFlag.get(o.flag.name);
      if (list) list.push(o);
      else byFlag.set(o.flag.name, [o]);
    }
    byFlagCache.set(parse, byFlag);
  }
  return byFlag.get(name) ?? NONE;
}

function optionFact(o: RunaiOption | undefined): Fact<string> | undefined {
  return o?.value ? wordFact(o.value, o.valueFrom) : undefined;
}

function last<T>(list: T[]): T | undefined {
  return list[list.length - 1];
}

/** `key=value` items of a list-valued option, each with its own range. */
function keyValues(f: Fact<string> | undefined): Map<string, Fact<string>> {
  const map = new Map<string, Fact<string>>();
  if (!f) return map;
  let offset = 0;
  for (const item of f.value.split(',')) {
    const eq = item.indexOf('=');
    const key = eq >= 0 ? item.slice(0, eq) : item;
    const value = eq >= 0 ? item.slice(eq + 1) : '';
    // Ranges inside a single word are contiguous in practice (no quotes inside a list value).
    const start = f.start + offset + (eq >= 0 ? eq + 1 : 0);
    map.set(key, { value, start, end: start + value.length });
    offset += item.length + 1;
  }
  return map;
}

const MOUNT_KEYS: Record<string, string> = {
  '--existing-pvc': 'path',
  '--new-pvc': 'path',
  '--nfs': 'mountpath',
  '--host-path': 'mount',
  '--s3': 'path',
  '--git-sync': 'path',
  '--datavolume': 'mountpath',
  '--configmap-map-volume': 'path',
  '--secret-volume': 'path',
  '--empty-dir-volume': 'path',
};

function runaiDeployment(c: AnalyzedCommand): Deployment {
  const parse = c.runai!;
  const d = emptyDeployment('runai', anchorOf(c));
  d.vllm = firstVllm(c);
  for (const a of c.env) if (a.source !== 'runai-worker') d.env.set(a.name, a);
  d.image = optionFact(last(options(parse, '--image')));
  d.gpusPerPod = intFact(optionFact(last(options(parse, '--gpu-devices-request'))));
  const workers = last(options(parse, '--workers'));
  const workerCount = intFact(optionFact(workers));
  if (workerCount) {
    d.pods = { ...workerCount, value: workerCount.value + RUNAI_LEADER_PODS };
    d.podsNote = `--workers ${workerCount.value} plus the leader pod`;
    // Workers inherit -g unless --worker-gpu-devices-request gives them their own count, or
    // --worker-as-leader=false stops them inheriting anything.
    const workerGpus = intFact(optionFact(last(options(parse, '--worker-gpu-devices-request'))));
    const asLeader = last(parse.options.filter((o) => o.flag?.name === '--worker-as-leader'));
    const inherits = !asLeader?.value || /^(?:true|1|t)$/i.test(asLeader.value.value.slice(asLeader.valueFrom));
    if (d.gpusPerPod && (workerGpus || !inherits)) d.gpusTotal = d.gpusPerPod.value * RUNAI_LEADER_PODS + (workerGpus?.value ?? 0) * workerCount.value;
  } else if (!workers && parse.command?.path.join(' ') !== 'inference distributed submit') {
    d.pods = { value: 1, start: d.anchor.start, end: d.anchor.end };
    d.podsNote = 'one pod';
  }
  for (const o of options(parse, '--serving-port')) {
    const f = optionFact(o);
    if (!f) continue;
    const port = /^\d+$/.test(f.value) ? intFact(f) : intFact(keyValues(f).get('container'));
    if (port) d.servingPorts.push(port);
  }
  for (const [flag, key] of Object.entries(MOUNT_KEYS)) {
    for (const o of options(parse, flag)) {
      const path = keyValues(optionFact(o)).get(key);
      if (path?.value.startsWith('/')) d.mountPaths.push(path);
    }
  }
  for (const o of options(parse, '--annotation')) {
    const f = optionFact(o);
    const eq = f?.value.indexOf('=') ?? -1;
    if (f && eq > 0) d.annotations.set(f.value.slice(0, eq), { value: f.value.slice(eq + 1), start: f.start, end: f.end });
  }
  for (const o of options(parse, '--extended-resource')) {
    const f = optionFact(o);
    if (f) d.resources.push({ ...f, value: f.value.split('=')[0] });
  }
  d.runAsUser = intFact(optionFact(last(options(parse, '--run-as-uid'))));
  d.runAsUserImplicit = parse.options.some((o) => o.flag?.name === '--run-as-user' || (o.flag?.name === '--run-as-uid' && !intFact(optionFact(o))));
  d.runAsGroup = intFact(optionFact(last(options(parse, '--run-as-gid'))));
  const nonRoot = last(parse.options.filter((o) => o.flag?.name === '--run-as-non-root'));
  if (nonRoot) {
    const explicit = nonRoot.value ? nonRoot.value.value.slice(nonRoot.valueFrom) : 'true';
    d.runAsNonRoot = { value: /^(?:true|1|t)$/i.test(explicit), start: nonRoot.word.start, end: nonRoot.word.end };
  }
  d.preemptibility = optionFact(last(options(parse, '--preemptibility')));
  return d;
}
