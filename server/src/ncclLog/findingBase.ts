/** Builds a Finding whose range covers one log record (see SourceRef). */
import type { Finding, Range, Severity } from '../protocol/findings';
import type { SourceRef } from './model';

export function rangeOf(ref: SourceRef): Range {
  return { start: { line: ref.line, character: ref.start }, end: { line: ref.line, character: Math.max(ref.end, ref.start) } };
}

export function finding(rule: string, severity: Severity, message: string, ref: SourceRef): Finding {
  return { rule, severity, message, range: rangeOf(ref) };
}
