/**
 * The shell-script pass: lex, recognise invocations, check each one against the knowledge base.
 * The result keeps the parsed model (for completion, hover and the cross-flag rules) next to the
 * findings.
 */
import { lexShell, type LexedScript, type SimpleCommand, type Word } from '../shell/lexer';
import { relexWord } from '../shell/relex';
import { classifyCommand, containerVllmCall, isVllmServerImage, startsWithProgram, type CommandModel, type EnvAssignment, type VllmCall } from '../shell/invocations';
import { lookupVllmFlag, vllmData } from '../knowledge/vllm';
import { compareVersions, includesChange, parseVersion, versionFromImage } from '../knowledge/vllmVersions';
import { FindingSink, type AnalysisSettings } from './context';
import { analyzeRunaiCall, type RunaiParse } from './runaiArgs';
import { analyzeVllmCall, type VllmParse } from './vllmArgs';
import { checkEnvAssignment } from './envVars';
import { checkArrayArguments, collectArrays } from './arrayArgs';
import { readDockerRun } from './dockerArgs';
import { chooseTarget, type VllmTarget } from './vllmTarget';
import { readDirectives, type Directives } from './directives';
import { LineIndex } from './lineIndex';

export interface AnalyzedCommand {
  model: CommandModel;
  runai?: RunaiParse;
  vllm?: VllmParse;
  /** Every variable the command sets, from any source (prefix, export, -e, ...). */
  env: EnvAssignment[];
  /** Commands inside `--command "..."`, `sh -c '...'` strings. */
  nested: AnalyzedCommand[];
  /** The image the command runs, when given literally. */
  image?: string;
}

export interface ShellModel {
  text: string;
  lines: LineIndex;
  lexed: LexedScript;
  commands: AnalyzedCommand[];
  directives: Directives;
}

const MAX_NESTED_DEPTH = 4;

export function analyzeShell(text: string, settings: AnalysisSettings = {}, sink = new FindingSink()): ShellModel {
  const lexed = lexShell(text);
  const lines = new LineIndex(text);
  const spans = lexed.commands.map((c) => [c.start, c.end] as [number, number]);
  const directives = readDirectives(lexed.comments, lines, text.length, (offset) => spans.find(([s]) => s >= offset));
  const analyzer = new CommandAnalyzer(text, settings, directives, sink);
  analyzer.deferExports = [];
  analyzer.arrays = collectArrays(lexed, text);
  const commands = lexed.commands.map((c) => analyzer.analyze(c, 0));
  // An `export VLLM_…` reaches vLLM only if one starts from this environment: judged once the
  // whole script is read (`export VLLM_ROUTER_…=1; python3 -m vllm_router.app` starts no vLLM).
  // An env file (only assignments, exports, echo) is sourced by a launcher elsewhere: not this case.
  // Nor is a script that names `vllm` anywhere (a command kept in a string, `vllm bench`, an image).
  const otherProgram = !commands.some(hasVllm) && !MENTIONS_VLLM.test(text) && commands.some((c) => startsProgram(c.model.command));
  for (const { a, target } of analyzer.deferExports) checkEnvAssignment(a, sink, target, analyzer.usedByScript, otherProgram);
  return { text, lines, lexed, commands, directives };
}

/** `vllm` as a word of its own: a program, `-m vllm.…`, an image `vllm/…` (not `vllm_router`). */
const MENTIONS_VLLM = /(?<![\w./-])vllm(?![\w-])/;

/** Words that run no program of their own (builtins, tests, keywords). */
const NOT_A_PROGRAM = new Set(['export', 'set', 'unset', 'source', '.', 'echo', 'printf', 'readonly', 'declare', 'typeset', 'local', ':', 'true', 'false', 'cd', '[', '[[', 'test', 'exit', 'return', 'shift', 'if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', 'for', 'case', 'esac', '!', '{', '}', 'function', 'trap', 'read', 'wait', 'sleep', 'mkdir', 'cat']);
const ASSIGNMENT_WORD = /^[A-Za-z_][A-Za-z0-9_]*(?:\[[^\]]*\])?\+?=/;

