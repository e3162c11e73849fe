/** Finding → LSP Diagnostic. */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import type { Finding, Severity } from '../protocol/findings';
import { ruleDocsPath } from '../analysis/rules';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** `docsBase` is a URI prefix under which docs/rules/*.md are found (the installed package). */
export function toDiagnostic(f: Finding, docsBase?: string): Diagnostic {
  return {
    range: f.range,
    severity: SEVERITY[f.severity],
    code: f.rule,
    ...(docsBase ? { codeDescription: { href: `${docsBase}/${ruleDocsPath(f.rule)}` } } : {}),
    source: 'rvn',
    message: f.message,
  };
}
