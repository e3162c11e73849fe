/**
 * Checks a `runai ...` command line the way the Run:ai CLI (cobra + pflag) reads it: the command
 * path first, then `--flag value`, `--flag=value`, `-g 2`, `-g2`; boolean flags take no separate
 * value. Commands the knowledge base has no page for are left alone rather than guessed at.
 */
import { hasExpansion, valueRange, type Word } from '../shell/lexer';
import { toAssignment, type EnvAssignment, type RunaiCall } from '../shell/invocations';
import { currentGenerationRunaiFlag, findRunaiCommand, isRunaiCommandWord, lookupRunaiFlag, runaiData, runaiSubcommands, type RunaiFlagLookup } from '../knowledge/runai';
import { closest } from '../knowledge/suggest';
import type { RunaiCommand, RunaiFlag } from '../knowledge/types';
import { replaceFix, type FindingSink } from './context';
import { checkCompound, checkRunaiScalar } from './runaiValues';

export interface RunaiOption {
  flag?: RunaiFlag;
  word: Word;
  spelling: string;
  value?: Word;
  /** Index in `value.value` (or `word.value` for `--flag=value`) where the value starts. */
  valueFrom: number;
}

export interface RunaiParse {
  call: RunaiCall;
  path: Word[];
  command?: RunaiCommand;
  options: RunaiOption[];
  positionals: Word[];
  env: EnvAssignment[];
  /** The image reference, when given literally. */
  image?: string;
}

const ENV_FLAGS = new Set(['--environment-variable', '--worker-environment']);

