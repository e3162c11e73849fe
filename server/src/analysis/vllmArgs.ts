/**
 * Checks the arguments of one vLLM server invocation the way vLLM's parser reads them:
 * underscores become dashes, unambiguous prefixes of long options are accepted, `-O<n>` is the
 * optimisation shorthand, dotted keys address JSON options, `--model` under `vllm serve` is moved
 * to the positional slot with a warning. Values that come from shell expansions are unknown and
 * never judged.
 */
import { hasExpansion, valueRange, type Word } from '../shell/lexer';
import type { VllmCall } from '../shell/invocations';
import { allVllmSpellings, lookupVllmFlag, normaliseVllmOption, removedVllmFlag, vllmData, vllmDeprecation, vllmFlagsWithPrefix } from '../knowledge/vllm';
import { closest } from '../knowledge/suggest';
import type { VllmFlag } from '../knowledge/types';
import { includesChange, presenceOfAddition, presenceOfRemoval, versionAround } from '../knowledge/vllmVersions';
import { replaceFix, type FindingSink, type OffsetFix } from './context';
import { checkVllmValue } from './vllmValues';
import { describeTarget, type VllmTarget } from './vllmTarget';

/** One option as written, with the value it took. */
export interface VllmOption {
  flag?: VllmFlag;
  /** The word holding the option name. */
  word: Word;
  /** The spelling as written, up to `=` (e.g. `--max_model_len`). */
  spelling: string;
  negated: boolean;
  /** The value words (or the `=value` part of `word`, see valueFrom). */
  values: Word[];
  /** For `--flag=value`: index in word.value where the value starts. */
  valueFrom?: number;
}

export interface VllmParse {
  call: VllmCall;
  options: VllmOption[];
  positionals: Word[];
  /** The model: the positional, or the value of --model. */
  model?: { word: Word; from: number };
  target: VllmTarget;
}

const NEGATIVE_NUMBER = /^-\d+$|^-\d*\.\d+$/;
const O_SHORTHAND = /^-O(?!-)(.*)$/;

function looksLikeOption(w: Word | undefined): boolean {
  if (!w) return false;
  if (hasExpansion(w, 0, 1)) return false;
  return w.value.startsWith('-') && w.value.length > 1 && !NEGATIVE_NUMBER.test(w.value);
}

function isDynamic(w: Word): boolean {
  return hasExpansion(w);
}

