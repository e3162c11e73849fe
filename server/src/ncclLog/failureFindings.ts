/**
 * Failure findings: every NCCL WARN (`nccl-log/warn`), WARN-rooted back-traces and application-side
 * NCCL errors (`nccl-log/error`), and ranks or processes that never finished initialising
 * (`nccl-log/init-incomplete`). Counts are capped so a log with a million WARNs stays usable.
 */
import type { Finding } from '../protocol/findings';
import { finding } from './findingBase';
import type { NcclLogModel, NcclProcess } from './model';
import { hintFor } from './warnHints';

const MAX_WARN_FINDINGS = 200;
const MAX_ERROR_FINDINGS = 100;
const MAX_INIT_FINDINGS = 64;

const withHint = (text: string, base: string) => {
  const hint = hintFor(text);
  return hint ? `${base} ${hint}` : base;
};

const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

function where(process: string | undefined, cudaDev: number | undefined): string {
  if (!process) return '';
  return cudaDev !== undefined ? ` (${process}, GPU ${cudaDev})` : ` (${process})`;
}

function warnFindings(model: NcclLogModel): Finding[] {
  const out = model.warnings
    .slice(0, MAX_WARN_FINDINGS)
    .map((w) => finding('nccl-log/warn', 'warning', withHint(w.text, `NCCL WARN${where(w.process, w.cudaDev)}: ${sentence(w.text)}`), w.ref));
  const hidden = model.warnCount - out.length;
  if (hidden > 0 && out.length > 0) {
    const last = out[out.length - 1];
    last.message += ` (${hidden} more WARN line(s) not listed.)`;
  }
  return out;
}

function errorFindings(model: NcclLogModel): Finding[] {
  const chains = model.errors.slice(0, MAX_ERROR_FINDINGS).map((e) => {
    const frames = e.frames.map((f) => `${f.file}:${f.line}`).join(' -> ');
    const cause = e.cause ? ` after "${e.cause}" (line ${(e.causeRef?.line ?? 0) + 1})` : '';
    return finding('nccl-log/error', 'error',
      withHint(e.cause ?? '', `NCCL call failed with ${e.codeName} (${e.code})${where(e.process, e.cudaDev)}${cause}; back-trace ${frames}.`),
      e.ref);
  });
  const app = model.appErrors.map((a) =>
    finding('nccl-log/error', 'error',
      withHint(a.text, `Application reported an NCCL failure${a.codeName ? ` (${a.codeName})` : ''}${a.count > 1 ? `, ${a.count} times` : ''}: ${sentence(a.text)}`),
      a.ref));
  return [...chains, ...app];
}

function initFindings(model: NcclLogModel): Finding[] {
  const out: Finding[] = [];
  const processes = new Map<string, NcclProcess>(model.processes.map((p) => [p.key, p]));
  const started = new Set<string>();
  for (const comm of model.communicators) {
    for (const r of comm.ranks) {
      if (!r.initStart) continue;
      started.add(r.process);
      if (r.initComplete || out.length >= MAX_INIT_FINDINGS) continue;
      const failed = (processes.get(r.process)?.fatalErrors ?? 0) > 0;
      out.push(finding('nccl-log/init-incomplete', failed ? 'error' : 'warning',
        `Rank ${r.rank}/${r.nRanks} of ${comm.commId ?? comm.id} (${r.process}, GPU ${r.cudaDev}) logged Init START but never Init COMPLETE: ` +
          (failed ? 'its process hit an NCCL error during initialisation (see the error findings).' : 'initialisation hung or the log ends before it finished (a peer that never joined, or blocked bootstrap/network connections).'),
        r.initStart));
    }
  }
  // Processes that failed before printing any Init START (bootstrap / network plugin errors).
  for (const p of model.processes) {
    if (p.fatalErrors === 0 || p.initComplete || started.has(p.key) || out.length >= MAX_INIT_FINDINGS) continue;
    const error = model.errors.find((e) => e.process === p.key);
    const gpus = p.cudaDevs.length > 0 ? p.cudaDevs.join(', ') : error?.cudaDev;
    out.push(finding('nccl-log/init-incomplete', 'error',
      `Process ${p.key}${gpus !== undefined ? ` (GPU ${gpus})` : ''} never reached Init COMPLETE: NCCL failed while creating its communicator${error?.cause ? ` ("${error.cause}")` : ''}.`,
      p.versionRef ?? p.firstRef));
  }
  return out;
}

export function errorAndInitFindings(model: NcclLogModel): Finding[] {
  return [...warnFindings(model), ...errorFindings(model), ...initFindings(model)];
}
