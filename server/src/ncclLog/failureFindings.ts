/**
 * Failure findings: NCCL WARNs no incident rule explains (`nccl-log/warn`), WARN-rooted back-traces
 * and application-side NCCL errors (`nccl-log/nccl-error`), and ranks or processes that never finished initialising
 * (`nccl-log/init-incomplete`). Counts are capped so a log with a million WARNs stays usable.
 */
import type { Finding } from '../protocol/findings';
import { finding } from './findingBase';
import type { NcclLogModel, NcclProcess } from './model';
import { RankIndex } from './rankIndex';
import { hintFor } from './warnHints';

const MAX_WARN_FINDINGS = 200;
const MAX_ERROR_FINDINGS = 100;
const MAX_INIT_FINDINGS = 64;

const withHint = (text: string, base: string) => {
  const hint = hintFor(text);
  return hint ? `${base} ${hint}` : base;
};

const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

/** ` (rank 3 (node01, GPU 3))` when the process holds a rank on that GPU, else ` (node01:4242, GPU 3)`. */
function where(ranks: RankIndex, process: string | undefined, cudaDev: number | undefined): string {
  if (!process) return '';
  const rank = ranks.rankOf({ process, ...(cudaDev !== undefined ? { cudaDev } : {}) });
  if (rank && (cudaDev === undefined || rank.cudaDev === cudaDev)) return ` (rank ${rank.rank} (${rank.host}, GPU ${rank.cudaDev}))`;
  return cudaDev !== undefined ? ` (${process}, GPU ${cudaDev})` : ` (${process})`;
}

/**
 * WARNs NCCL <= 2.8 printed while probing for a transport it may not need (`Failed to open
 * libibverbs.so[.1]`: no RDMA user-space library in the image). They matter only when traffic
 * leaves the node; otherwise they are reported as info.
 */
const PROBE_WARN = /^(?:Failed to open libibverbs\.so|Failed to open libmlx5\.so|NET\/IB : No device found)/;

function leavesNode(model: NcclLogModel): boolean {
  return model.communicators.some((c) => (c.nNodes ?? 1) > 1 || c.connections.some((x) => x.transport === 'NET' || x.transport === 'COLLNET'));
}

function warnFindings(model: NcclLogModel, ranks: RankIndex): Finding[] {
  const plain = model.warnings.filter((w) => w.incident === undefined);
  const local = !leavesNode(model);
  const out = plain
    .slice(0, MAX_WARN_FINDINGS)
    .map((w) => {
      const probe = local && PROBE_WARN.test(w.text);
      const text = `NCCL WARN${where(ranks, w.process, w.cudaDev)}: ${sentence(w.text)}`;
      return probe
        ? finding('nccl-log/warn', 'info', `${text} NCCL found no RDMA library in the image and uses sockets for traffic between nodes; no traffic in this log leaves the node, so it is harmless here (install rdma-core / MLNX OFED for multi-node runs).`, w.ref)
        : finding('nccl-log/warn', 'warning', withHint(w.text, text), w.ref);
    });
  // WARNs past the model's cap are counted only; they may include incident WARNs.
  const hidden = plain.length - out.length + (model.warnCount - model.warnings.length);
  if (hidden > 0 && out.length > 0) {
    const last = out[out.length - 1];
    last.message += ` (${hidden} more WARN line(s) not listed.)`;
  }
  return out;
}

function errorFindings(model: NcclLogModel, ranks: RankIndex): Finding[] {
  const chains = model.errors.slice(0, MAX_ERROR_FINDINGS).map((e) => {
    const frames = e.frames.map((f) => `${f.file}:${f.line}`).join(' -> ');
    const cause = e.cause ? ` after "${e.cause}" (line ${(e.causeRef?.line ?? 0) + 1})` : '';
    return finding('nccl-log/nccl-error', 'error',
      withHint(e.cause ?? '', `NCCL call failed with ${e.codeName} (${e.code})${where(ranks, e.process, e.cudaDev)}${cause}; back-trace ${frames}.`),
      e.ref);
  });
  const app = model.appErrors.map((a) =>
    finding('nccl-log/nccl-error', 'error',
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
  const ranks = new RankIndex(model);
  return [...warnFindings(model, ranks), ...errorFindings(model, ranks), ...initFindings(model)];
}
