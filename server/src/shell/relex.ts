import { lexShell, type LexedScript, type Word } from './lexer';

/**
 * Lexes the value of a word as a script of its own (a `--command "sh -c '...'"` string, a
 * `bash -c` argument) and maps every offset back through the word, so findings inside the
 * string land on the right characters of the outer document.
 */
export function relexWord(word: Word): LexedScript {
  const inner = lexShell(word.value, 0);
  const map = (o: number): number => (o < word.offsets.length ? word.offsets[o] : word.end);
  const mapEnd = (o: number): number => (o <= 0 ? word.start : map(o - 1) + 1);
  const dynamicOffsets = new Set<number>();
  for (const [a, b] of word.expansions) for (let i = a; i < b; i++) dynamicOffsets.add(word.offsets[i]);
  for (const cmd of inner.commands) {
    for (const w of cmd.words) {
      w.offsets = w.offsets.map(map);
      w.start = map(w.start);
      w.end = mapEnd(w.end);
      // An expansion in the outer word stays an expansion inside the inner script.
      if (dynamicOffsets.size > 0) {
        for (let i = 0; i < w.value.length; i++) {
          if (dynamicOffsets.has(w.offsets[i])) w.expansions.push([i, i + 1]);
        }
      }
    }
    cmd.start = cmd.words[0].start;
    cmd.end = cmd.words[cmd.words.length - 1].end;
  }
  for (const c of inner.comments) {
    c.start = map(c.start);
    c.end = mapEnd(c.end);
  }
  for (const h of inner.hereDocs) {
    h.start = map(h.start);
    h.end = mapEnd(h.end);
  }
  return inner;
}