export function analyzeRunaiCall(call: RunaiCall, sink: FindingSink): RunaiParse {
  const parse: RunaiParse = { call, path: [], options: [], positionals: [], env: [] };
  const args = call.args;
  let i = 0;
  // The command path: leading words that are command names (`inference distributed submit`).
  while (i < args.length && !args[i].value.startsWith('-') && !hasExpansion(args[i])) {
    const w = args[i];
    const children = runaiSubcommands(parse.path.map((p) => p.value));
    if (isRunaiCommandWord(w.value) && (children.length === 0 || children.includes(w.value))) {
      parse.path.push(w);
      i++;
      continue;
    }
    // Only a group whose whole list of subcommands the reference gives can rule one out: of
    // `runai training` / `runai workspace` we know the legacy submit page and nothing else
    // (`runai training mpi submit`, `runai workspace delete` are real commands).
    if (children.length > 0 && parse.path.length > 0 && !findRunaiCommand(parse.path.map((p) => p.value)) && hasFullSubcommandList(parse.path.map((p) => p.value))) {
      const suggestion = closest(w.value, children);
      sink.report('runai/unknown-command', w.start, w.end, `\`runai ${parse.path.map((p) => p.value).join(' ')}\` has no subcommand \`${w.value}\`${suggestion ? `; did you mean \`${suggestion}\`?` : '.'} Known: ${children.join(', ')}.`, {
        fixes: suggestion ? [replaceFix(`Change to ${suggestion}`, w.start, w.end, suggestion)] : [],
      });
    }
    break;
  }
  parse.command = findRunaiCommand(parse.path.map((p) => p.value));
  const known = parse.command !== undefined;
  const counts = new Map<RunaiFlag, number>();

  for (; i < args.length; i++) {
    const w = args[i];
    const v = w.value;
    if (!v.startsWith('-') || v === '-' || hasExpansion(w, 0, 1)) {
      parse.positionals.push(w);
      continue;
    }
    const long = v.startsWith('--');
    const eq = v.indexOf('=');
    let spelling = eq >= 0 ? v.slice(0, eq) : v;
    let valueFrom = eq >= 0 ? eq + 1 : -1;
    // pflag shorthand with the value attached: `-g2`, `-pteam`.
    if (!long && eq < 0 && v.length > 2 && !lookupRunaiFlag(parse.command, v)) {
      spelling = v.slice(0, 2);
      valueFrom = 2;
    }
    if (hasExpansion(w, 0, spelling.length)) continue;
    const found = lookupRunaiFlag(parse.command, spelling) ?? legacyFallback(parse.command, spelling);
    if (!found) {
      if (known) reportUnknownFlag(w, spelling, parse.command!, sink);
      // Assume a value follows unless it looks like a flag: fewer knock-on errors.
      if (valueFrom < 0 && args[i + 1] && !args[i + 1].value.startsWith('-')) i++;
      continue;
    }
    const flag = found.flag;
    const option: RunaiOption = { flag, word: w, spelling, valueFrom: 0 };
    let swallowed = false;
    if (flag.type === 'bool') {
      if (valueFrom >= 0) {
        option.value = w;
        option.valueFrom = valueFrom;
        const b = v.slice(valueFrom);
        if (!hasExpansion(w, valueFrom) && !/^(?:true|false|1|0|t|f|TRUE|FALSE|True|False)$/.test(b)) {
          const [s, e] = valueRange(w, valueFrom, v.length);
          sink.report('runai/invalid-value', s, e, `${flag.name} is a boolean: write ${flag.name} or ${flag.name}=false; \`${b}\` is not a boolean.`);
        }
      }
    } else if (valueFrom >= 0) {
      option.value = w;
      option.valueFrom = valueFrom;
    } else if (args[i + 1]) {
      // pflag takes the next word as the value whatever it starts with (`--arguments "-lc '...'"`,
      // `--gpu-memory-request -1`); only when that word is one of the command's own flags was a
      // value most likely left out, and then that flag is swallowed.
      const next = args[i + 1];
      const nextSpelling = next.value.split('=')[0];
      if (next.value.startsWith('-') && !hasExpansion(next, 0, nextSpelling.length) && !/\s/.test(next.value) && lookupRunaiFlag(parse.command, nextSpelling)) {
        sink.report('missing-value', ...valueRange(w, 0, spelling.length), `${spelling} needs a value${flag.syntax ? ` (${flag.syntax})` : ''}; the CLI takes the next word, \`${next.value}\`, as that value, so ${nextSpelling} is not applied.`);
        swallowed = true;
      }
      option.value = args[++i];
    } else {
      sink.report('missing-value', ...valueRange(w, 0, spelling.length), `${spelling} needs a value${flag.syntax ? ` (${flag.syntax})` : ''}; the CLI stops with "flag needs an argument".`);
    }
    const earlier = parse.options.filter((o) => o.flag === flag);
    parse.options.push(option);
    counts.set(flag, (counts.get(flag) ?? 0) + 1);
    // A switch given twice with the same value (`--command ... --command`) changes nothing.
    const sameSwitch = flag.type === 'bool' && earlier.every((o) => boolValue(o) === boolValue(option));
    if ((counts.get(flag) ?? 0) > 1 && !isRepeatable(flag) && !sameSwitch) {
      sink.report('duplicate-flag', ...valueRange(w, 0, spelling.length), `${flag.name} is given more than once; the CLI keeps only the last value.`);
    }
    if (option.value && !swallowed) checkOptionValue(option, flag, parse, sink);
  }
  return parse;
}

/**
 * On a command known only from its 2.19–2.20 page, a long flag the current CLI documents on
 * another command (`--preemptibility`, `--environment-variable`) is accepted with that definition.
 */
function legacyFallback(command: RunaiCommand | undefined, spelling: string): RunaiFlagLookup | undefined {
  if (!command?.legacy) return undefined;
  const flag = currentGenerationRunaiFlag(spelling);
  return flag ? { flag, global: false } : undefined;
}

/** The value a boolean option sets (`--x` and `--x=true` alike). */
function boolValue(o: RunaiOption): boolean {
  if (!o.value) return true;
  return /^(?:true|1|t)$/i.test(o.value.value.slice(o.valueFrom));
}

/** Whether the reference lists every subcommand of `runai <path>` (its command tree has the group). */
function hasFullSubcommandList(path: string[]): boolean {
  return Object.prototype.hasOwnProperty.call(runaiData().commandTree, ['runai', ...path].join(' '));
}

function isRepeatable(flag: RunaiFlag): boolean {
  return flag.repeatable === true || /Array$|^strings$|^ints$/.test(flag.type);
}

