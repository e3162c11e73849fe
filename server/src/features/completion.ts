/**
 * Completion in shell scripts: Run:ai subcommands and flags, vLLM flags after `vllm serve` or a
 * Run:ai `--`, enum values after a flag or `=`, keys of Run:ai `key=value` lists, and NCCL / vLLM /
 * Hugging Face variable names and values wherever a variable is being set.
 */
import { CompletionItemKind, MarkupKind, type CompletionItem } from 'vscode-languageserver-types';
import type { ShellModel } from '../analysis/shellAnalysis';
import { findRunaiCommand, isRunaiCommandWord, lookupRunaiFlag, runaiData, runaiSubcommands } from '../knowledge/runai';
import { lookupVllmFlag, vllmData } from '../knowledge/vllm';
import { lookupNcclVar, ncclData } from '../knowledge/nccl';
import { envData, lookupEnvVar } from '../knowledge/env';
import type { RunaiCommand, RunaiFlag } from '../knowledge/types';
import { cursorAt, type Cursor } from './cursor';
import type { LineIndex } from '../analysis/lineIndex';
import { envVarDoc, ncclVarDoc, runaiFlagDoc, vllmFlagDoc } from './docs';

const ENV_VALUE_FLAGS = new Set(['-e', '--environment-variable', '--worker-environment', '--environment']);

export function completeShell(shell: ShellModel, offset: number): CompletionItem[] {
  return completeAtCursor(cursorAt(shell, offset), shell.lines);
}

/** Completion for a cursor already placed in a command (shell scripts and YAML argv items). */
export function completeAtCursor(cursor: Cursor, lines: LineIndex): CompletionItem[] {
  const offset = cursor.offset;
  const range = (start: number) => ({ start: lines.position(start), end: lines.position(offset) });
  const typed = cursor.typed;
  const prev = cursor.before[cursor.before.length - 1]?.value;

  switch (cursor.section) {
    case 'runai':
      return completeRunai(cursor, range);
    case 'vllm':
    case 'container':
      return cursor.vllmCall ? completeVllm(cursor, range) : [];
    case 'docker':
      if (prev === '-e' || prev === '--env') return completeEnv(typed, cursor.typedStart, range);
      return [];
    case 'export':
    case 'command-start':
      if (/^[A-Z_][A-Z0-9_]*(=.*)?$/.test(typed) || cursor.section === 'export') return completeEnv(typed, cursor.typedStart, range);
      return [];
    default:
      if (prev === '-x' && /mpirun|mpiexec/.test(cursor.before[0]?.value ?? '')) return completeEnv(typed, cursor.typedStart, range);
      return [];
  }
}

export type RangeFrom = (start: number) => { start: { line: number; character: number }; end: { line: number; character: number } };

function completeRunai(cursor: Cursor, range: RangeFrom): CompletionItem[] {
  const words = cursor.before.slice(1); // after `runai`
  const path: string[] = [];
  for (const w of words) {
    if (w.value.startsWith('-') || !isRunaiCommandWord(w.value)) break;
    path.push(w.value);
  }
  const command = findRunaiCommand(path);
  const typed = cursor.typed;
  const prevWord = cursor.before[cursor.before.length - 1];
  const prevFlag = prevWord?.value.startsWith('-') ? lookupRunaiFlag(command, prevWord.value)?.flag : undefined;

  if (typed.startsWith('-') && !typed.includes('=')) return runaiFlagItems(command, cursor.typedStart, range);
  const eq = typed.indexOf('=');
  if (typed.startsWith('--') && eq > 0) {
    const flag = lookupRunaiFlag(command, typed.slice(0, eq))?.flag;
    if (flag) return runaiValueItems(flag, typed.slice(eq + 1), cursor.typedStart + eq + 1, range);
    return [];
  }
  if (prevFlag && prevFlag.type !== 'bool') return runaiValueItems(prevFlag, typed, cursor.typedStart, range);
  if (words.length === path.length && !command) {
    return runaiSubcommands(path).map((name) => ({ label: name, kind: CompletionItemKind.Module, textEdit: { range: range(cursor.typedStart), newText: name } }));
  }
  return [];
}