/** Whether a simple command runs a program (`python3 -m app`), not only builtins and assignments. */
function startsProgram(command: SimpleCommand): boolean {
  const first = command.words.find((w) => !ASSIGNMENT_WORD.test(w.value));
  return !!first && !NOT_A_PROGRAM.has(first.value) && !first.value.endsWith(')') && !first.value.startsWith('(');
}

function hasVllm(c: AnalyzedCommand): boolean {
  return !!c.vllm || c.nested.some(hasVllm);
}

export class CommandAnalyzer {
  constructor(
    private readonly text: string,
    private readonly settings: AnalysisSettings,
    private readonly directives: Directives,
    readonly sink: FindingSink,
  ) {}

  /** The script's bash arrays, whose elements are checked where a vLLM call expands them (arrayArgs.ts). */
  arrays?: Map<string, Word[]>;
  private readonly checkedArrays = new Set<string>();

  /** When set, top-level `export` assignments are collected here instead of checked at once. */
  deferExports?: { a: EnvAssignment; target: VllmTarget }[];

  /** Whether the text expands `$name` or `${name…}` anywhere. */
  readonly usedByScript = (name: string): boolean => new RegExp(`\\$\\{?${name}(?![A-Za-z0-9_])`).test(this.text);

  /** `image` is the container image the command runs in, when known (YAML containers). */
  analyze(command: SimpleCommand, depth: number, image?: string): AnalyzedCommand {
    const model = classifyCommand(command);
    const result: AnalyzedCommand = { model, env: [...model.env], nested: [] };

    if (model.runai) {
      const runai = analyzeRunaiCall(model.runai, this.sink);
      result.runai = runai;
      result.image = runai.image;
      result.env.push(...runai.env);
      const after = model.runai.after;
      // `-c/--command` (a switch on standard submits) makes the words after `--` the container's
      // command, as does a program there for an image that is not vLLM's server image
      // (`-i .../tritonserver:25.06-vllm-python-py3 -- bash -c '...'`); otherwise they are
      // arguments to the image's entrypoint.
      const command = after.length > 0 && (runaiCommandSwitch(runai) || (!!runai.image && !isVllmServerImage(runai.image) && startsWithProgram(after)));
      const implicit = !command && (runai.image ? /vllm/i.test(runai.image) : looksLikeVllmArgs(after));
      const call = containerVllmCall(after, implicit);
      if (call) result.vllm = this.vllm(call, runai.image);
      else if (command && depth < MAX_NESTED_DEPTH) {
        result.nested.push(this.analyze({ words: after, start: after[0].start, end: after[after.length - 1].end }, depth + 1, runai.image));
      }
      this.nestedStrings(result, runai, depth);
    }
    if (model.docker) {
      const docker = readDockerRun(model.docker);
      result.env.push(...docker.env);
      result.image = docker.image?.value;
      // `docker run my/vllm-build bash -c '...'`: only vLLM's server image makes that the server's arguments.
      const command = !docker.entrypoint && !!docker.image && !isVllmServerImage(docker.image.value) && startsWithProgram(docker.after);
      const implicit = !docker.entrypoint && !!docker.image && /vllm/i.test(docker.image.value) && !command;
      const call = containerVllmCall(docker.after, implicit);
      if (call) result.vllm = this.vllm(call, result.image);
      else if (command && depth < MAX_NESTED_DEPTH) {
        const after = docker.after;
        result.nested.push(this.analyze({ words: after, start: after[0].start, end: after[after.length - 1].end }, depth + 1, result.image));
      }
    }
    if (model.vllm) result.vllm = this.vllm(model.vllm, image);
    if (image && !result.image) result.image = image;
    if (model.shellScript && depth < MAX_NESTED_DEPTH) {
      for (const c of relexWord(model.shellScript).commands) result.nested.push(this.analyze(c, depth + 1, image));
    }
    const target = result.vllm?.target ?? this.target(result.image);
    for (const a of result.env) {
      if (this.deferExports && depth === 0 && a.source === 'export') this.deferExports.push({ a, target });
      else checkEnvAssignment(a, this.sink, target, this.usedByScript);
    }
    return result;
  }

