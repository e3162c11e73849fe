/**
 * The engine's front door: text in, findings (and the parsed model) out. The LSP server and the
 * CLI both call this; neither knows how a document is analysed.
 */
import type { Finding } from './protocol/findings';
import { FindingSink, type AnalysisSettings } from './analysis/context';
import { finalizeFindings } from './analysis/finalize';
import { LineIndex } from './analysis/lineIndex';
import { analyzeShell, type ShellModel } from './analysis/shellAnalysis';
import { analyzeYaml, type YamlModel, type YamlReuse } from './yaml/yamlAnalysis';
import { checkDeployments } from './rules';
import { registerRules } from './analysis/rules';
import { NCCL_LOG_RULES, ncclLogFindings, parseNcclLog, type NcclLogModel } from './ncclLog/index';
import { looksLikeNcclTests, NCCL_TESTS_RULES, ncclTestsFindings, parseNcclTests } from './ncclTests/index';
import { looksLikeVllmLog, parseVllmLog, VLLM_LOG_RULES, vllmLogFindings } from './vllmLog/index';
import { shellDeployments } from './rules/fromShell';
import { validateYamlSchemas } from './yaml/schemaValidation';
import { hasVllmConfigModeline } from './yaml/schemaTargets';
import { yamlDeployments } from './rules/fromYaml';

// Log findings are configured and listed like every other rule.
registerRules(NCCL_LOG_RULES);
registerRules(NCCL_TESTS_RULES);
registerRules(VLLM_LOG_RULES);

export type DocumentKind = 'shell' | 'yaml' | 'nccl-log' | 'unknown';

export interface AnalysisResult {
  kind: DocumentKind;
  findings: Finding[];
  /** The command-line model (for YAML: the containers' command lines); drives hover and completion. */
  shell?: ShellModel;
  yaml?: YamlModel;
  log?: NcclLogModel;
  /** Why the document was not analysed, when it wasn't. */
  skipped?: string;
}

/** Scripts larger than this are not analysed: deployment scripts are kilobytes, not megabytes. */
export const MAX_SCRIPT_BYTES = 8 * 1024 * 1024;

const SHELL_EXTENSIONS = /\.(?:sh|bash|ksh|zsh|env)$/i;
const YAML_EXTENSIONS = /\.ya?ml$/i;

/** Decides how to read a document from its name and first line. */
export function documentKind(path: string, text: string): DocumentKind {
  if (SHELL_EXTENSIONS.test(path)) return 'shell';
  if (YAML_EXTENSIONS.test(path)) return 'yaml';
  const firstLine = text.slice(0, 200).split('\n', 1)[0];
  if (/^#!.*\b(?:ba|da|k|z)?sh\b/.test(firstLine)) return 'shell';
  return 'unknown';
}

export function looksBinary(text: string): boolean {
  const head = text.slice(0, 8192);
  return head.includes('\u0000');
}

/** `reuse` lets the editor re-parse only the YAML documents an edit touched. */
export function analyzeText(text: string, kind: DocumentKind, settings: AnalysisSettings = {}, reuse?: YamlReuse): AnalysisResult {
  if (kind === 'unknown') return { kind, findings: [], skipped: 'neither a shell script nor YAML' };
  if (kind === 'nccl-log') return analyzeLog(text, settings);
  if (looksBinary(text)) return { kind, findings: [], skipped: 'binary content' };
  if (text.length > MAX_SCRIPT_BYTES) return { kind, findings: [], skipped: `larger than ${MAX_SCRIPT_BYTES / 1024 / 1024} MB` };
  const sink = new FindingSink();
  if (kind === 'yaml') {
    const yaml = analyzeYaml(text, settings, sink, reuse);
    if (settings.yamlSyntaxErrors !== false) reportYamlSyntax(yaml.parsed.documents, sink);
    const redHatOwns = !!settings.redhatYaml && (!!settings.vllmConfigFile || hasVllmConfigModeline(yaml.parsed));
    validateYamlSchemas(yaml.parsed, text, sink, { vllmConfig: !!settings.vllmConfigFile, skipVllmConfig: redHatOwns, vllmVersion: settings.vllmVersion });
    checkDeployments(yamlDeployments(yaml), sink, text);
    return { kind, findings: finalizeFindings(sink.findings, yaml.lines, yaml.directives, settings), shell: yaml, yaml };
  }
  const shell = analyzeShell(text, settings, sink);
  checkDeployments(shellDeployments(shell), sink, text);
  return { kind, findings: finalizeFindings(sink.findings, shell.lines, shell.directives, settings), shell };
}

/** The first syntax error of each document (later ones are usually consequences of it). */
function reportYamlSyntax(documents: YamlModel['parsed']['documents'], sink: FindingSink): void {
  for (const doc of documents) {
    const error = doc.errors[0];
    if (!error) continue;
    const [start, end] = error.pos;
    const message = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    sink.report('yaml/syntax-error', start, Math.max(end, start + 1), `${message}. Kubernetes cannot read this document.`);
  }
}

export { LineIndex };

/** NCCL logs: the streaming parser over the text, then severity settings like any other rule. */
function analyzeLog(text: string, settings: AnalysisSettings): AnalysisResult {
  const log = parseNcclLog(text);
  // The same log language holds nccl-tests results and vLLM's own lines; each reader adds its findings.
  const raw = [...ncclLogFindings(log)];
  if (looksLikeNcclTests(text)) raw.push(...ncclTestsFindings(parseNcclTests(text)));
  if (looksLikeVllmLog(text)) raw.push(...withoutDuplicateLines(vllmLogFindings(parseVllmLog(text)), raw));
  const findings = raw
    .filter((f) => settings.rules?.[f.rule] !== 'off')
    .map((f) => {
      const configured = settings.rules?.[f.rule];
      return configured && configured !== 'off' ? { ...f, severity: configured } : f;
    });
  return { kind: 'nccl-log', findings, log };
}

/** vLLM reports NCCL failures too: keep one finding per line when the NCCL reader already has it. */
function withoutDuplicateLines(extra: Finding[], existing: Finding[]): Finding[] {
  const lines = new Set(existing.filter((f) => f.severity === 'error').map((f) => f.range.start.line));
  return extra.filter((f) => !(f.rule === 'vllm-log/nccl-error' && lines.has(f.range.start.line)));
}