export function analyzeVllmCall(call: VllmCall, target: VllmTarget, sink: FindingSink, text: string): VllmParse {
  const parse: VllmParse = { call, options: [], positionals: [], target };
  const args = call.args;
  const positionalsAllowed = 1;
  let opaque = false;
  const seen = new Map<VllmFlag, VllmOption>();
  // Deprecated quantization methods are fine when the user opted in explicitly.
  const allowsDeprecated = args.some((w) => /^--allow[-_]deprecated[-_]quantization$/.test(w.value));
  // `vllm … --omni` hands the command to the vllm-omni package, which adds options of its own.
  const omni = call.entry !== 'api-server' && args.some((w) => w.value === '--omni') && delegatesToOmni(target);

  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    const v = w.value;
    if (isDynamic(w) && (hasExpansion(w, 0, 1) || !v.startsWith('-'))) {
      // `$EXTRA_ARGS` may expand to any number of words: positional counting stops being reliable.
      if (hasExpansion(w, 0, 1)) opaque = true;
      else parse.positionals.push(w);
      continue;
    }
    if (v === '--') {
      parse.positionals.push(...args.slice(i + 1));
      break;
    }
    if (omni && v === '--omni') continue;
    if (!looksLikeOption(w)) {
      parse.positionals.push(w);
      continue;
    }
    const eq = v.indexOf('=');
    const spelling = eq >= 0 ? v.slice(0, eq) : v;
    if (hasExpansion(w, 0, spelling.length)) continue;

    // -O3, -O=3, -O 3: the optimisation-level shorthand.
    const o = O_SHORTHAND.exec(v);
    if (o && !v.startsWith('--')) {
      const flag = lookupVllmFlag('--optimization-level')?.flag;
      let valueWord: Word | undefined;
      let valueFrom: number | undefined;
      if (o[1] === '' && /^[0-3]$/.test(args[i + 1]?.value ?? '')) {
        valueWord = args[++i];
      } else if (o[1] !== '') {
        valueFrom = o[1].startsWith('=') ? 3 : 2;
      }
      const option: VllmOption = { flag, word: w, spelling: '-O', negated: false, values: valueWord ? [valueWord] : valueFrom !== undefined ? [w] : [], valueFrom };
      parse.options.push(option);
      const value = valueWord ? valueWord.value : valueFrom !== undefined ? v.slice(valueFrom) : undefined;
      if (value === undefined) sink.report('missing-value', w.start, w.end, '-O needs a level 0–3, written -O3, -O=3 or -O 3; vLLM rejects a bare -O.');
      else if (!/^[0-3]$/.test(value) && !(valueWord ? isDynamic(valueWord) : hasExpansion(w, valueFrom!))) {
        const [s, e] = valueWord ? [valueWord.start, valueWord.end] : valueRange(w, valueFrom!, v.length);
        sink.report('vllm/invalid-value', s, e, `-O sets --optimization-level, which accepts 0, 1, 2 or 3; \`${value}\` fails when vLLM builds its config.`);
      }
      continue;
    }

    const resolved = resolveOption(w, spelling, sink, target, call.entry === 'api-server' && !call.entryUncertain ? 'The api_server module' : 'vllm serve', omni);
    if (resolved === 'skip-value') {
      // Unknown option: if a plain word follows, it is most likely its value, not a model.
      if (eq < 0 && args[i + 1] && !looksLikeOption(args[i + 1])) i++;
      continue;
    }
    if (!resolved) continue;
    const { flag, negated, dotted } = resolved;
    const option: VllmOption = { flag, word: w, spelling, negated, values: [] };
    if (eq >= 0) option.valueFrom = eq + 1;

    const takes = dotted ? 'one' : negated ? 'none' : flag.takes;
    if (takes === 'none') {
      if (eq >= 0) {
        const [s, e] = valueRange(w, eq, v.length);
        sink.report('vllm/unexpected-argument', s, e, `${spelling} is a switch and takes no value; argparse rejects \`${v}\`.`, {
          fixes: [replaceFix(`Remove "${v.slice(eq)}"`, s, e, '')],
        });
      } else if (/^(?:true|false|yes|no|on|off|0|1)$/i.test(args[i + 1]?.value ?? '')) {
        const next = args[i + 1];
        const negate = /^(?:false|no|off|0)$/i.test(next.value);
        const replacement = negate ? (flag.negated ?? undefined) : spelling;
        const becomes = call.entry === 'api-server' || parse.positionals.length > 0 ? 'an extra argument, and vLLM exits with "unrecognized arguments"' : 'the model name';
        sink.report('vllm/unexpected-argument', next.start, next.end, `${spelling} is a switch and takes no value: \`${next.value}\` would be read as ${becomes}.${negate && flag.negated ? ` Use ${flag.negated} to turn it off.` : ''}`, {
          fixes: replacement ? [replaceFix(negate ? `Use ${replacement}` : `Remove "${next.value}"`, w.start, next.end, replacement)] : [],
        });
        i++;
      }
    } else if (eq < 0) {
      if (takes === 'list') {
        while (args[i + 1] && !looksLikeOption(args[i + 1])) option.values.push(args[++i]);
      } else if (takes === 'one') {
        if (args[i + 1] && !looksLikeOption(args[i + 1])) option.values.push(args[++i]);
      } else if (takes === 'optional') {
        if (args[i + 1] && !looksLikeOption(args[i + 1]) && flag.type !== 'bool|str') option.values.push(args[++i]);
      }
      if (option.values.length === 0 && takes !== 'optional' && !(args[i + 1] && hasExpansion(args[i + 1], 0, 1))) {
        const next = args[i + 1];
        sink.report('missing-value', ...valueRange(w, 0, spelling.length), `${spelling} needs a value${next ? `, but the next word \`${next.value}\` is an option` : ''}; vLLM exits with "expected one argument".`);
      }
    }
    parse.options.push(option);
    checkValues(option, flag, dotted, sink, allowsDeprecated, target);

    const previous = seen.get(flag);
    if (previous && !flag.repeatable && !dotted) {
      sink.report('duplicate-flag', ...valueRange(w, 0, spelling.length), `${flag.name} is already given earlier${previous.word.start < w.start ? '' : ' later'}; vLLM keeps only the last value.`);
    }
    if (!dotted) seen.set(flag, option);
  }

  finishPositionals(parse, sink, opaque, positionalsAllowed, text);
  return parse;
}

interface ResolvedOption {
  flag: VllmFlag;
  negated: boolean;
  dotted: boolean;
}

/** Finds the flag a spelling means, reporting unknown, removed, abbreviated and version problems. */
/** `program` names what parses the options, for messages (`vllm serve`, the api_server module). */
/** Under `--omni` (`omni`), options vLLM does not know may be vllm-omni's own and are not reported. */
function resolveOption(w: Word, spelling: string, sink: FindingSink, target: VllmTarget, program: string, omni = false): ResolvedOption | undefined | 'skip-value' {
  const normalised = normaliseVllmOption(spelling);
  const dot = normalised.indexOf('.');
  const base = dot > 0 ? normalised.slice(0, dot) : normalised;
  // Ranges come from the value's offsets, so quotes around the word are not underlined.
  const [nameStart, nameEnd] = valueRange(w, 0, spelling.length);
  const baseEnd = dot > 0 ? valueRange(w, 0, dot)[1] : nameEnd;

  let found = lookupVllmFlag(base);
  if (!found && base.startsWith('--')) {
    const removed = removedVllmFlag(base);
    if (removed) {
      reportRemoved(removed.name, nameStart, baseEnd, sink, target);
      return 'skip-value';
    }
    const candidates = vllmFlagsWithPrefix(base);
    const negCandidates = base.startsWith('--no-') ? vllmFlagsWithPrefix(`--${base.slice(5)}`).filter((f) => f.negated?.startsWith(base)) : [];
    if (candidates.length === 1 || (candidates.length === 0 && negCandidates.length === 1)) {
      const flag = candidates[0] ?? negCandidates[0];
      const full = candidates.length === 1 ? (flag.name.startsWith(base) ? flag.name : (flag.negated ?? flag.name)) : flag.negated!;
      sink.report('vllm/abbreviated-flag', nameStart, baseEnd, `\`${spelling}\` is an abbreviation of ${full}. vLLM accepts it only while no other flag starts the same way, so a future release can break it.`, {
        fixes: [replaceFix(`Write ${full}`, nameStart, baseEnd, full)],
      });
      found = { flag, negated: candidates.length === 0 || full === flag.negated };
    } else if (candidates.length > 1) {
      sink.report('vllm/ambiguous-flag', nameStart, baseEnd, `\`${spelling}\` could be ${candidates.slice(0, 4).map((c) => c.name).join(', ')}${candidates.length > 4 ? ', …' : ''}; vLLM refuses an ambiguous abbreviation.`);
      return 'skip-value';
    }
  }
  if (!found && omni) return 'skip-value';
  if (!found) {
    const suggestion = closest(base, allVllmSpellings().filter((s) => s.startsWith(base.startsWith('--') ? '--' : '-')));
    const newer = target.beyondKnowledge ? ` rvn knows vLLM up to ${vllmData().newestKnown}; if ${spelling} is new in ${target.version.text}, ignore this.` : '';
    sink.report('vllm/unknown-flag', nameStart, baseEnd, `${program} has no option ${spelling}${suggestion ? `; did you mean ${suggestion}?` : '.'}${newer}`, {
      severity: target.beyondKnowledge ? 'warning' : undefined,
      fixes: suggestion ? [replaceFix(`Change to ${suggestion}`, nameStart, baseEnd, suggestion)] : [],
    });
    return 'skip-value';
  }
  const { flag, negated } = found;
  if (dot > 0 && !flag.type.startsWith('json')) {
    sink.report('vllm/invalid-value', nameStart, nameEnd, `${flag.name} is not a JSON option, so the dotted key \`${normalised.slice(dot)}\` cannot be used with it.`);
  }
  checkVersion(flag, nameStart, baseEnd, sink, target);
  checkDeprecation(flag, w, sink);
  return { flag, negated, dotted: dot > 0 };
}