function reportUnknownFlag(w: Word, spelling: string, command: RunaiCommand, sink: FindingSink): void {
  const names = [...command.flags.map((f) => f.name), ...runaiData().global.map((f) => f.name)];
  if (spelling.startsWith('-') && !spelling.startsWith('--')) names.push(...command.flags.flatMap((f) => (f.short ? [f.short] : [])));
  const suggestion = closest(spelling, names) ?? sameWords(spelling, names);
  const [start, end] = valueRange(w, 0, spelling.length);
  const hint = suggestion ? `; did you mean ${suggestion}?` : '.';
  const fixes = suggestion ? [replaceFix(`Change to ${suggestion}`, start, end, suggestion)] : [];
  const path = `runai ${command.path.join(' ')}`;
  if (command.legacy) {
    // Only the 2.19–2.20 page of this command is known, and newer CLIs added flags to it: a
    // warning, not a certain "unknown flag" error.
    sink.report('runai/unknown-flag', start, end, `\`${path}\` has no flag ${spelling} in the 2.19–2.20 CLI reference, the only version of this command rvn knows, nor on any newer command page${hint} Newer CLIs may have added it: check \`${path} --help\`.`, { severity: 'warning', fixes });
    return;
  }
  sink.report('runai/unknown-flag', start, end, `\`${path}\` has no flag ${spelling}${hint}`, { fixes });
}

/** A flag made of the same words in another order (`--prefix-name` for `--name-prefix`). */
function sameWords(spelling: string, names: string[]): string | undefined {
  if (!spelling.startsWith('--')) return undefined;
  const key = (s: string) => s.slice(2).split('-').sort().join('-');
  const k = key(spelling);
  return names.find((n) => n.startsWith('--') && n !== spelling && key(n) === k);
}

function checkOptionValue(option: RunaiOption, flag: RunaiFlag, parse: RunaiParse, sink: FindingSink): void {
  const word = option.value!;
  const from = option.valueFrom;
  const value = word.value.slice(from);
  if (flag.name === '--image') {
    if (!hasExpansion(word, from)) parse.image = value;
    return;
  }
  if (ENV_FLAGS.has(flag.name) || (flag.name === '--environment' && parse.command?.legacy)) {
    collectEnv(word, from, flag.name === '--worker-environment' ? 'runai-worker' : 'runai', parse, sink, flag);
    return;
  }
  if (flag.name === '--environment') {
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(value)) {
      const [start, end] = valueRange(option.word, 0, option.spelling.length);
      sink.report('runai/environment-asset', start, end, '--environment takes the name of an environment asset; to set a variable use --environment-variable NAME=VALUE (some Run:ai examples pass NAME=VALUE here, which only older CLIs accept).', {
        fixes: [replaceFix('Use --environment-variable', start, end, '--environment-variable')],
      });
      collectEnv(word, from, 'runai', parse, sink, flag);
    }
    return;
  }
  if (hasExpansion(word, from)) return;
  if (flag.compound) {
    checkCompound(word, from, flag, sink);
    return;
  }
  const problem = checkRunaiScalar(flag, value);
  if (problem) {
    const [s, e] = value.length ? valueRange(word, from, word.value.length) : [word.start, word.end];
    sink.report('runai/invalid-value', s, e, problem.message, {
      fixes: problem.suggestion ? [replaceFix(`Change to ${problem.suggestion}`, s, e, problem.suggestion)] : [],
    });
  }
}

function collectEnv(word: Word, from: number, source: 'runai' | 'runai-worker', parse: RunaiParse, sink: FindingSink, flag: RunaiFlag): void {
  if (from === 0) {
    const a = toAssignment(word, source);
    if (a) parse.env.push(a);
    else if (!hasExpansion(word)) sink.report('runai/malformed-value', word.start, word.end, `${flag.name} takes NAME=VALUE; \`${word.value}\` has no \`=\`.`);
    return;
  }
  // `--environment-variable=NAME=VALUE`: build a view of the word that starts at the value.
  const view: Word = {
    start: word.offsets[from] ?? word.end,
    end: word.end,
    value: word.value.slice(from),
    offsets: word.offsets.slice(from),
    expansions: word.expansions.filter(([, b]) => b > from).map(([a, b]) => [Math.max(0, a - from), b - from] as [number, number]),
  };
  const a = toAssignment(view, source);
  if (a) parse.env.push(a);
}
