/**
 * The one finding type every analysis produces. It is protocol-free: the LSP face turns it into a
 * Diagnostic, the CLI into a text line / JSON object / SARIF result, the webview into a row.
 * Positions are 0-based lines and UTF-16 columns, like LSP.
 */

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface TextEdit {
  range: Range;
  newText: string;
}

/** A quick fix: a titled set of edits to the same document. */
export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The fix an editor may apply with "auto fix" (one obvious correction). */
  preferred?: boolean;
}

export interface Finding {
  /** Stable rule id, e.g. `vllm/unknown-flag`; documented in docs/rules/. */
  rule: string;
  severity: Severity;
  /** What is wrong and why, in one or two sentences. */
  message: string;
  range: Range;
  fixes?: Fix[];
}

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info', 'hint'];
