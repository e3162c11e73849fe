/**
 * The engine's front door: text in, findings (and the parsed model) out. The LSP server and the
 * CLI both call this; neither knows how a document is analysed.
 */
import type { Finding } from './protocol/findings';
import { FindingSink, type AnalysisSettings } from './analysis/context';
import { finalizeFindings } from './analysis/finalize';
import { LineIndex } from './analysis/lineIndex';
import { analyzeShell, type ShellModel } from './analysis/shellAnalysis';

export type DocumentKind = 'shell' | 'unknown';

export interface AnalysisResult {
  kind: DocumentKind;
  findings: Finding[];
  shell?: ShellModel;
  /** Why the document was not analysed, when it wasn't. */
  skipped?: string;
}

/** Scripts larger than this are not analysed: deployment scripts are kilobytes, not megabytes. */
export const MAX_SCRIPT_BYTES = 8 * 1024 * 1024;

const SHELL_EXTENSIONS = /\.(?:sh|bash|ksh|zsh|env)$/i;

/** Decides how to read a document from its name and first line. */
export function documentKind(path: string, text: string): DocumentKind {
  if (SHELL_EXTENSIONS.test(path)) return 'shell';
  const firstLine = text.slice(0, 200).split('\n', 1)[0];
  if (/^#!.*\b(?:ba|da|k|z)?sh\b/.test(firstLine)) return 'shell';
  return 'unknown';
}

export function looksBinary(text: string): boolean {
  const head = text.slice(0, 8192);
  return head.includes('\u0000');
}

export function analyzeText(text: string, kind: DocumentKind, settings: AnalysisSettings = {}): AnalysisResult {
  if (kind === 'unknown') return { kind, findings: [], skipped: 'not a shell script' };
  if (looksBinary(text)) return { kind, findings: [], skipped: 'binary content' };
  if (text.length > MAX_SCRIPT_BYTES) return { kind, findings: [], skipped: `larger than ${MAX_SCRIPT_BYTES / 1024 / 1024} MB` };
  const sink = new FindingSink();
  const shell = analyzeShell(text, settings, sink);
  return { kind, findings: finalizeFindings(sink.findings, shell.lines, shell.directives, settings), shell };
}

export { LineIndex };
