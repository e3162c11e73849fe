/** Hover docs for every flag, variable, command word and known value in a shell script. */
import { MarkupKind, type Hover } from 'vscode-languageserver-types';
import { flattenCommands, type ShellModel } from '../analysis/shellAnalysis';
import type { Word } from '../shell/lexer';
import { lookupNcclVar } from '../knowledge/nccl';
import { lookupEnvVar } from '../knowledge/env';
import { findRunaiCommand } from '../knowledge/runai';
import { envVarDoc, ncclVarDoc, removedVllmFlagDoc, runaiCommandDoc, runaiFlagDoc, vllmFlagDoc } from './docs';

function within(w: Word, offset: number): boolean {
  return w.start <= offset && offset <= w.end;
}

export function hoverShell(shell: ShellModel, offset: number): Hover | undefined {
  const { lines } = shell;
  const hover = (value: string, start: number, end: number): Hover => ({ contents: { kind: MarkupKind.Markdown, value }, range: lines.range(start, end) });
  for (const c of flattenCommands(shell.commands)) {
    if (c.runai) {
      const path = c.runai.path;
      const hit = path.findIndex((w) => within(w, offset));
      if (hit >= 0) {
        const command = findRunaiCommand(path.map((w) => w.value));
        if (command) return hover(runaiCommandDoc(command), path[hit].start, path[hit].end);
      }
      for (const o of c.runai.options) {
        if (!o.flag) continue;
        if (within(o.word, offset) && offset <= o.word.start + o.spelling.length) return hover(runaiFlagDoc(o.flag, c.runai.command), o.word.start, o.word.start + o.spelling.length);
        if (o.value && within(o.value, offset) && o.flag.choices?.includes(o.value.value.slice(o.valueFrom))) {
          return hover(`\`${o.value.value.slice(o.valueFrom)}\` — one of ${o.flag.name}'s values\n\n${runaiFlagDoc(o.flag, c.runai.command)}`, o.value.start, o.value.end);
        }
      }
    }
    if (c.vllm) {
      for (const o of c.vllm.options) {
        if (!o.flag) continue;
        const nameEnd = o.word.start + o.spelling.length;
        if (within(o.word, offset) && offset <= nameEnd) return hover(vllmFlagDoc(o.flag), o.word.start, nameEnd);
        const valueWord = o.valueFrom !== undefined ? o.word : o.values.find((v) => within(v, offset));
        if (valueWord && within(valueWord, offset)) {
          const value = valueWord.value.slice(o.valueFrom ?? 0);
          if (o.flag.choices?.includes(value) || o.flag.knownValues?.includes(value)) {
            return hover(`\`${value}\` — a value of ${o.flag.name}${o.flag.default === value ? ' (the default)' : ''}\n\n${vllmFlagDoc(o.flag)}`, valueWord.start, valueWord.end);
          }
        }
      }
      for (const w of c.vllm.call.args) {
        if (within(w, offset) && w.value.startsWith('--')) {
          const doc = removedVllmFlagDoc(w.value.split('=')[0]);
          if (doc) return hover(doc, w.start, w.end);
        }
      }
    }
    for (const a of c.env) {
      if (!within(a.word, offset)) continue;
      const nccl = lookupNcclVar(a.name);
      const other = nccl ? undefined : lookupEnvVar(a.name);
      if (!nccl && !other) continue;
      const doc = nccl ? ncclVarDoc(nccl) : envVarDoc(other!);
      const nameEnd = a.eq >= 0 ? a.word.offsets[a.eq - 1] + 1 : a.word.end;
      if (offset <= nameEnd) return hover(doc, a.word.start, nameEnd);
      const value = a.word.value.slice(a.eq + 1);
      return hover(`\`${value}\` for ${a.name}\n\n${doc}`, a.word.offsets[a.eq + 1] ?? a.word.end, a.word.end);
    }
  }
  return undefined;
}
