/**
 * `rvn topology [--json | --html FILE] [--summary] [--rule RULE=SEVERITY]... LOG...`: the NCCL log
 * parser on the command line. Logs are streamed from disk (a 1 GB log is never held in memory).
 *   text (default)  the summary of each log, then its findings as `path:line:col: severity message [rule]`
 *   --json          {"version":1,"logs":[{"path","summary","findings":[{"id","severity","line","message"}],"model"}]}
 *                   (schemas/nccl-topology-summary.schema.json)
 *   --html FILE     one self-contained page for all logs; prints FILE
 *   --summary       text: summaries only; JSON: leave the (large) model out
 * Exit 0 without error-level findings, 1 with some, 2 on a usage or I/O error (one line on stderr).
 * Never rejects: errors become the exit code, so the caller may simply return its promise.
 */
import { randomBytes } from 'node:crypto';
import { statSync, writeFileSync } from 'node:fs';
import { NCCL_LOG_RULES, ncclLogFindings, parseNcclLogFile, summarizeNcclLog, summarizeTopology, formatNcclLogSummary, type NcclLogModel } from '../ncclLog/index';
import type { Finding, Severity } from '../protocol/findings';
import { renderTopologyHtml } from '../report/topologyPage';
import { UsageError } from './files';
import { formatText } from './formats';

type RuleSetting = Severity | 'off';

interface TopologyOptions {
  format: 'text' | 'json' | 'html';
  htmlFile?: string;
  summaryOnly: boolean;
  rules: Map<string, RuleSetting>;
  color: boolean;
  paths: string[];
}

interface LogReport {
  path: string;
  model: NcclLogModel;
  findings: Finding[];
}

export const TOPOLOGY_USAGE = 'rvn topology [--json | --html FILE] [--summary] [--rule RULE=SEVERITY]... LOG...';

export async function runTopology(argv: string[]): Promise<number> {
  try {
    const options = parseTopologyArgs(argv);
    const reports: LogReport[] = [];
    for (const path of options.paths) reports.push(await analyseLog(path, options.rules));
    if (options.format === 'json') process.stdout.write(formatTopologyJson(reports, options.summaryOnly));
    else if (options.format === 'html') writeHtml(reports, options);
    else process.stdout.write(formatTopologyText(reports, options.summaryOnly, options.color));
    return reports.some((r) => r.findings.some((f) => f.severity === 'error')) ? 1 : 0;
  } catch (e) {
    const message = e instanceof UsageError ? e.message : `internal error: ${(e as Error).message}`;
    process.stderr.write(`rvn: ${message.split('\n')[0]}\n`);
    return 2;
  }
}

export function parseTopologyArgs(argv: string[]): TopologyOptions {
  const options: TopologyOptions = { format: 'text', summaryOnly: false, rules: new Map(), color: !!process.stdout.isTTY && !process.env.NO_COLOR, paths: [] };
  const setFormat = (f: 'json' | 'html') => {
    if (options.format !== 'text' && options.format !== f) throw new UsageError('--json and --html cannot be combined');
    options.format = f;
  };
  const args = [...argv];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const [name, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined || v === '') throw new UsageError(`${name} needs a value`);
      return v;
    };
    if (name === '--json') setFormat('json');
    else if (name === '--html') {
      setFormat('html');
      options.htmlFile = value();
    } else if (name === '--summary') options.summaryOnly = true;
    else if (name === '--no-color') options.color = false;
    else if (name === '--rule') parseRule(value(), options.rules);
    else if (a === '--') options.paths.push(...args.splice(i + 1));
    else if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a} (usage: ${TOPOLOGY_USAGE})`);
    else options.paths.push(a);
  }
  if (options.paths.length === 0) throw new UsageError(`topology needs at least one log file (usage: ${TOPOLOGY_USAGE})`);
  return options;
}

function parseRule(spec: string, rules: Map<string, RuleSetting>): void {
  const m = /^([\w/-]+)=(off|error|warning|info|hint)$/.exec(spec);
  if (!m) throw new UsageError(`--rule takes RULE=off|error|warning|info|hint, not '${spec}'`);
  if (!NCCL_LOG_RULES.some((r) => r.id === m[1])) throw new UsageError(`unknown NCCL log rule '${m[1]}' (${NCCL_LOG_RULES.map((r) => r.id).join(', ')})`);
  rules.set(m[1], m[2] as RuleSetting);
}

async function analyseLog(path: string, rules: Map<string, RuleSetting>): Promise<LogReport> {
  const file = path === '-' ? '/dev/stdin' : path;
  if (path !== '-') {
    let isDir: boolean;
    try {
      isDir = statSync(file).isDirectory();
    } catch (e) {
      throw new UsageError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : ((e as NodeJS.ErrnoException).code ?? (e as Error).message)}`);
    }
    if (isDir) throw new UsageError(`cannot read ${path}: is a folder (name the log files)`);
  }
  let model: NcclLogModel;
  try {
    model = await parseNcclLogFile(file);
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return { path, model, findings: applyRules(ncclLogFindings(model), rules) };
}

/** `--rule` overrides: a new severity, or `off` to drop the rule's findings. */
export function applyRules(findings: Finding[], rules: Map<string, RuleSetting>): Finding[] {
  if (rules.size === 0) return findings;
  return findings.flatMap((f) => {
    const setting = rules.get(f.rule);
    if (setting === undefined) return [f];
    return setting === 'off' ? [] : [{ ...f, severity: setting }];
  });
}

/** One finding of the JSON output: rule id, severity, 1-based line, message. */
const jsonFinding = (f: Finding) => ({
  id: f.rule,
  severity: f.severity,
  line: f.range.start.line + 1,
  message: f.message,
});

export function formatTopologyJson(reports: LogReport[], summaryOnly: boolean): string {
  const logs = reports.map((r) => ({
    path: r.path,
    summary: summarizeTopology(r.model),
    findings: r.findings.map(jsonFinding),
    ...(summaryOnly ? {} : { model: r.model }),
  }));
  return `${JSON.stringify({ version: 1, logs })}\n`;
}

export function formatTopologyText(reports: LogReport[], summaryOnly: boolean, color: boolean): string {
  const blocks = reports.map((r) => {
    const summary = formatNcclLogSummary(summarizeNcclLog(r.model, r.findings));
    return `${reports.length > 1 || !summaryOnly ? `${r.path}\n` : ''}${summary.map((l) => `  ${l}`).join('\n')}\n`;
  });
  if (summaryOnly) return blocks.join('\n');
  return `${blocks.join('\n')}\n${formatText(reports.map((r) => ({ path: r.path, findings: r.findings })), color)}`;
}

function writeHtml(reports: LogReport[], options: TopologyOptions): void {
  const page = renderTopologyHtml(
    reports.map((r) => ({ name: r.path, model: r.model, findings: r.findings })),
    { nonce: randomBytes(18).toString('base64'), standalone: true },
  );
  try {
    writeFileSync(options.htmlFile!, page);
  } catch (e) {
    throw new UsageError(`cannot write ${options.htmlFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (options.summaryOnly) process.stdout.write(formatTopologyText(reports, true, options.color));
  process.stdout.write(`${options.htmlFile}\n`);
}
