/**
 * Recognises what a simple command runs: a `runai` command, `vllm serve`, vLLM's OpenAI
 * `api_server` module, `docker run`, `mpirun`, or plain environment assignments. It knows the
 * shape of each command line (where flags end, what a wrapper such as `env` or `sudo` adds), but
 * nothing about individual flags: that is the knowledge base's and the analysis's job.
 */
import { hasExpansion, type SimpleCommand, type Word } from './lexer';

export type EnvSource = 'assignment' | 'prefix' | 'export' | 'env' | 'runai' | 'runai-worker' | 'docker' | 'mpirun' | 'yaml';

/** `NAME=VALUE` (or a bare `NAME`, as `export NAME` and `mpirun -x NAME` allow). */
export interface EnvAssignment {
  word: Word;
  name: string;
  /** Index of `=` in word.value, or -1 for a bare name. */
  eq: number;
  source: EnvSource;
}

export type VllmEntry = 'serve' | 'api-server' | 'implicit-serve';

export interface VllmCall {
  entry: VllmEntry;
  /** For an image's entrypoint whose version is too close to the api_server → serve switch to tell. */
  entryUncertain?: boolean;
  /** The words that name the program (`vllm serve`, `python -m vllm...`), empty when implicit. */
  head: Word[];
  args: Word[];
}

export interface RunaiCall {
  /** The `runai` word. */
  program: Word;
  /** Every word after `runai` up to `--` (subcommands, flags, values, the workload name). */
  args: Word[];
  dashDash?: Word;
  /** Words after `--`: the container's arguments. */
  after: Word[];
}

export interface DockerRunCall {
  program: Word;
  args: Word[];
}

export interface CommandModel {
  command: SimpleCommand;
  env: EnvAssignment[];
  runai?: RunaiCall;
  vllm?: VllmCall;
  docker?: DockerRunCall;
  /** A shell started with `-c SCRIPT`: its script word, analysed as a script of its own. */
  shellScript?: Word;
}

const RESERVED = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', 'time', 'fi', 'done', '}']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(?:\[[^\]]*\])?\+?=/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const API_SERVER_MODULE = /^vllm\.entrypoints\.openai\.api_server$/;

export function basename(value: string): string {
  const slash = value.lastIndexOf('/');
  return slash >= 0 ? value.slice(slash + 1) : value;
}