function runaiFlagItems(command: RunaiCommand | undefined, start: number, range: RangeFrom): CompletionItem[] {
  const flags = [...(command?.flags ?? []), ...runaiData().global];
  return flags.map((f) => ({
    label: f.name,
    kind: CompletionItemKind.Property,
    detail: f.short ? `${f.short} · ${f.type}` : f.type,
    data: { doc: 'runai-flag', name: f.name, command: command?.key } satisfies CompletionData,
    textEdit: { range: range(start), newText: f.name },
    // Flags that take a value get a trailing space so the value can follow at once.
    ...(f.type !== 'bool' ? { command: { title: 'Suggest', command: 'editor.action.triggerSuggest' } } : {}),
    filterText: f.name,
    sortText: `${f.name.startsWith('--worker-') ? '1' : '0'}${f.name}`,
  }));
}

function runaiValueItems(flag: RunaiFlag, typed: string, start: number, range: RangeFrom): CompletionItem[] {
  if (ENV_VALUE_FLAGS.has(flag.name)) return completeEnv(typed, start, range);
  if (flag.choices) return flag.choices.map((c) => ({ label: c, kind: CompletionItemKind.EnumMember, textEdit: { range: range(start), newText: c } }));
  if (flag.type === 'bool') return ['true', 'false'].map((c) => ({ label: c, kind: CompletionItemKind.Value, textEdit: { range: range(start), newText: c } }));
  const spec = flag.compound;
  if (!spec) return [];
  // Inside `key=value,key2=...`: complete the item under the cursor.
  const itemStart = typed.lastIndexOf(',') + 1;
  const item = typed.slice(itemStart);
  const used = new Set(typed.slice(0, itemStart).split(',').map((i) => i.split('=')[0]));
  const eq = item.indexOf('=');
  if (eq >= 0) {
    const key = spec.keys.find((k) => k.key === item.slice(0, eq));
    return (key?.values ?? []).map((v) => ({ label: v, kind: CompletionItemKind.EnumMember, textEdit: { range: range(start + itemStart + eq + 1), newText: v } }));
  }
  const keyItems: CompletionItem[] = spec.keys
    .filter((k) => !used.has(k.key))
    .map((k) => ({
      label: `${k.key}=`,
      kind: CompletionItemKind.Field,
      detail: `${k.placeholder}${k.required ? ' (required)' : ''}`,
      textEdit: { range: range(start + itemStart), newText: `${k.key}=` },
      command: { title: 'Suggest', command: 'editor.action.triggerSuggest' },
      sortText: `${k.required ? '0' : '1'}${k.key}`,
    }));
  const switchItems: CompletionItem[] = spec.switches.filter((s) => !used.has(s)).map((s) => ({ label: s, kind: CompletionItemKind.Keyword, textEdit: { range: range(start + itemStart), newText: s }, sortText: `2${s}` }));
  return [...keyItems, ...switchItems];
}

export function completeVllm(cursor: Cursor, range: RangeFrom): CompletionItem[] {
  const typed = cursor.typed;
  const eq = typed.indexOf('=');
  if (typed.startsWith('-') && eq < 0) {
    return vllmData().flags.flatMap((f) => {
      const item: CompletionItem = {
        label: f.name,
        kind: CompletionItemKind.Property,
        detail: [f.aliases.join(', '), f.type].filter(Boolean).join(' · '),
        data: { doc: 'vllm-flag', name: f.name } satisfies CompletionData,
        textEdit: { range: range(cursor.typedStart), newText: f.name },
        sortText: `${f.group === '(top-level)' || /Parallel|Model|Cache|Frontend/.test(f.group) ? '0' : '1'}${f.name}`,
        ...(f.takes !== 'none' && (f.choices || f.knownValues) ? { command: { title: 'Suggest', command: 'editor.action.triggerSuggest' } } : {}),
      };
      return f.negated ? [item, { ...item, label: f.negated, textEdit: { range: range(cursor.typedStart), newText: f.negated }, sortText: `2${f.negated}` }] : [item];
    });
  }
  const flagWord = eq > 0 ? typed.slice(0, eq) : cursor.before[cursor.before.length - 1]?.value;
  const flag = flagWord?.startsWith('-') ? lookupVllmFlag(flagWord)?.flag : undefined;
  if (!flag || flag.takes === 'none') return [];
  const start = eq > 0 ? cursor.typedStart + eq + 1 : cursor.typedStart;
  const values = flag.choices ?? flag.knownValues ?? (flag.name === '--optimization-level' ? ['0', '1', '2', '3'] : []);
  return values
    .filter((v) => v !== 'None')
    .map((v) => ({ label: v, kind: CompletionItemKind.EnumMember, detail: flag.name, textEdit: { range: range(start), newText: v }, ...(flag.default === v ? { preselect: true } : {}) }));
}

