/**
 * In-file directives, written as shell or YAML comments:
 *   # rvn: vllm-version=0.18.0            check vLLM flags against that release
 *   # rvn-disable RULE[, RULE]            from here on (to `# rvn-enable`), no findings of RULE
 *   # rvn-disable-next-line RULE[, RULE]  none on the next line (the whole command starting there)
 *   # rvn-disable-line RULE               none on this line
 * Without a rule list the directive applies to every rule.
 */
import type { RawFinding } from './context';
import type { LineIndex } from './lineIndex';

export interface CommentText {
  start: number;
  text: string;
}

interface Suppression {
  rules: Set<string> | 'all';
  /** Offset range the suppression covers. */
  from: number;
  to: number;
}

export interface Directives {
  vllmVersion?: string;
  suppressions: Suppression[];
}

const DIRECTIVE = /#\s*rvn-(disable-next-line|disable-line|disable|enable)\b(.*)$/;
const VERSION = /#\s*rvn:\s*vllm-version\s*=\s*(\S+)/;

function ruleSet(rest: string): Set<string> | 'all' {
  const ids = rest.replace(/--.*$/, '').split(/[\s,]+/).filter(Boolean);
  return ids.length ? new Set(ids) : 'all';
}

/**
 * Reads directives from comments. `commandSpan(offset)` gives the range of the command that starts
 * at or after an offset, so a next-line directive covers a whole `\`-continued command.
 */
export function readDirectives(comments: CommentText[], lines: LineIndex, textLength: number, commandSpan: (offset: number) => [number, number] | undefined): Directives {
  const result: Directives = { suppressions: [] };
  const open = new Map<string, Suppression>();
  for (const c of comments) {
    const version = VERSION.exec(c.text);
    if (version && !result.vllmVersion) result.vllmVersion = version[1];
    const m = DIRECTIVE.exec(c.text);
    if (!m) continue;
    const [, kind, rest] = m;
    const line = lines.position(c.start).line;
    if (kind === 'disable-line') {
      const lineEnd = line + 1 < lines.lineCount ? lines.lineStart(line + 1) - 1 : textLength;
      result.suppressions.push({ rules: ruleSet(rest), from: lines.lineStart(line), to: lineEnd });
    } else if (kind === 'disable-next-line') {
      const nextStart = lines.lineStart(line + 1);
      const span = commandSpan(nextStart);
      const nextEnd = line + 2 < lines.lineCount ? lines.lineStart(line + 2) - 1 : textLength;
      result.suppressions.push({ rules: ruleSet(rest), from: nextStart, to: span && span[0] < nextEnd ? Math.max(span[1], nextEnd) : nextEnd });
    } else if (kind === 'disable') {
      const s: Suppression = { rules: ruleSet(rest), from: c.start, to: textLength };
      result.suppressions.push(s);
      open.set(rest.trim(), s);
    } else {
      // `# rvn-enable RULE` closes the block opened for the same rules; a bare one closes them all.
      const key = rest.trim();
      for (const [k, s] of [...open]) {
        if (key === '' || k === key) {
          s.to = c.start;
          open.delete(k);
        }
      }
    }
  }
  return result;
}

export function isSuppressed(f: RawFinding, directives: Directives): boolean {
  return directives.suppressions.some((s) => f.start >= s.from && f.start <= s.to && (s.rules === 'all' || s.rules.has(f.rule)));
}
