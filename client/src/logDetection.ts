/**
 * Pasted NCCL output: when an untitled or plain-text/`log` document starts to look like
 * `NCCL_DEBUG=INFO` output, switch it to the nccl-log language so it gets highlighting,
 * findings and the topology view. One look per document version; opt out with a setting.
 */
import { languages, workspace, type Disposable, type TextDocument } from 'vscode';

const CANDIDATE_LANGUAGES = new Set(['plaintext', 'log', 'Log']);
const NCCL_LINE = / NCCL (?:INFO|WARN|TRACE) |NCCL version \d+\.\d+/g;

export function looksLikeNccl(text: string): boolean {
  const hits = text.slice(0, 64 * 1024).match(NCCL_LINE);
  return !!hits && hits.length >= 2;
}

export function startLogDetection(): Disposable {
  const checked = new WeakMap<TextDocument, number>();
  const consider = (doc: TextDocument) => {
    if (!CANDIDATE_LANGUAGES.has(doc.languageId) || checked.get(doc) === doc.version) return;
    checked.set(doc, doc.version);
    if (!workspace.getConfiguration('rvn').get<boolean>('logs.detectPastedText', true)) return;
    if (looksLikeNccl(doc.getText())) void languages.setTextDocumentLanguage(doc, 'nccl-log');
  };
  workspace.textDocuments.forEach(consider);
  const subscriptions = [workspace.onDidOpenTextDocument(consider), workspace.onDidChangeTextDocument((e) => consider(e.document))];
  return { dispose: () => subscriptions.forEach((s) => s.dispose()) };
}
