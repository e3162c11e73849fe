/**
 * Completion inside Kubernetes YAML: vLLM flags and values in a container's `command`/`args`
 * items (or inside a `sh -c` script held by one), and variable names and values in `env` items.
 */
import type { CompletionItem } from 'vscode-languageserver-types';
import type { YamlModel } from '../yaml/yamlAnalysis';
import { containerVllmCall } from '../shell/invocations';
import { relexWord } from '../shell/relex';
import type { Word } from '../shell/lexer';
import { looksLikeVllmArgs } from '../analysis/shellAnalysis';
import { completeAtCursor, completeShell, envNameItems, envValueItems, type RangeFrom } from './completion';
import type { Cursor } from './cursor';

const ENV_NAME = /(?:^|[{,\s])name:\s*["']?([A-Za-z0-9_]*)$/;
const ENV_VALUE = /(?:^|[{,\s])value:\s*["']?([^"'{}]*)$/;

export function completeYaml(model: YamlModel, offset: number): CompletionItem[] {
  const { text, lines } = model;
  const range: RangeFrom = (start) => ({ start: lines.position(start), end: lines.position(offset) });
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);

  for (const c of model.containers) {
    const word = c.argv.find((w) => valueStart(w) <= offset && offset <= w.end);
    if (!word) continue;
    const index = c.argv.indexOf(word);
    // A `sh -c` script: complete inside it as in a shell script.
    if (word === c.analyzed.model.shellScript) {
      const lexed = relexWord(word);
      return completeShell({ ...model, lexed, commands: [] }, offset);
    }
    const call =
      c.analyzed.vllm?.call ??
      (c.commandLength === 0 ? containerVllmCall(c.argv, c.image ? /vllm/i.test(c.image) : looksLikeVllmArgs(c.argv)) : undefined);
    if (!call) return [];
    const cursor: Cursor = {
      offset,
      command: { words: c.argv, start: c.argv[0].start, end: c.argv[c.argv.length - 1].end },
      word,
      before: c.argv.slice(0, index),
      typed: text.slice(valueStart(word), offset),
      typedStart: valueStart(word),
      section: 'container',
      vllmCall: call,
    };
    return completeAtCursor(cursor, lines);
  }

  // env items, read from the line: `- name: NCCL_DE|` and `value: |` under a known name.
  if (!isInEnvList(model, offset)) return [];
  const name = ENV_NAME.exec(before);
  if (name) return envNameItems(offset - name[1].length, range, false);
  const value = ENV_VALUE.exec(before);
  if (value) {
    const varName = nameAbove(text, lineStart);
    if (varName) return envValueItems(varName, value[1], offset - value[1].length, range);
  }
  return [];
}

/** Where the item's text starts: after an opening quote, also for an empty `""`. */
function valueStart(w: Word): number {
  if (w.value.length > 0) return w.offsets[0];
  return w.end - w.start >= 2 ? w.start + 1 : w.start;
}

/** True when the offset lies inside some container's `env:` sequence. */
function isInEnvList(model: YamlModel, offset: number): boolean {
  return model.containers.some((c) => {
    const pair = c.node.map.items.find((p) => (p.key as { value?: unknown } | null)?.value === 'env');
    const range = (pair?.value as { range?: [number, number, number] } | undefined)?.range;
    return !!range && range[0] <= offset && offset <= range[2] + 1;
  });
}

/** The `name:` of the env item a `value:` line belongs to (same line in flow style, or the lines above). */
function nameAbove(text: string, lineStart: number): string | undefined {
  const line = text.slice(lineStart, text.indexOf('\n', lineStart) < 0 ? undefined : text.indexOf('\n', lineStart));
  const same = /name:\s*["']?([A-Za-z_][A-Za-z0-9_]*)/.exec(line);
  if (same) return same[1];
  let end = lineStart - 1;
  for (let i = 0; i < 3 && end > 0; i++) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    const m = /name:\s*["']?([A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(start, end));
    if (m) return m[1];
    end = start - 1;
  }
  return undefined;
}
