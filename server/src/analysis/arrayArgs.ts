/**
 * vLLM arguments kept in bash arrays: `ARGS=(--tensor-parallel-size 8)`, `ARGS+=(--dtype bf16)`,
 * then `vllm serve /m "${ARGS[@]}"`. Which appends run depends on the branches taken, so the
 * elements are checked one by one (unknown, removed or mistyped flags and their values, where the
 * value is in the same array) and never as a whole command: no duplicate, no cross-flag rule, no
 * rule that needs to know every argument.
 */
import { lexShell, type LexedScript, type Word } from '../shell/lexer';
import type { VllmCall } from '../shell/invocations';
import { FindingSink } from './context';
import { analyzeVllmCall } from './vllmArgs';
import type { VllmTarget } from './vllmTarget';

/** Findings about one flag and its value: sound on any subset of the arguments. */
const ELEMENT_RULES = new Set([
  'vllm/unknown-flag',
  'vllm/abbreviated-flag',
  'vllm/ambiguous-flag',
  'vllm/removed-flag',
  'vllm/flag-not-in-version',
  'vllm/deprecated-flag',
  'vllm/invalid-value',
  'vllm/unknown-value',
  'vllm/deprecated-value',
]);

const ASSIGNMENT = /^(?:[A-Za-z_][A-Za-z0-9_]*)(\+?)=\($/;
const NAME = /^([A-Za-z_][A-Za-z0-9_]*)/;
/** `"${ARGS[@]}"` or `${ARGS[*]}`, the whole word. */
const EXPANSION = /^"?\$\{([A-Za-z_][A-Za-z0-9_]*)\[[@*]\]\}"?$/;

/** Every array literal of the script by name, elements in source order (`=(…)` resets, `+=(…)` appends). */
export function collectArrays(lexed: LexedScript, text: string): Map<string, Word[]> {
  const arrays = new Map<string, Word[]>();
  for (const command of lexed.commands) {
    for (const w of command.words) {
      if (!w.value.includes('=(')) continue; // most words: no array literal, no slicing
      const source = text.slice(w.start, w.end);
      const open = source.indexOf('(');
      if (open < 0 || !source.endsWith(')') || !ASSIGNMENT.test(source.slice(0, open + 1))) continue;
      const name = NAME.exec(source)![1];
      const innerStart = w.start + open + 1;
      const elements = lexShell(text.slice(innerStart, w.end - 1), innerStart).commands.flatMap((c) => c.words);
      const append = source[open - 2] === '+';
      arrays.set(name, append ? [...(arrays.get(name) ?? []), ...elements] : elements);
    }
  }
  return arrays;
}

/**
 * Checks the elements of each array a vLLM call expands, once per array. Findings land on the
 * elements, where the user wrote them.
 */
export function checkArrayArguments(call: VllmCall, target: VllmTarget, arrays: Map<string, Word[]>, checked: Set<string>, sink: FindingSink, text: string): void {
  for (const w of call.args) {
    const name = EXPANSION.exec(text.slice(w.start, w.end))?.[1];
    const elements = name !== undefined ? arrays.get(name) : undefined;
    if (!name || !elements?.length || checked.has(name)) continue;
    checked.add(name);
    const scratch = new FindingSink();
    analyzeVllmCall({ ...call, args: elements }, target, scratch, text);
    const onElement = (start: number) => elements.some((e) => start >= e.start && start < e.end);
    for (const f of scratch.findings) if (ELEMENT_RULES.has(f.rule) && onElement(f.start)) sink.findings.push(f);
  }
}