/** Whether the targeted release hands `--omni` commands to vllm-omni (unknown counts as yes). */
function delegatesToOmni(target: VllmTarget): boolean {
  const since = vllmData().omniDelegationSince;
  if (!since || !target.release) return !!since;
  return includesChange(since, target.release) !== 'absent';
}

function reportRemoved(name: string, start: number, end: number, sink: FindingSink, target: VllmTarget): void {
  const removed = removedVllmFlag(name)!;
  const presence = target.release ? presenceOfRemoval(removed.lastSeen, removed.goneBy, target.release) : 'absent';
  if (presence === 'present') return;
  const around = versionAround(removed.goneBy, vllmData().versions);
  const why = removed.why ? ` (${removed.why})` : '';
  const instead = removed.replacement ? ` Use ${removed.replacement} instead.` : '';
  // Only a plain rename is safe to apply mechanically; other successors take different values.
  const fixes: OffsetFix[] = removed.rename && removed.replacement ? [replaceFix(`Replace with ${removed.replacement}`, start, end, removed.replacement)] : [];
  if (presence === 'absent') {
    sink.report('vllm/removed-flag', start, end, `${name} was removed from vLLM on ${removed.goneBy}${around ? ` (before ${around})` : ''}${why}; ${describeTarget(target)} rejects it.${instead}`, { fixes });
  } else {
    sink.report('vllm/removed-flag', start, end, `${name} was removed from vLLM on ${removed.goneBy}${around ? ` (around ${around})` : ''}${why}; ${describeTarget(target)} may no longer accept it.${instead}`, { severity: 'warning', fixes });
  }
}