/** Variable names, or values after `NAME=` (and after a comma for list variables). */
function completeEnv(typed: string, start: number, range: RangeFrom): CompletionItem[] {
  const eq = typed.indexOf('=');
  if (eq < 0) return envNameItems(start, range, true);
  return envValueItems(typed.slice(0, eq), typed.slice(eq + 1), start + eq + 1, range);
}

/** NCCL, vLLM, Hugging Face and runtime variable names; `assign` adds the `=` a shell needs. */
export function envNameItems(start: number, range: RangeFrom, assign: boolean): CompletionItem[] {
  const nccl = ncclData().vars
    .filter((v) => !v.removedAfter && !v.renamedTo && !v.aliasOf)
    .map<CompletionItem>((v) => ({
      label: v.name,
      kind: CompletionItemKind.Variable,
      detail: `NCCL · ${v.type}`,
      data: { doc: 'nccl-var', name: v.name } satisfies CompletionData,
      textEdit: { range: range(start), newText: assign ? `${v.name}=` : v.name },
      ...(assign ? { command: { title: 'Suggest', command: 'editor.action.triggerSuggest' } } : {}),
      sortText: `${v.documented && v.scope === 'core' ? '0' : '2'}${v.name}`,
    }));
  const others = envData().vars.map<CompletionItem>((v) => ({
    label: v.name,
    kind: CompletionItemKind.Variable,
    detail: `${v.owner === 'vllm' ? 'vLLM' : v.owner === 'huggingface' ? 'Hugging Face' : 'runtime'} · ${v.type}`,
    data: { doc: 'env-var', name: v.name } satisfies CompletionData,
    textEdit: { range: range(start), newText: assign ? `${v.name}=` : v.name },
    sortText: `${v.owner === 'vllm' ? '1' : '0'}${v.name}`,
  }));
  return [...nccl, ...others];
}

/** Values of a variable; for list variables, the item after the last comma of `typed`. */
export function envValueItems(name: string, typed: string, valueStart: number, range: RangeFrom): CompletionItem[] {
  const nccl = lookupNcclVar(name);
  const other = nccl ? undefined : lookupEnvVar(name);
  let values: string[] = nccl?.choices?.filter((c) => !c.startsWith('<')) ?? other?.choices ?? [];
  const type = nccl?.type ?? other?.type;
  if (values.length === 0 && (type === 'bool(0/1)' || type === 'bool')) values = ['1', '0'];
  const itemStart = nccl?.type === 'list' ? typed.lastIndexOf(',') + 1 : 0;
  const already = new Set(typed.replace(/^\^/, '').split(',').map((s) => s.toUpperCase()));
  return values
    .filter((v) => nccl?.type !== 'list' || !already.has(v.toUpperCase()))
    .map((v) => ({ label: v, kind: CompletionItemKind.EnumMember, detail: name, textEdit: { range: range(valueStart + itemStart), newText: v } }));
}

export const completionTriggerCharacters = ['-', '=', ',', ' '];

/** What an item needs to find its documentation again: docs are sent on resolve, not in the list. */
export interface CompletionData {
  doc: 'vllm-flag' | 'runai-flag' | 'nccl-var' | 'env-var';
  name: string;
  command?: string;
}

export function resolveCompletion(item: CompletionItem): CompletionItem {
  const data = item.data as CompletionData | undefined;
  if (!data) return item;
  let value: string | undefined;
  if (data.doc === 'vllm-flag') {
    const f = lookupVllmFlag(data.name)?.flag;
    if (f) value = vllmFlagDoc(f);
  } else if (data.doc === 'runai-flag') {
    const command = runaiData().commands.find((c) => c.key === data.command);
    const f = lookupRunaiFlag(command, data.name)?.flag;
    if (f) value = runaiFlagDoc(f, command);
  } else if (data.doc === 'nccl-var') {
    const v = lookupNcclVar(data.name);
    if (v) value = ncclVarDoc(v);
  } else {
    const v = lookupEnvVar(data.name);
    if (v) value = envVarDoc(v);
  }
  return value ? { ...item, documentation: { kind: MarkupKind.Markdown, value } } : item;
}
