/** Turns raw, offset-based findings into the public Finding type: severity overrides, suppression, ranges. */
import type { Finding } from '../protocol/findings';
import type { AnalysisSettings, RawFinding } from './context';
import { isSuppressed, type Directives } from './directives';
import type { LineIndex } from './lineIndex';

export function finalizeFindings(raw: RawFinding[], lines: LineIndex, directives: Directives | undefined, settings: AnalysisSettings): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const f of raw) {
    const configured = settings.rules?.[f.rule];
    if (configured === 'off') continue;
    if (directives && isSuppressed(f, directives)) continue;
    // The same check can run twice on one word (e.g. an env item seen by two paths): report once.
    const key = `${f.rule}:${f.start}:${f.end}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      rule: f.rule,
      severity: configured ?? f.severity,
      message: f.message,
      range: lines.range(f.start, f.end),
      ...(f.fixes ? { fixes: f.fixes.map((x) => ({ title: x.title, ...(x.preferred ? { preferred: true } : {}), edits: x.edits.map((e) => ({ range: lines.range(e.start, e.end), newText: e.newText })) })) } : {}),
    });
  }
  return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