function checkVersion(flag: VllmFlag, start: number, end: number, sink: FindingSink, target: VllmTarget): void {
  if (!target.release || !flag.addedBy) return;
  const presence = presenceOfAddition(flag.addedAfter, flag.addedBy, target.release);
  if (presence === 'absent') {
    sink.report('vllm/flag-not-in-version', start, end, `${flag.name} was added to vLLM after ${flag.addedAfter}, later than ${describeTarget(target)}; that version rejects it. Upgrade the image or drop the flag.`);
  }
}

function checkDeprecation(flag: VllmFlag, w: Word, sink: FindingSink): void {
  const dep = vllmDeprecation(flag.name);
  if (!dep || flag.name === '--model') return; // --model depends on the entry point: see finishPositionals
  const eq = w.value.indexOf('=');
  const [start, end] = valueRange(w, 0, eq < 0 ? w.value.length : eq);
  sink.report('vllm/deprecated-flag', start, end, `${flag.name} is deprecated: ${dep.why}.${dep.replacement ? ` Use ${dep.replacement}.` : ''}`, {
    fixes: dep.replacement?.startsWith('--') ? [replaceFix(`Replace with ${dep.replacement}`, start, end, dep.replacement)] : [],
  });
}

function checkValues(option: VllmOption, flag: VllmFlag, dotted: boolean, sink: FindingSink, allowsDeprecatedQuantization: boolean, target: VllmTarget): void {
  if (dotted) return; // the value of a dotted key belongs to the JSON class; we don't know its fields
  const items: Array<{ word: Word; from: number }> = option.valueFrom !== undefined ? [{ word: option.word, from: option.valueFrom }] : option.values.map((word) => ({ word, from: 0 }));
  for (const { word, from } of items) {
    if (hasExpansion(word, from)) continue;
    const value = word.value.slice(from);
    const parts = flag.valueFormat === 'comma_separated' || (flag.type.startsWith('list[') && option.valueFrom !== undefined && value.includes(',')) ? value.split(',') : [value];
    let offset = from;
    for (const part of parts) {
      const problem = checkVllmValue(flag, part, target.release);
      if (problem && !(problem.rule === 'vllm/deprecated-value' && flag.name === '--quantization' && allowsDeprecatedQuantization)) {
        const [s, e] = part.length ? valueRange(word, offset, offset + part.length) : [word.start, word.end];
        sink.report(problem.rule, s, e, problem.message, {
          severity: problem.severity,
          fixes: problem.suggestion ? [replaceFix(`Change to ${problem.suggestion}`, s, e, problem.suggestion)] : [],
        });
      }
      offset += part.length + 1;
    }
  }
}

