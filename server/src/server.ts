/**
 * The language server: connection, capabilities and handler wiring, nothing else. Runs over IPC
 * (VS Code) or `--stdio` (any LSP client, e.g. Neovim). It never touches the disk.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, type InitializeResult } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalysisCache } from './documents';
import { warmUp } from './warmUp';
import { completeShell, completionTriggerCharacters, resolveCompletion } from './features/completion';
import { hoverShell } from './features/hover';
import { completeYaml } from './features/yamlCompletion';
import { completionResult } from './features/completionList';
import { schemaCompletions, schemaHover } from './yaml/schemaCompletion';
import { hasVllmConfigModeline, isVllmConfigFileName } from './yaml/schemaTargets';
import type { AnalysisResult } from './engine';
import { quickFixes } from './features/codeActions';
import { toDiagnostic } from './features/diagnostics';
import { DEFAULT_SETTINGS, toAnalysisSettings as analysisSettings, type InitializationOptions, type RvnSettings } from './protocol/settings';
import { PRODUCT_NAME, PRODUCT_VERSION } from './protocol/project';
import { logCodeLenses, logFolding, logSymbols } from './features/logFeatures';
import { LOG_SUMMARY_REQUEST, TOPOLOGY_PAGE_REQUEST, type LogSummaryParams, type LogSummaryResult, type TopologyPageParams, type TopologyPageResult } from './protocol/requests';
import { summarizeNcclLog } from './ncclLog/index';
import { renderTopologyHtml, type TopologyPageLog } from './report/topologyPage';
import { bandwidthSeries, looksLikeNcclTests, parseNcclTests } from './ncclTests/index';
import { formatVllmLogSummary, looksLikeVllmLog, parseVllmLog, summarizeVllmLog } from './vllmLog/index';

// Started by hand (no transport given): say how to use it instead of failing with a stack trace.
const TRANSPORTS = /^--(?:stdio|node-ipc|socket|pipe|clientProcessId)/;
if (process.argv.includes('--version')) {
  process.stdout.write(`${PRODUCT_VERSION}\n`);
  process.exit(0);
}
if (!process.argv.slice(2).some((a) => TRANSPORTS.test(a)) && !process.send) {
  process.stderr.write('rvn-language-server: a Language Server Protocol server. Start it from an editor with --stdio (or --node-ipc, --socket=PORT, --pipe=NAME).\n');
  process.exit(2);
}

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const cache = new AnalysisCache();
/** The rule pages ship inside the package, so links work offline. */
const docsBase = pathToFileURL(join(__dirname, '..', '..')).href;

let settings: RvnSettings = DEFAULT_SETTINGS;
let init: InitializationOptions = {};
const toAnalysisSettings = (s: RvnSettings) => analysisSettings(s, init);
let pullConfiguration = false;
/** The client takes one edit range for a whole completion list (LSP 3.17). */
let editRangeDefault = false;
const DEBOUNCE_MS = 150;
const pending = new Map<string, ReturnType<typeof setTimeout>>();

connection.onInitialize((params): InitializeResult => {
  pullConfiguration = !!params.capabilities.workspace?.configuration;
  editRangeDefault = !!params.capabilities.textDocument?.completion?.completionList?.itemDefaults?.includes('editRange');
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
      documentSymbolProvider: true,
      foldingRangeProvider: true,
      codeLensProvider: { resolveProvider: false },
    },
    serverInfo: { name: `${PRODUCT_NAME}-language-server`, version: PRODUCT_VERSION },
  };
});

