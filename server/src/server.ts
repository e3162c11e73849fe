/**
 * The language server: connection, capabilities and handler wiring, nothing else. Runs over IPC
 * (VS Code) or `--stdio` (any LSP client, e.g. Neovim). It never touches the disk.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, type InitializeResult } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalysisCache } from './documents';
import { completeShell, completionTriggerCharacters, resolveCompletion } from './features/completion';
import { hoverShell } from './features/hover';
import { completeYaml } from './features/yamlCompletion';
import { quickFixes } from './features/codeActions';
import { toDiagnostic } from './features/diagnostics';
import { DEFAULT_SETTINGS, toAnalysisSettings as analysisSettings, type InitializationOptions, type RvnSettings } from './protocol/settings';
import { PRODUCT_NAME, PRODUCT_VERSION } from './protocol/project';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const cache = new AnalysisCache();
/** The rule pages ship inside the package, so links work offline. */
const docsBase = pathToFileURL(join(__dirname, '..', '..')).href;

let settings: RvnSettings = DEFAULT_SETTINGS;
let init: InitializationOptions = {};
const toAnalysisSettings = (s: RvnSettings) => analysisSettings(s, init);
let pullConfiguration = false;
const DEBOUNCE_MS = 150;
const pending = new Map<string, ReturnType<typeof setTimeout>>();

connection.onInitialize((params): InitializeResult => {
  pullConfiguration = !!params.capabilities.workspace?.configuration;
  init = (params.initializationOptions as InitializationOptions | undefined) ?? {};
  // Plain LSP clients may pass settings here, either nested or at the top level.
  const given = init.settings ?? (init as Partial<RvnSettings>);
  settings = { ...DEFAULT_SETTINGS, ...(given.vllmVersion !== undefined ? { vllmVersion: given.vllmVersion } : {}), ...(given.rules ? { rules: given.rules } : {}) };
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      completionProvider: { triggerCharacters: completionTriggerCharacters, resolveProvider: true },
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: ['quickfix'] },
    },
    serverInfo: { name: `${PRODUCT_NAME}-language-server`, version: PRODUCT_VERSION },
  };
});

connection.onInitialized(async () => {
  if (pullConfiguration) await refreshSettings();
});

connection.onDidChangeConfiguration(async (change) => {
  if (pullConfiguration) await refreshSettings();
  else if (change.settings?.rvn) settings = { ...DEFAULT_SETTINGS, ...change.settings.rvn };
  cache.clear();
  for (const doc of documents.all()) validate(doc);
});

async function refreshSettings(): Promise<void> {
  try {
    const value = (await connection.workspace.getConfiguration('rvn')) as Partial<RvnSettings> | null;
    settings = { ...DEFAULT_SETTINGS, ...(value ?? {}) };
  } catch {
    // A client that advertised configuration but fails to answer keeps the defaults.
  }
}

function validate(doc: TextDocument): void {
  const result = cache.get(doc, toAnalysisSettings(settings));
  void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: result.findings.map((f) => toDiagnostic(f, docsBase)) });
}

function schedule(doc: TextDocument): void {
  clearTimeout(pending.get(doc.uri));
  pending.set(
    doc.uri,
    setTimeout(() => {
      pending.delete(doc.uri);
      const current = documents.get(doc.uri);
      if (current) validate(current);
    }, DEBOUNCE_MS),
  );
}

documents.onDidOpen((e) => validate(e.document));
documents.onDidChangeContent((e) => schedule(e.document));
documents.onDidClose((e) => {
  clearTimeout(pending.get(e.document.uri));
  cache.delete(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

connection.onCompletion((params) => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return [];
  const result = cache.get(doc, toAnalysisSettings(settings));
  const offset = doc.offsetAt(params.position);
  if (result.yaml) return completeYaml(result.yaml, offset);
  return result.shell ? completeShell(result.shell, offset) : [];
});

connection.onCompletionResolve((item) => resolveCompletion(item));

connection.onHover((params) => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return null;
  const result = cache.get(doc, toAnalysisSettings(settings));
  return (result.shell && hoverShell(result.shell, doc.offsetAt(params.position))) ?? null;
});

connection.onCodeAction((params) => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return [];
  const result = cache.get(doc, toAnalysisSettings(settings));
  return quickFixes(doc.uri, result.findings, params.range, docsBase);
});

documents.listen(connection);
connection.listen();
