/** Quick fixes: the fixes attached to findings, offered where the user asks for actions. */
import { CodeActionKind, type CodeAction, type Diagnostic, type Range } from 'vscode-languageserver-types';
import type { Finding } from '../protocol/findings';
import { toDiagnostic } from './diagnostics';

function overlaps(a: Range, b: Range): boolean {
  const before = (p: { line: number; character: number }, q: { line: number; character: number }) => p.line < q.line || (p.line === q.line && p.character <= q.character);
  return before(a.start, b.end) && before(b.start, a.end);
}

export function quickFixes(uri: string, findings: Finding[], range: Range, docsBase?: string): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const f of findings) {
    if (!f.fixes?.length || !overlaps(f.range, range)) continue;
    const diagnostic: Diagnostic = toDiagnostic(f, docsBase);
    for (const fix of f.fixes) {
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: fix.preferred ?? false,
        edit: { changes: { [uri]: fix.edits.map((e) => ({ range: e.range, newText: e.newText })) } },
      });
    }
  }
  return actions;
}
