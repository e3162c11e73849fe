/**
 * Turns the parser's Map-based state into the JSON model. Host grouping happens only here because
 * NCCL_HOSTID (which overrides the hostname for node grouping) may be echoed after a process's
 * first lines.
 */
import type { NcclHost, NcclLogModel, NcclProcess } from './model';
import type { NcclLogBuilder } from './parser';

export function buildModel(b: NcclLogBuilder): NcclLogModel {
  const hostOf = (process: string) => b.processes.get(process)?.host ?? process;

  const processes: NcclProcess[] = [...b.processes.values()]
    .filter((p) => p.key !== 'unknown')
    .map((p) => {
      const out: NcclProcess = {
        key: p.key,
        hostname: p.hostname,
        pid: p.pid,
        host: p.host,
        cudaDevs: [...p.cudaDevs].sort((x, y) => x - y),
        firstRef: p.firstRef,
        initComplete: p.initComplete,
        fatalErrors: p.fatalErrors,
      };
      if (p.hostId !== undefined) out.hostId = p.hostId;
      if (p.versionRef) out.versionRef = p.versionRef;
      if (p.version !== undefined) out.ncclVersion = p.version;
      return out;
    });

  const hostMap = new Map<string, NcclHost>();
  const hostEntry = (name: string) => {
    let host = hostMap.get(name);
    if (!host) hostMap.set(name, (host = { name, hostnames: [], processes: [] }));
    return host;
  };
  for (const p of b.processes.values()) {
    const host = hostEntry(p.host);
    if (!host.hostnames.includes(p.hostname)) host.hostnames.push(p.hostname);
    if (p.key !== 'unknown') host.processes.push(p.key);
  }
  for (const [name, topology] of b.topologies) {
    if (!topology.isEmpty()) hostEntry(name).topology = topology.toModel();
  }
  const hosts = [...hostMap.values()].filter((h) => h.processes.length > 0 || h.topology);

  const communicators = [...b.comms.values()]
    .map((c) => c.toModel(hostOf))
    // Keep any communicator the log says something about (even only `nNodes` from a partial log).
    .filter((c) => c.ranks.length > 0 || c.connections.length > 0 || c.rings.length > 0 || c.trees.length > 0 || c.graphs.length > 0 || c.channelCounts !== undefined || c.nNodes !== undefined);

  return {
    schema: 1,
    lines: { ...b.counts, total: b.lineTotal },
    ...(b.firstLine ? { firstLine: b.firstLine } : {}),
    ...(b.nccl ? { nccl: b.nccl } : {}),
    ncclVersions: [...b.versions.keys()],
    ncclVersionRefs: [...b.versions.values()],
    ...(b.cudaDriver ? { cudaDriver: b.cudaDriver } : {}),
    hosts,
    processes,
    communicators,
    network: b.network.toModel(),
    env: [...b.env.values()],
    warnings: b.errors.warnings,
    warnCount: b.errors.warnCount,
    errors: b.errors.errors,
    appErrors: b.errors.appErrorList(),
    incidents: b.incidents.values(),
    subsystems: b.evidence,
    dropped: {
      warnings: b.errors.warnCount - b.errors.warnings.length,
      errors: b.errors.droppedErrors,
      appErrors: b.errors.droppedAppErrors,
      communicators: b.droppedCommunicators,
      aggregated: b.network.dropped(),
      incidents: b.incidents.dropped,
    },
  };
}
