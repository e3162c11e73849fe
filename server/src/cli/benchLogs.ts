/**
 * `rvn bandwidth [--json | --html FILE] FILE...`: nccl-tests results (all_reduce_perf, ...): the
 * parsed tables, findings (corruption, low bandwidth, no plateau) and a bus-bandwidth chart with
 * every file overlaid (e.g. P2P on vs off).
 * `rvn vllm-log [--json] LOG...`: what vLLM configured (version, engine config, KV cache) and its
 * findings.
 * Exit 0 without error-level findings, 1 with some, 2 on a usage or I/O error.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { bandwidthSeries, formatNcclTestsSummary, ncclTestsFindings, parseNcclTests, summarizeNcclTests } from '../ncclTests/index';
import { formatVllmLogSummary, parseVllmLog, summarizeVllmLog, vllmLogFindings } from '../vllmLog/index';
import { BANDWIDTH_CHART_CSS, renderBandwidthChartSvg, type BandwidthSeries } from '../report/bandwidthChart';
import { escapeHtml } from '../report/html';
import type { Finding } from '../protocol/findings';
import { findingJson, type FileReport } from './formats';
import { UsageError } from './files';

interface Args {
  json: boolean;
  html?: string;
  paths: string[];
}

function parseArgs(argv: string[], allowHtml: boolean): Args {
  const args: Args = { json: false, paths: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') args.json = true;
    else if (allowHtml && (a === '--html' || a.startsWith('--html='))) {
      args.html = a.includes('=') ? a.slice(7) : argv[++i];
      if (!args.html) throw new UsageError('--html needs a file name');
    } else if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
    else args.paths.push(a);
  }
  if (args.paths.length === 0) throw new UsageError('give at least one file');
  if (args.json && args.html) throw new UsageError('--json and --html cannot be combined');
  return args;
}

function read(path: string): string {
  try {
    return readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function findingLines(path: string, findings: Finding[]): string {
  return findings.map((f) => `${path}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity} ${f.message} [${f.rule}]\n`).join('');
}

const exitCode = (reports: FileReport[]) => (reports.some((r) => r.findings.some((f) => f.severity === 'error')) ? 1 : 0);

function guard(run: () => number): number {
  try {
    return run();
  } catch (e) {
    process.stderr.write(`rvn: ${e instanceof UsageError ? e.message : `internal error: ${(e as Error).message}`}\n`);
    return 2;
  }
}

export function runBandwidth(argv: string[]): number {
  return guard(() => {
    const args = parseArgs(argv, true);
    const reports: FileReport[] = [];
    const series: BandwidthSeries[] = [];
    const models = args.paths.map((path) => {
      const model = parseNcclTests(read(path));
      const findings = ncclTestsFindings(model);
      reports.push({ path, findings });
      for (const run of model.runs) series.push(...bandwidthSeries(run, `${basename(path)}: ${run.test ?? 'run'}`));
      return { path, model, findings };
    });
    if (args.json) {
      const logs = models.map((m) => ({ path: m.path, summary: summarizeNcclTests(m.model), findings: m.findings.map(findingJson), model: m.model }));
      process.stdout.write(`${JSON.stringify({ version: 1, files: logs })}\n`);
    } else if (args.html) {
      writeFileSync(args.html, bandwidthPage(series, models.map((m) => ({ path: m.path, findings: m.findings }))));
      process.stdout.write(`${args.html}\n`);
    } else {
      for (const m of models) process.stdout.write(`${m.path}\n${formatNcclTestsSummary(summarizeNcclTests(m.model))}\n${findingLines(m.path, m.findings)}`);
    }
    return exitCode(reports);
  });
}

/** A standalone page: the chart plus the findings, with a strict CSP and a nonce for the styles. */
function bandwidthPage(series: BandwidthSeries[], files: Array<{ path: string; findings: Finding[] }>): string {
  const nonce = randomBytes(16).toString('base64');
  const rows = files.flatMap((f) => f.findings.map((x) => `<tr><td>${escapeHtml(basename(f.path))}:${x.range.start.line + 1}</td><td>${escapeHtml(x.severity)}</td><td>${escapeHtml(x.message)}</td></tr>`));
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}'; img-src data:">
<title>nccl-tests bus bandwidth</title>
<style nonce="${nonce}">body{font-family:var(--vscode-font-family,system-ui,sans-serif);color:var(--vscode-editor-foreground,#222);background:var(--vscode-editor-background,#fff);margin:1.5rem}table{border-collapse:collapse}td,th{border:1px solid #8884;padding:.2rem .5rem;text-align:left}${BANDWIDTH_CHART_CSS}</style>
</head><body>
<h1>nccl-tests: bus bandwidth by message size</h1>
${renderBandwidthChartSvg(series, { title: 'Bus bandwidth (GB/s) against message size' })}
<h2>Findings</h2>
${rows.length ? `<table><thead><tr><th scope="col">Where</th><th scope="col">Severity</th><th scope="col">Finding</th></tr></thead><tbody>${rows.join('')}</tbody></table>` : '<p>None.</p>'}
</body></html>
`;
}

export function runVllmLog(argv: string[]): number {
  return guard(() => {
    const args = parseArgs(argv, false);
    const reports: FileReport[] = [];
    const out: unknown[] = [];
    for (const path of args.paths) {
      const model = parseVllmLog(read(path));
      const findings = vllmLogFindings(model);
      reports.push({ path, findings });
      if (args.json) out.push({ path, summary: summarizeVllmLog(model), findings: findings.map(findingJson), model });
      else process.stdout.write(`${path}\n${formatVllmLogSummary(summarizeVllmLog(model))}\n${findingLines(path, findings)}`);
    }
    if (args.json) process.stdout.write(`${JSON.stringify({ version: 1, files: out })}\n`);
    return exitCode(reports);
  });
}