/** Parses `NAME=VALUE` (or `NAME` when bare names are allowed) into an assignment. */
export function toAssignment(word: Word, source: EnvSource, allowBare = false): EnvAssignment | undefined {
  const m = ASSIGNMENT.exec(word.value);
  if (m && !hasExpansion(word, 0, m[0].length)) {
    const eq = m[0].length - 1;
    const name = word.value.slice(0, eq).replace(/\+$/, '').replace(/\[.*$/, '');
    return { word, name, eq, source };
  }
  if (allowBare && NAME.test(word.value) && !hasExpansion(word)) return { word, name: word.value, eq: -1, source };
  return undefined;
}

/** Options of these launchers that take the next word as their value (`--opt=value` needs no entry). */
const SRUN_VALUE_OPTIONS = new Set(['-N', '-n', '-c', '-p', '-w', '-x', '-t', '-J', '-o', '-e', '-A', '-q', '-G', '-D', '-m', '--nodes', '--ntasks', '--ntasks-per-node', '--cpus-per-task', '--partition', '--nodelist', '--exclude', '--time', '--job-name', '--output', '--error', '--account', '--qos', '--gpus', '--gres', '--gpus-per-node', '--gpus-per-task', '--mem', '--mpi', '--container-image', '--container-mounts', '--container-name', '--container-workdir', '--export', '--chdir', '--distribution', '--het-group']);
const RUN_VALUE_OPTIONS = new Set(['-n', '-p', '--name', '--prefix', '--with', '--python', '--project', '--directory', '--env-file', '--extra', '--group', '--index', '--environment', '-e', '--manifest-path']);
const CONTAINER_VALUE_OPTIONS = new Set(['-B', '--bind', '--env', '--env-file', '-H', '--home', '--pwd', '-W', '--workdir', '--overlay', '-o', '--mount', '--security', '--network', '--hostname', '--app']);

/** Skips a wrapper's own options (`sudo -E`, `nice -n 5`) and returns the index of the wrapped command. */
function skipOptions(words: Word[], i: number, withValue: Set<string>): number {
  while (i < words.length && words[i].value.startsWith('-') && words[i].value !== '-') {
    if (words[i].value === '--') return i + 1;
    i += withValue.has(words[i].value) ? 2 : 1;
  }
  return i;
}

function isPython(name: string): boolean {
  return /^python(?:\d+(?:\.\d+)?)?$/.test(name);
}

/** Classifies one simple command. */
export function classifyCommand(command: SimpleCommand): CommandModel {
  const model: CommandModel = { command, env: [] };
  const words = command.words;
  let i = 0;
  while (i < words.length && RESERVED.has(words[i].value)) i++;

  // Leading NAME=VALUE words: environment for the command, or plain assignments.
  const leading: EnvAssignment[] = [];
  while (i < words.length) {
    const a = toAssignment(words[i], 'prefix');
    if (!a) break;
    leading.push(a);
    i++;
  }
  if (i >= words.length) {
    for (const a of leading) a.source = 'assignment';
  }
  model.env.push(...leading);
  classifyProgram(words, i, model, 0);
  return model;
}

function classifyProgram(words: Word[], i: number, model: CommandModel, depth: number): void {
  if (i >= words.length || depth > 8) return;
  const w = words[i];
  if (hasExpansion(w)) return;
  const name = basename(w.value);
  switch (name) {
    case 'export':
    case 'declare':
    case 'typeset':
    case 'local':
    case 'readonly': {
      const exported = name === 'export' || words.slice(i + 1).some((x) => /^-\w*x/.test(x.value));
      for (const x of words.slice(i + 1)) {
        if (x.value.startsWith('-')) continue;
        const a = toAssignment(x, exported ? 'export' : 'assignment', exported);
        if (a) model.env.push(a);
      }
      return;
    }
    case 'env': {
      let j = i + 1;
      while (j < words.length) {
        if (words[j].value === '-u' || words[j].value === '-C' || words[j].value === '-S') j += 2;
        else if (words[j].value.startsWith('-') && words[j].value !== '--') j++;
        else if (words[j].value === '--') j++;
        else {
          const a = toAssignment(words[j], 'env');
          if (!a) break;
          model.env.push(a);
          j++;
        }
      }
      classifyProgram(words, j, model, depth + 1);
      return;
    }
    case 'sudo':
      return classifyProgram(words, skipOptions(words, i + 1, new Set(['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U'])), model, depth + 1);
    case 'exec':
    case 'nohup':
    case 'command':
    case 'time':
    case 'stdbuf':
    case 'numactl':
    case 'taskset':
      return classifyProgram(words, skipOptions(words, i + 1, new Set(['-a', '-c', '-l', '-n', '-N', '-m', '-C'])), model, depth + 1);
    case 'nice':
      return classifyProgram(words, skipOptions(words, i + 1, new Set(['-n'])), model, depth + 1);
    // Launchers that run a command in an environment, a job step or a container: what follows
    // their own options (and, for containers, the image) is the command to check.
    case 'srun':
      return classifyProgram(words, skipOptions(words, i + 1, SRUN_VALUE_OPTIONS), model, depth + 1);
    case 'uv':
    case 'conda':
    case 'mamba':
    case 'micromamba':
    case 'pixi':
    case 'poetry':
      if (words[i + 1]?.value !== 'run') return;
      return classifyProgram(words, skipOptions(words, i + 2, RUN_VALUE_OPTIONS), model, depth + 1);
    case 'apptainer':
    case 'singularity': {
      if (words[i + 1]?.value !== 'exec' && words[i + 1]?.value !== 'run') return;
      const image = skipOptions(words, i + 2, CONTAINER_VALUE_OPTIONS);
      return classifyProgram(words, image + 1, model, depth + 1);
    }
    case 'timeout': {
      const j = skipOptions(words, i + 1, new Set(['-s', '-k', '--signal', '--kill-after']));
      return classifyProgram(words, j + 1, model, depth + 1);
    }
    case 'runai': {
      const dd = words.findIndex((x, k) => k > i && x.value === '--');
      model.runai = {
        program: w,
        args: words.slice(i + 1, dd < 0 ? words.length : dd),
        dashDash: dd < 0 ? undefined : words[dd],
        after: dd < 0 ? [] : words.slice(dd + 1),
      };
      return;
    }
    case 'vllm':
      if (words[i + 1]?.value === 'serve') model.vllm = { entry: 'serve', head: [w, words[i + 1]], args: words.slice(i + 2) };
      return;
    case 'docker':
    case 'podman':
    case 'nerdctl': {
      const sub = words.findIndex((x, k) => k > i && !x.value.startsWith('-'));
      if (sub >= 0 && (words[sub].value === 'run' || (words[sub].value === 'container' && words[sub + 1]?.value === 'run'))) {
        const from = words[sub].value === 'run' ? sub + 1 : sub + 2;
        model.docker = { program: w, args: words.slice(from) };
      }
      return;
    }
    case 'mpirun':
    case 'mpiexec': {
      let j = i + 1;
      while (j < words.length && words[j].value.startsWith('-')) {
        const opt = words[j].value;
        if (opt === '-x' && words[j + 1]) {
          const a = toAssignment(words[j + 1], 'mpirun', true);
          if (a) model.env.push(a);
          j += 2;
        } else if (/^--?(?:np|n|H|host|hostfile|machinefile|map-by|bind-to|rank-by|mca|gmca|wdir|x|npernode|N|ppn|report-bindings)$/.test(opt)) {
          j += opt === '--mca' || opt === '-mca' ? 3 : 2;
        } else {
          j++;
        }
      }
      return classifyProgram(words, j, model, depth + 1);
    }
    case 'sh':
    case 'bash':
    case 'dash':
    case 'zsh': {
      const c = words.findIndex((x, k) => k > i && /^-[a-z]*c[a-z]*$/.test(x.value));
      if (c >= 0 && words[c + 1]) model.shellScript = words[c + 1];
      return;
    }
    default:
      if (isPython(name)) {
        const m = words.findIndex((x, k) => k > i && x.value === '-m');
        if (m >= 0 && words[m + 1] && API_SERVER_MODULE.test(words[m + 1].value)) {
          model.vllm = { entry: 'api-server', head: words.slice(i, m + 2), args: words.slice(m + 2) };
        } else if (m >= 0 && words[m + 1]?.value === 'vllm.entrypoints.cli.main' && words[m + 2]?.value === 'serve') {
          model.vllm = { entry: 'serve', head: words.slice(i, m + 3), args: words.slice(m + 3) };
        }
      }
  }
}

/** Programs that, as the first container argument, show a command rather than a model or flags. */
const CONTAINER_PROGRAMS = new Set([
  'sh', 'bash', 'dash', 'zsh', 'env', 'exec', 'sudo', 'nohup', 'sleep', 'tail', 'cat', 'ls', 'echo', 'true',
  'ray', 'torchrun', 'deepspeed', 'accelerate', 'mpirun', 'mpiexec', 'srun', 'nvidia-smi', 'pip', 'pip3',
  'uv', 'huggingface-cli', 'hf', 'jupyter', 'supervisord', 'tini', 'dumb-init', 'vllm',
]);

/**
 * Whether container arguments start with a program (`bash -c '...'`, `python3 x.py`,
 * `/bin/bash`): for an image whose entrypoint is not vLLM's own, that replaces its command.
 */
export function startsWithProgram(words: Word[]): boolean {
  const first = words[0];
  if (!first || hasExpansion(first) || first.value.startsWith('-')) return false;
  const name = basename(first.value);
  return CONTAINER_PROGRAMS.has(name) || isPython(name);
}

/**
 * Whether an image reference is vLLM's published server image (`vllm/vllm-openai`, also mirrored
 * under another registry path): its entrypoint is the server, so bare arguments are the server's.
 * Other images with vLLM in their name (`rocm/vllm`, `nvcr.io/nvidia/vllm`, a local build) run
 * whatever their own entrypoint is.
 */
export function isVllmServerImage(image: string): boolean {
  const at = image.indexOf('@');
  const ref = at >= 0 ? image.slice(0, at) : image;
  const lastSlash = ref.lastIndexOf('/');
  const colon = ref.indexOf(':', lastSlash + 1);
  const repo = (colon < 0 ? ref : ref.slice(0, colon)).slice(lastSlash + 1);
  return /^vllm-openai/i.test(repo);
}

/**
 * Container arguments (after `runai ... --`, after a `docker run` image) as a vLLM call when they
 * name one explicitly; `implicit` says whether bare flags belong to `vllm serve` (the image's
 * entrypoint) when they don't.
 */
export function containerVllmCall(words: Word[], implicit: boolean): VllmCall | undefined {
  if (words.length === 0) return undefined;
  const probe: CommandModel = { command: { words, start: words[0].start, end: words[words.length - 1].end }, env: [] };
  classifyProgram(words, 0, probe, 0);
  if (probe.vllm) return probe.vllm;
  if (implicit) return { entry: 'implicit-serve', head: [], args: words };
  return undefined;
}
