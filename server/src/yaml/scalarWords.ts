/**
 * Turns YAML scalars into the shell layer's Words, with every character of the value mapped to
 * its place in the file, so a finding inside `args: ["--dtype", "bfloat"]` or a `|` block script
 * lands on the exact characters. Kubernetes `$(VAR)` references and masked Helm actions are
 * marked as expansions: their run-time text is unknown.
 */
import { isScalar, type Scalar } from 'yaml';
import type { Word } from '../shell/lexer';

/** Start of the scalar's content in the source: after a quote or a block header line. */
function contentStart(node: Scalar, text: string): number {
  const start = node.range![0];
  if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') return start + 1;
  if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') {
    const nl = text.indexOf('\n', start);
    return nl < 0 ? node.range![1] : nl + 1;
  }
  return start;
}

/**
 * Aligns the value with its source: identical characters map one to one; whitespace, folding and
 * indentation are skipped; an escaped character (`\"`, `''`) is found a few characters ahead.
 */
export function alignOffsets(value: string, text: string, from: number, to: number): number[] {
  const offsets = new Array<number>(value.length);
  if (from + value.length <= to && text.startsWith(value, from)) {
    // Written as it reads (plain, or quoted without escapes): the common case, one to one.
    for (let i = 0; i < value.length; i++) offsets[i] = from + i;
    return offsets;
  }
  let src = from;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (/\s/.test(c)) {
      offsets[i] = Math.min(src, to - 1);
      if (text[src] === c || (/\s/.test(text[src] ?? '') && src < to)) src++;
      continue;
    }
    while (src < to && /\s/.test(text[src]) && text[src] !== c) src++;
    let found = src;
    const limit = Math.min(to, src + 4);
    while (found < limit && text[found] !== c) found++;
    if (found < limit) src = found;
    offsets[i] = Math.min(src, Math.max(from, to - 1));
    if (src < to) src++;
  }
  return offsets;
}

const K8S_REFERENCE = /\$\([A-Za-z_][A-Za-z0-9_]*\)|\$\{h*\}/g;

/** A Word for a string scalar (numbers and booleans are written as text too). */
export function scalarWord(node: unknown, masked: string): Word | undefined {
  if (!isScalar(node) || !node.range || node.value === null || typeof node.value === 'object') return undefined;
  const value = String(node.value);
  const from = contentStart(node, masked);
  const offsets = alignOffsets(value, masked, from, Math.max(from + 1, node.range[1]));
  const expansions: Array<[number, number]> = [];
  if (value.includes('$')) for (const m of value.matchAll(K8S_REFERENCE)) expansions.push([m.index!, m.index! + m[0].length]);
  return { start: node.range[0], end: node.range[1], value, offsets, expansions };
}

/** `NAME=VALUE` as one Word built from two scalars, so env checks see the same shape as in shell. */
export function assignmentWord(name: Word, value: Word): Word {
  return {
    start: name.start,
    end: value.end,
    value: `${name.value}=${value.value}`,
    offsets: [...name.offsets, name.end, ...value.offsets],
    expansions: [...name.expansions, ...value.expansions.map(([a, b]) => [a + name.value.length + 1, b + name.value.length + 1] as [number, number])],
  };
}