function finishPositionals(parse: VllmParse, sink: FindingSink, opaque: boolean, allowed: number, text: string): void {
  const { call } = parse;
  const modelOption = parse.options.find((o) => o.flag?.name === '--model');
  const serveLike = call.entry !== 'api-server';
  if (serveLike && parse.positionals.length > 0) parse.model = { word: parse.positionals[0], from: 0 };
  else if (modelOption) {
    const w = modelOption.valueFrom !== undefined ? modelOption.word : modelOption.values[0];
    if (w) parse.model = { word: w, from: modelOption.valueFrom ?? 0 };
  }

  if (call.entry === 'api-server') {
    if (parse.positionals.length > 0 && !opaque && !call.entryUncertain) {
      const p = parse.positionals[0];
      sink.report('vllm/unexpected-argument', p.start, p.end, `The api_server module ignores a positional model: \`${p.value}\` is parsed but never used, and the default model is served instead. Pass it with --model.`, {
        fixes: [replaceFix('Pass it with --model', p.start, p.end, `--model ${text.slice(p.start, p.end)}`)],
      });
    }
    return;
  }

  if (!opaque && parse.positionals.length > allowed) {
    for (const p of parse.positionals.slice(allowed)) {
      sink.report('vllm/unexpected-argument', p.start, p.end, `vllm serve takes one model argument; \`${p.value}\` is extra and vLLM exits with "unrecognized arguments".`);
    }
  }
  if (modelOption) reportModelFlag(parse, modelOption, sink, text);

  // vLLM refuses --served-model-name when the word after `serve` is an option (no model first),
  // unless --config is given or the model came through --model (which vLLM moves to the front).
  const first = call.args[0];
  const servedName = parse.options.find((o) => /^--served[-_]model[-_]name$/.test(o.spelling));
  const hasConfig = parse.options.some((o) => o.spelling === '--config' || o.word.value.startsWith('--config='));
  if (servedName && first && looksLikeOption(first) && !modelOption && !hasConfig && !opaque) {
    const [s, e] = valueRange(servedName.word, 0, servedName.spelling.length);
    sink.report('vllm/served-model-name-without-model', s, e, 'vllm serve refuses --served-model-name unless the model comes right after `serve` (or --config is used). Put the model path first.');
  }
}

/** Roughly when `vllm serve` stopped refusing the `--model=X` spelling (only `--model X` stayed refused). */
const MODEL_EQUALS_ACCEPTED_FROM = '2025-04-01';

function reportModelFlag(parse: VllmParse, option: VllmOption, sink: FindingSink, text: string): void {
  const dep = vllmDeprecation('--model')!;
  const { target, call } = parse;
  if (call.entryUncertain) return; // an image of that age may run api_server, where --model is the normal way
  const w = option.word;
  const valueWord = option.valueFrom !== undefined ? undefined : option.values[0];
  const end = valueWord ? valueWord.end : w.end;
  // Until 2025-10 `vllm serve` refused --model outright; since then it warns and moves the value.
  let refusedThen = target.source !== 'default' && !!target.release && !!dep.errorBefore && includesChange(dep.errorBefore, target.release) === 'absent';
  // From about 2025-04 the refusal matched the separate word `--model` only, so `--model=X` got
  // through; the exact date is not known, so within that span the joined form is not an error.
  if (refusedThen && option.valueFrom !== undefined && includesChange(MODEL_EQUALS_ACCEPTED_FROM, target.release!) !== 'absent') refusedThen = false;
  const fixes: OffsetFix[] = [];
  if (parse.positionals.length === 0) {
    const valueText = valueWord ? text.slice(valueWord.start, valueWord.end) : text.slice(w.offsets[option.valueFrom!] ?? w.end, w.end);
    if (valueText) {
      const firstArg = call.args[0];
      if (firstArg === w) {
        fixes.push(replaceFix('Give the model as the positional argument', w.start, end, valueText));
      } else {
        let delStart = w.start;
        while (delStart > 0 && /[ \t]/.test(text[delStart - 1])) delStart--;
        if (text.slice(delStart - 2, delStart) === '\\\n') {
          delStart -= 2;
          while (delStart > 0 && /[ \t]/.test(text[delStart - 1])) delStart--;
        }
        fixes.push({ title: 'Give the model as the positional argument', preferred: true, edits: [{ start: firstArg.start, end: firstArg.start, newText: `${valueText} ` }, { start: delStart, end, newText: '' }] });
      }
    }
  }
  const [nameStart, nameEnd] = valueRange(w, 0, option.spelling.length);
  if (refusedThen) {
    sink.report('vllm/deprecated-flag', nameStart, nameEnd, `${describeTarget(target)} refuses --model with \`vllm serve\`: give the model as the first positional argument.`, { severity: 'error', fixes });
  } else {
    sink.report('vllm/deprecated-flag', nameStart, nameEnd, `--model is deprecated with \`vllm serve\`: vLLM moves the value to the positional slot and warns that the option will be removed. Give the model as the first argument instead.`, { fixes });
  }
}
