/**
 * What an analysis pass carries around: the text, the settings that shape it, and the findings it
 * has collected so far (with offsets; turned into ranges once at the end).
 */
import type { Severity } from '../protocol/findings';
import { ruleInfo } from './rules';

export interface OffsetEdit {
  start: number;
  end: number;
  newText: string;
}

export interface OffsetFix {
  title: string;
  edits: OffsetEdit[];
  preferred?: boolean;
}

export interface RawFinding {
  rule: string;
  severity: Severity;
  message: string;
  start: number;
  end: number;
  fixes?: OffsetFix[];
}

export type RuleSetting = Severity | 'off';

export interface AnalysisSettings {
  /** vLLM version to check against; overrides comments and image tags. */
  vllmVersion?: string;
  /** Severity per rule id. */
  rules?: Record<string, RuleSetting>;
  /**
   * Report YAML syntax errors. Off in the editor when Red Hat's YAML extension already reports
   * them, so the same problem never shows twice.
   */
  yamlSyntaxErrors?: boolean;
  /** The document is a `vllm serve --config` file (by name, comment or modeline). */
  vllmConfigFile?: boolean;
  /**
   * Red Hat's YAML extension is active and validates files our schema is contributed for, so we
   * leave those schema checks to it.
   */
  redhatYaml?: boolean;
}

export class FindingSink {
  readonly findings: RawFinding[] = [];

  report(rule: string, start: number, end: number, message: string, options: { severity?: Severity; fixes?: OffsetFix[] } = {}): void {
    const severity = options.severity ?? ruleInfo(rule)?.severity ?? 'warning';
    this.findings.push({ rule, severity, message, start, end: Math.max(end, start), ...(options.fixes?.length ? { fixes: options.fixes } : {}) });
  }
}

/** A fix that replaces one range. */
export function replaceFix(title: string, start: number, end: number, newText: string, preferred = true): OffsetFix {
  return { title, edits: [{ start, end, newText }], preferred };
}
