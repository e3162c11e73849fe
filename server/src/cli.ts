/**
 * `rvn`: the engine on the command line.
 *   rvn check [options] PATH...   findings for scripts (exit 0 clean, 1 errors, 2 usage/I-O problem)
 *   rvn rules [--format json]     the rule catalogue
 */
import { readFileSync } from 'node:fs';
import { analyzeText, documentKind } from './engine';
import { allRules } from './analysis/rules';
import type { AnalysisSettings, RuleSetting } from './analysis/context';
import { expandPaths, UsageError } from './cli/files';
import { formatJson, formatSarif, formatText, type FileReport } from './cli/formats';
import { PRODUCT_VERSION } from './protocol/project';
import { runTopology, TOPOLOGY_USAGE } from './cli/topology';
import { runBandwidth, runVllmLog } from './cli/benchLogs';
import { isVllmConfigFileName } from './yaml/schemaTargets';

const HELP = () => `rvn ${PRODUCT_VERSION}: checks Run:ai / vLLM / NCCL deployment scripts offline.

Usage:
  rvn check [options] PATH...   check .sh/.bash/.yaml/.yml files (folders are searched)
  rvn check --list-rules        list the rules: id, default severity, one line (same as rvn rules)
  rvn rules [--format json]     list the rules and their default severities
  ${TOPOLOGY_USAGE}
                                read NCCL_DEBUG=INFO logs: transports, topology, findings
  rvn bandwidth [--json | --html FILE] FILE...
                                nccl-tests results: tables, findings, a bus-bandwidth chart
  rvn vllm-log [--json] LOG...  what a vLLM server configured (engine, KV cache) and its errors
  rvn --version | --help

Options for check:
  --format text|json|sarif      output format (default: text)
  --vllm-version V              check vLLM flags against version V (e.g. 0.18.0)
  --rule RULE=SEVERITY          off, error, warning, info or hint; repeatable
  --no-color                    plain text output

Exit status: 0 no error-level finding, 1 at least one, 2 usage or I/O error.
`;

interface CheckOptions {
  format: 'text' | 'json' | 'sarif';
  settings: AnalysisSettings;
  color: boolean;
  paths: string[];
}

function parseCheckArgs(argv: string[]): CheckOptions {
  const options: CheckOptions = { format: 'text', settings: { rules: {} }, color: !!process.stdout.isTTY && !process.env.NO_COLOR, paths: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [name, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`${name} needs a value`);
      return v;
    };
    switch (name) {
      case '--format': {
        const f = value();
        if (f !== 'text' && f !== 'json' && f !== 'sarif') throw new UsageError(`unknown format '${f}' (text, json or sarif)`);
        options.format = f;
        break;
      }
      case '--vllm-version':
        options.settings.vllmVersion = value();
        break;
      case '--rule': {
        const spec = value();
        const m = /^([\w/-]+)=(off|error|warning|info|hint)$/.exec(spec);
        if (!m) throw new UsageError(`--rule takes RULE=off|error|warning|info|hint, not '${spec}'`);
        if (!allRules().some((r) => r.id === m[1])) throw new UsageError(`unknown rule '${m[1]}' (see rvn rules)`);
        options.settings.rules![m[1]] = m[2] as RuleSetting;
        break;
      }
      case '--no-color':
        options.color = false;
        break;
      default:
        if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
        options.paths.push(a);
    }
  }
  if (options.paths.length === 0) throw new UsageError('check needs at least one file or folder');
  return options;
}

function runCheck(argv: string[]): number {
  if (argv.includes('--list-rules')) return runRules(argv.filter((a) => a !== '--list-rules'));
  const options = parseCheckArgs(argv);
  const files = expandPaths(options.paths);
  const reports: FileReport[] = [];
  for (const path of files) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    // A file named explicitly is checked as a script even without a known extension.
    const kind = documentKind(path, text) === 'unknown' ? 'shell' : documentKind(path, text);
    const result = analyzeText(text, kind, kind === 'yaml' ? { ...options.settings, vllmConfigFile: isVllmConfigFileName(path) } : options.settings);
    if (result.skipped) process.stderr.write(`rvn: skipped ${path}: ${result.skipped}\n`);
    reports.push({ path, findings: result.findings, ...(result.skipped ? { skipped: result.skipped } : {}) });
  }
  const out = options.format === 'json' ? formatJson(reports) : options.format === 'sarif' ? formatSarif(reports, PRODUCT_VERSION) : formatText(reports, options.color);
  process.stdout.write(out);
  return reports.some((r) => r.findings.some((f) => f.severity === 'error')) ? 1 : 0;
}

function runRules(argv: string[]): number {
  const rules = allRules();
  if (argv.includes('--format') && argv[argv.indexOf('--format') + 1] === 'json') {
    process.stdout.write(`${JSON.stringify(rules, null, 2)}\n`);
  } else {
    for (const r of rules) process.stdout.write(`${r.id.padEnd(38)} ${r.severity.padEnd(8)} ${r.summary}\n`);
  }
  return 0;
}

export function main(argv: string[]): number | Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check':
        return runCheck(rest);
      case 'topology':
        return runTopology(rest);
      case 'bandwidth':
        return runBandwidth(rest);
      case 'vllm-log':
        return runVllmLog(rest);
      case 'rules':
        return runRules(rest);
      case '--version':
      case '-v':
        process.stdout.write(`${PRODUCT_VERSION}\n`);
        return 0;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        process.stdout.write(HELP());
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command '${command}' (try rvn --help)`);
    }
  } catch (e) {
    const message = e instanceof UsageError ? e.message : `internal error: ${(e as Error).message}`;
    process.stderr.write(`rvn: ${message}\n`);
    return 2;
  }
}

/** Runs the CLI and sets the exit code once any asynchronous command has finished. */
export function run(argv: string[]): void {
  // `rvn ... | head` closes the pipe early: stop quietly, as other command-line tools do.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  void Promise.resolve(main(argv)).then((code) => {
    process.exitCode = code;
  });
}

if (require.main === module) run(process.argv.slice(2));
