/**
 * One line of facts per run - test, GPUs, hosts, the peak bus bandwidth and where it was reached,
 * the footer - for the CLI's text output and the log view's table.
 */
import { expectedLink } from './gpuLinks';
import type { NcclTestsModel } from './model';
import { formatBytes, largestSize, peakBusBandwidth, runName } from './series';

export interface NcclTestsRunSummary {
  index: number;
  test: string;
  /** GPU names with their count, e.g. `2 x NVIDIA H200`. */
  gpus?: string;
  hosts: string[];
  rows: number;
  minBytes?: number;
  maxBytes?: number;
  peakBusbw?: number;
  peakAtBytes?: number;
  peakPlacement?: string;
  /** The link the GPU name implies (`NVLink 4`, ~450 GB/s), when known. */
  link?: { name: string; gbps: number };
  avgBusBandwidth?: number;
  outOfBounds?: { count: number; ok: boolean };
  /** Transports seen in NCCL lines of the run (`P2P/CUMEM/read`, `NET/Socket/0`, ...). */
  transports: string[];
  failed: boolean;
}

export function summarizeNcclTests(model: NcclTestsModel): NcclTestsRunSummary[] {
  return model.runs.map((run) => {
    const peak = peakBusBandwidth(run);
    const names = new Map<string, number>();
    for (const r of run.ranks) names.set(r.gpu, (names.get(r.gpu) ?? 0) + 1);
    const gpu = run.ranks[0]?.gpu;
    const link = expectedLink(gpu);
    const sizes = run.rows.map((r) => r.size);
    const s: NcclTestsRunSummary = {
      index: run.index,
      test: runName(run),
      gpus: names.size ? [...names.entries()].map(([n, c]) => `${c} x ${n}`).join(', ') : undefined,
      hosts: [...new Set(run.ranks.map((r) => r.host))],
      rows: run.rows.length,
      minBytes: sizes.length ? sizes.reduce((m, x) => Math.min(m, x), Infinity) : undefined,
      maxBytes: sizes.length ? largestSize(run) : undefined,
      peakBusbw: peak?.busbw,
      peakAtBytes: peak?.row.size,
      peakPlacement: peak?.placement,
      link: link ? { name: link.link, gbps: link.gbps } : undefined,
      avgBusBandwidth: run.avgBusBandwidth?.value,
      outOfBounds: run.outOfBounds ? { count: run.outOfBounds.count, ok: run.outOfBounds.ok } : undefined,
      transports: run.nccl.transports.map((t) => t.via),
      failed: run.failures.length > 0,
    };
    for (const k of Object.keys(s) as (keyof NcclTestsRunSummary)[]) if (s[k] === undefined) delete s[k];
    return s;
  });
}

/** Human-readable lines, one block per run. */
export function formatNcclTestsSummary(runs: NcclTestsRunSummary[]): string {
  return runs
    .map((s) => {
      const head = `${s.test}${s.gpus ? ` on ${s.gpus}` : ''}${s.hosts.length > 1 ? ` (${s.hosts.length} hosts)` : ''}`;
      const lines = [head];
      if (s.peakBusbw !== undefined) {
        const link = s.link ? ` (${s.link.name} ~${s.link.gbps} GB/s per direction)` : '';
        lines.push(`  peak bus bandwidth: ${s.peakBusbw} GB/s at ${formatBytes(s.peakAtBytes ?? 0)} ${s.peakPlacement}${link}`);
      }
      if (s.rows) lines.push(`  sizes: ${formatBytes(s.minBytes ?? 0)} .. ${formatBytes(s.maxBytes ?? 0)} in ${s.rows} rows`);
      if (s.avgBusBandwidth !== undefined) lines.push(`  average bus bandwidth: ${s.avgBusBandwidth} GB/s`);
      if (s.outOfBounds) lines.push(`  out of bounds values: ${s.outOfBounds.count} ${s.outOfBounds.ok ? 'OK' : 'FAILED'}`);
      if (s.transports.length) lines.push(`  NCCL transports: ${s.transports.join(', ')}`);
      if (s.failed) lines.push('  the test failed');
      return lines.join('\n');
    })
    .join('\n');
}
