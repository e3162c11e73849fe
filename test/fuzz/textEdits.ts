/**
 * Random ranged text edits, applied locally exactly as an LSP client means them: positions are
 * (line, UTF-16 character) with \r\n, \r and \n all ending a line. Written here from the spec,
 * not with the server's TextDocument, so the incremental-sync test compares two implementations.
 */
import type { Position, Range } from '../../server/src/protocol/findings';

export type { Position, Range };

export interface Edit {
  range: Range;
  text: string;
}

/** Offsets where each line starts. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 /* \r */ && text.charCodeAt(i + 1) === 10) i++;
    if (c === 13 || c === 10) starts.push(i + 1);
  }
  return starts;
}

/** End of a line's content (before its line break). */
function contentEnd(text: string, starts: number[], line: number): number {
  let end = line + 1 < starts.length ? starts[line + 1] : text.length;
  while (end > starts[line] && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
  return end;
}

export function positionAt(text: string, offset: number, starts = lineStarts(text)): Position {
  let line = 0;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] <= offset) {
      line = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  // An offset inside a line break means the end of that line's content.
  return { line, character: Math.min(offset, contentEnd(text, starts, line)) - starts[line] };
}

export function offsetAt(text: string, p: Position, starts = lineStarts(text)): number {
  if (p.line >= starts.length) return text.length;
  return Math.min(starts[p.line] + p.character, contentEnd(text, starts, p.line));
}

export function applyEdit(text: string, edit: Edit): string {
  const starts = lineStarts(text);
  const a = offsetAt(text, edit.range.start, starts);
  const b = offsetAt(text, edit.range.end, starts);
  return text.slice(0, a) + edit.text + text.slice(Math.max(a, b));
}

/** What people type into these files, plus line breaks of every kind and a few hostile characters. */
const FRAGMENTS: Record<string, string[]> = {
  shell: ['--tensor-parallel-size ', '-tp 2 ', '--max-model-len 32k ', 'vllm serve /m ', 'runai inference distributed submit x ', ' \\\n  ', '-e NCCL_DEBUG=INFO ', '"$MODEL" ', "'x y' ", '$(nproc) ', '# rvn-disable-next-line vllm/unknown-flag\n', '--dtpye ', '--served-model-name m '],
  yaml: ['- --tensor-parallel-size\n', '            - "8"\n', '---\n', 'args: [', ']', '  ', 'env:\n  - name: NCCL_DEBUG\n    value: INFO\n', '{{ .Values.x }}', '&a ', '*a', ': ', '"', '- --dtpye\n', 'kind: Deployment\n'],
};
const COMMON = ['\n', '\r\n', '\r', ' ', 'x', '😀', '\t', '', '', ''];

export function randomEdit(text: string, r: () => number, kind = 'shell'): Edit {
  const starts = lineStarts(text);
  const a = Math.floor(r() * (text.length + 1));
  // Deletions shorter than insertions on average, so the document grows a little rather than vanishing.
  const b = Math.min(text.length, a + (r() < 0.6 ? 0 : Math.floor(r() * 16)));
  const pool = r() < 0.6 ? (FRAGMENTS[kind] ?? FRAGMENTS.shell) : COMMON;
  let newText = pool[Math.floor(r() * pool.length)];
  if (r() < 0.1) newText += pool[Math.floor(r() * pool.length)];
  return { range: { start: positionAt(text, a, starts), end: positionAt(text, b, starts) }, text: newText };
}