  /** The vLLM release a command in `image` is checked against. */
  target(image: string | undefined): VllmTarget {
    // NGC tags name the container release (`nvcr.io/nvidia/vllm:25.09-py3`), not vLLM's version.
    const pinned = image && !/^nvcr\.io\//.test(image) ? versionFromImage(image) : undefined;
    return chooseTarget(this.settings.vllmVersion, this.directives.vllmVersion, pinned);
  }

  vllm(call: VllmCall, image: string | undefined): VllmParse {
    const target = this.target(image);
    const entry = imageEntrypoint(call, target);
    const parse = analyzeVllmCall(entry, target, this.sink, this.text);
    if (this.arrays?.size) checkArrayArguments(entry, target, this.arrays, this.checkedArrays, this.sink, this.text);
    return parse;
  }

  /** `--command "sh -c '...'"` and `--arguments "..."` hold command lines of their own. */
  private nestedStrings(result: AnalyzedCommand, runai: RunaiParse, depth: number): void {
    if (depth >= MAX_NESTED_DEPTH) return;
    const command = runai.options.find((o) => o.flag?.name === '--command' && o.flag.type === 'string' && o.value && o.valueFrom === 0);
    const args = runai.options.find((o) => o.flag?.name === '--arguments' && o.value && o.valueFrom === 0);
    if (command?.value) {
      const inner = relexWord(command.value);
      for (const c of inner.commands) {
        const analyzed = this.analyze(c, depth + 1);
        result.nested.push(analyzed);
        // `--command "vllm serve" --arguments "..."`: the arguments continue that command.
        if (args?.value && analyzed.model.vllm && analyzed.model.vllm.args.length === 0) {
          const argWords = relexWord(args.value).commands.flatMap((x) => x.words);
          analyzed.vllm = this.vllm({ ...analyzed.model.vllm, args: argWords }, runai.image);
        }
      }
    } else if (args?.value && !result.vllm) {
      const argWords = relexWord(args.value).commands.flatMap((x) => x.words);
      const call = containerVllmCall(argWords, runai.image ? /vllm/i.test(runai.image) : looksLikeVllmArgs(argWords));
      if (call) result.vllm = this.vllm(call, runai.image);
    }
  }
}

/** `-c` / `--command` / `--command=true` given as the boolean switch of a standard submit. */
function runaiCommandSwitch(runai: RunaiParse): boolean {
  const o = runai.options.filter((x) => x.flag?.name === '--command' && x.flag.type === 'bool').pop();
  if (!o) return false;
  return !o.value || /^(?:true|1|t)$/i.test(o.value.value.slice(o.valueFrom));
}

/**
 * The vLLM image's entrypoint was the api_server module until late 2025 and `vllm serve` since:
 * bare container arguments are read by whichever the targeted release runs.
 */
function imageEntrypoint(call: VllmCall, target: VllmTarget): VllmCall {
  if (call.entry !== 'implicit-serve') return call;
  // Older than every release rvn can date (e.g. 0.4.2): years before the image ran `vllm serve`.
  if (!target.release) return olderThanKnown(target) ? { ...call, entry: 'api-server' } : call;
  const state = includesChange(vllmData().imageEntrypointServeSince, target.release);
  if (state === 'absent') return { ...call, entry: 'api-server' };
  if (state === 'unknown') return { ...call, entryUncertain: true };
  return call;
}

function olderThanKnown(target: VllmTarget): boolean {
  return vllmData().versions.every((v) => { const known = parseVersion(v.version); return !known || compareVersions(target.version, known) < 0; });
}

/** Without an image to go by, container arguments are vLLM's when most of their options are. */
export function looksLikeVllmArgs(words: { value: string }[]): boolean {
  const options = words.filter((w) => w.value.startsWith('--'));
  if (options.length === 0) return false;
  const known = options.filter((w) => lookupVllmFlag(w.value.split('=')[0]));
  return known.length * 2 > options.length;
}

/** All analysed commands, nested ones included, in document order. */
export function flattenCommands(commands: AnalyzedCommand[]): AnalyzedCommand[] {
  const out: AnalyzedCommand[] = [];
  const walk = (list: AnalyzedCommand[]) => {
    for (const c of list) {
      out.push(c);
      walk(c.nested);
    }
  };
  walk(commands);
  return out;
}
