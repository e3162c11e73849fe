/**
 * Open documents → analysis results, cached by version. Only documents the editor opened are ever
 * analysed; the server never reads the workspace.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeText, documentKind, type AnalysisResult, type DocumentKind } from './engine';
import type { YamlParseCache } from './yaml/document';
import { isVllmConfigFileName } from './yaml/schemaTargets';
import { afterAnalysis } from './memory';
import type { AnalysisSettings } from './analysis/context';

const SHELL_LANGUAGES = new Set(['shellscript', 'sh', 'bash', 'zsh']);

export function kindOf(doc: TextDocument): DocumentKind {
  if (SHELL_LANGUAGES.has(doc.languageId)) return 'shell';
  if (doc.languageId === 'yaml' || doc.languageId === 'helm') return 'yaml';
  if (doc.languageId === 'nccl-log') return 'nccl-log';
  return documentKind(decodeURIComponent(doc.uri), doc.getText());
}

export class AnalysisCache {
  private readonly entries = new Map<string, { version: number; settingsKey: string; result: AnalysisResult; yamlParse?: YamlParseCache }>();

  get(doc: TextDocument, settings: AnalysisSettings): AnalysisResult {
    const settingsKey = JSON.stringify(settings);
    const hit = this.entries.get(doc.uri);
    if (hit && hit.version === doc.version && hit.settingsKey === settingsKey) return hit.result;
    const kind = kindOf(doc);
    const yamlParse: YamlParseCache | undefined = kind === 'yaml' ? new Map() : undefined;
    const perDocument = kind === 'yaml' ? { ...settings, vllmConfigFile: isVllmConfigFileName(doc.uri) } : settings;
    const text = doc.getText();
    const result = analyzeText(text, kind, perDocument, yamlParse ? { previous: hit?.yamlParse, next: yamlParse } : undefined);
    afterAnalysis(text.length);
    this.entries.set(doc.uri, { version: doc.version, settingsKey, result, yamlParse });
    return result;
  }

  delete(uri: string): void {
    this.entries.delete(uri);
  }

  clear(): void {
    this.entries.clear();
  }
}