connection.onInitialized(async () => {
  warmUp();
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

/** vLLM config files are validated by Red Hat's YAML extension (our schema, contributed) when it is active. */
function redHatOwns(uri: string, result: AnalysisResult): boolean {
  return !!init.redhatYamlActive && !!result.yaml && (isVllmConfigFileName(uri) || hasVllmConfigModeline(result.yaml.parsed));
}

/** The version whose diagnostics were last sent, per document. */
const published = new Map<string, number>();

function validate(doc: TextDocument): void {
  const result = cache.get(doc, toAnalysisSettings(settings));
  published.set(doc.uri, doc.version);
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
// Also fired for the open itself, whose diagnostics are already out: only later versions wait.
documents.onDidChangeContent((e) => {
  if (published.get(e.document.uri) !== e.document.version) schedule(e.document);
});
documents.onDidClose((e) => {
  clearTimeout(pending.get(e.document.uri));
  published.delete(e.document.uri);
  cache.delete(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

connection.onCompletion((params) => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return [];
  const result = cache.get(doc, toAnalysisSettings(settings));
  const offset = doc.offsetAt(params.position);
  if (result.yaml) {
    const items = completeYaml(result.yaml, offset);
    if (items.length > 0 || redHatOwns(doc.uri, result)) return completionResult(items, editRangeDefault);
    return completionResult(schemaCompletions(result.yaml.parsed, result.yaml.text, offset, { vllmConfig: isVllmConfigFileName(doc.uri) }), editRangeDefault);
  }
  return completionResult(result.shell ? completeShell(result.shell, offset) : [], editRangeDefault);
});

connection.onCompletionResolve((item) => resolveCompletion(item));

connection.onHover((params) => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return null;
  const result = cache.get(doc, toAnalysisSettings(settings));
  const offset = doc.offsetAt(params.position);
  const hover = result.shell && hoverShell(result.shell, offset);
  if (hover) return hover;
  if (result.yaml && !redHatOwns(doc.uri, result)) return schemaHover(result.yaml.parsed, result.yaml.text, offset, { vllmConfig: isVllmConfigFileName(doc.uri) }) ?? null;
  return null;
});

connection.onCodeAction((params) => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return [];
  const result = cache.get(doc, toAnalysisSettings(settings));
  return quickFixes(doc.uri, result.findings, params.range, docsBase);
});

connection.onDocumentSymbol((params) => {
  const doc = documents.get(params.textDocument.uri);
  const log = doc && cache.get(doc, toAnalysisSettings(settings)).log;
  return log ? logSymbols(log) : [];
});

connection.onFoldingRanges((params) => {
  const doc = documents.get(params.textDocument.uri);
  return doc && cache.get(doc, toAnalysisSettings(settings)).log ? logFolding(doc.getText()) : [];
});

connection.onCodeLens((params) => {
  const doc = documents.get(params.textDocument.uri);
  return doc && cache.get(doc, toAnalysisSettings(settings)).log ? logCodeLenses(doc.uri) : [];
});

connection.onRequest(TOPOLOGY_PAGE_REQUEST, (params: TopologyPageParams): TopologyPageResult | null => {
  const doc = documents.get(params.uri);
  const result = doc && cache.get(doc, toAnalysisSettings(settings));
  if (!doc || !result?.log) return null;
  const name = decodeURIComponent(doc.uri.split('/').pop() ?? doc.uri);
  return { html: renderTopologyHtml([{ name, model: result.log, findings: result.findings, ...companions(doc.getText()) }], { nonce: params.nonce, cspSource: params.cspSource, standalone: false }) };
});

connection.onRequest(LOG_SUMMARY_REQUEST, (params: LogSummaryParams): LogSummaryResult => {
  const doc = documents.get(params.uri);
  const result = doc && cache.get(doc, toAnalysisSettings(settings));
  if (!result?.log) return { isLog: false };
  const summary = summarizeNcclLog(result.log, result.findings);
  return { isLog: true, statusText: summary.statusText, status: summary.status, tooltip: `${summary.ranks} ranks on ${summary.hosts} host(s), ${result.findings.length} finding(s)` };
});

/** nccl-tests tables and vLLM start-up lines in the same log, shown beside the topology. */
function companions(text: string): Pick<TopologyPageLog, 'bandwidth' | 'vllmSummary'> {
  const out: Pick<TopologyPageLog, 'bandwidth' | 'vllmSummary'> = {};
  if (looksLikeNcclTests(text)) out.bandwidth = parseNcclTests(text).runs.flatMap((run) => bandwidthSeries(run));
  if (looksLikeVllmLog(text)) out.vllmSummary = formatVllmLogSummary(summarizeVllmLog(parseVllmLog(text)));
  return out;
}

documents.listen(connection);
connection.listen();
