/**
 * A small test runner for the extension host (code-server's, or VS Code's under
 * @vscode/test-electron): tests register with test(), run in order, each under a time limit, and
 * report one line each. It runs inside the editor, next to the real `vscode` API.
 */
import * as vscode from 'vscode';

export const EXTENSION_ID = 'runai-vllm-nccl.runai-vllm-nccl';
const TEST_TIMEOUT_MS = 30_000;
/** The whole suite must finish well inside the runner's wait for its result. */
const SUITE_BUDGET_MS = 75_000;

interface TestOptions {
  timeoutMs?: number;
  /** When a critical test fails, the tests after it are reported as failed without running. */
  critical?: boolean;
}

interface TestCase extends TestOptions {
  name: string;
  fn: () => Promise<void>;
  skip?: string;
}

const registry: TestCase[] = [];

export function test(name: string, fn: () => Promise<void>, options: TestOptions = {}): void {
  registry.push({ name, fn, ...options });
}

/** Registers a test that is reported as skipped, with the reason (e.g. a feature not contributed yet). */
export function skip(name: string, reason: string): void {
  registry.push({ name, fn: async () => undefined, skip: reason });
}

export interface SuiteResult {
  passed: number;
  failed: number;
  skipped: number;
}

export async function runRegistered(log: (line: string) => void): Promise<SuiteResult> {
  const result: SuiteResult = { passed: 0, failed: 0, skipped: 0 };
  const deadline = Date.now() + SUITE_BUDGET_MS;
  let blocked: string | undefined;
  for (const t of registry) {
    if (t.skip) {
      result.skipped++;
      log(`skip - ${t.name}: ${t.skip}`);
      continue;
    }
    const budget = Math.min(t.timeoutMs ?? TEST_TIMEOUT_MS, deadline - Date.now());
    if (blocked || budget <= 0) {
      result.failed++;
      log(`not ok - ${t.name}: not run (${blocked ?? `the suite used up its ${SUITE_BUDGET_MS} ms`})`);
      continue;
    }
    const t0 = Date.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        t.fn(),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${budget} ms`)), budget))),
      ]);
      result.passed++;
      log(`ok - ${t.name} (${Date.now() - t0} ms)`);
    } catch (e) {
      result.failed++;
      log(`not ok - ${t.name} (${Date.now() - t0} ms): ${e instanceof Error ? e.message : String(e)}`);
      if (t.critical) blocked = `\`${t.name}\` failed`;
    } finally {
      clearTimeout(timer);
    }
  }
  return result;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns something truthy; the error names what was awaited and what was last seen. */
export async function waitFor<T>(what: string, probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

export function workspaceUri(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, name);
}

/** Opens a file of the test workspace in an editor (which also activates the extension for its language). */
export async function openFile(name: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(workspaceUri(name));
  return vscode.window.showTextDocument(document);
}

/** An unsaved document, the way a user types into a new editor. */
export async function openUntitled(language: string, content: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument({ language, content });
  return vscode.window.showTextDocument(document);
}

export function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' && d.code !== null ? String(d.code.value) : String(d.code ?? '');
}

export function diagnosticsFor(uri: vscode.Uri, code: string): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => codeOf(d) === code);
}

/** The range of the first occurrence of `text` in the document (after `after`, when given). */
export function rangeOf(document: vscode.TextDocument, text: string, after = 0): vscode.Range {
  const offset = document.getText().indexOf(text, after);
  if (offset < 0) throw new Error(`${JSON.stringify(text)} not found in ${document.uri.path}`);
  return new vscode.Range(document.positionAt(offset), document.positionAt(offset + text.length));
}

export function show(range: vscode.Range): string {
  return `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
}

export async function completionLabels(uri: vscode.Uri, position: vscode.Position): Promise<string[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, position);
  return list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
}

export async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}
