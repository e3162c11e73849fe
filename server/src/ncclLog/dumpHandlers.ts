/**
 * The multi-line dumps NCCL prints one `INFO("%s")` at a time: the topology tree, the path matrix,
 * graph-search results, ring/tree connectivity and the tuning table. Continuation state lives per
 * thread (one thread prints one dump at a time, other ranks' lines interleave freely).
 */
import { PATTERN_NAMES } from './commBuilder';
import type { MessageRecord } from './lines';
import type { SourceRef } from './model';
import type { NcclLogBuilder } from './parser';
import type { NcclPrefix } from './prefix';
import type { ProcessState, ThreadState } from './processState';
import { addPathRecord, TopologyBlock } from './topologyBuilder';

const MAX_GRAPH_CHANNELS = 64;
const MAX_TUNING_CELLS = 512;

/** Multi-line dumps: topology, paths, graphs, rings, trees, tuning. */
export function handleDump(b: NcclLogBuilder, r: MessageRecord, proc: ProcessState, tid: number, prefix: NcclPrefix | undefined, ref: SourceRef): void {
  switch (r.kind) {
    case 'topoHeader': {
      b.evidence.graph = true;
      const topology = b.topologyOf(proc);
      topology?.header(r.maxBw, r.totalBw, ref);
      b.thread(proc, tid).block = topology ? new TopologyBlock(topology) : undefined;
      return;
    }
    case 'topoNode':
      proc.threads.get(tid)?.block?.add(r, ref);
      return;
    case 'topoFooter': {
      const t = proc.threads.get(tid);
      if (t) t.block = undefined;
      return;
    }
    case 'path': {
      b.evidence.graph = true;
      const topology = b.topologyOf(proc);
      if (topology) addPathRecord(topology, r, ref);
      return;
    }
    case 'graphPattern': {
      b.evidence.graph = true;
      const graph = { ...r, process: proc.key, patternName: PATTERN_NAMES[r.pattern] ?? `pattern ${r.pattern}`, channels: [] as string[][], ref };
      delete (graph as { kind?: string }).kind;
      b.thread(proc, tid).graph = graph;
      b.commOf(proc, prefix).addGraph(graph);
      return;
    }
    case 'graphChannel': {
      const graph = proc.threads.get(tid)?.graph;
      // Records may be shared between identical lines (parser.ts caches them): copy what is kept.
      if (graph && graph.channels.length < MAX_GRAPH_CHANNELS) graph.channels.push([...r.nodes]);
      return;
    }
    case 'ringOrder':
      b.evidence.init = true;
      b.commOf(proc, prefix, 0, Math.max(0, ...r.order)).addRingOrder(r.channel, [...r.order], ref);
      return;
    case 'ring': {
      b.evidence.graph = true;
      const comm = b.commOf(proc, prefix, r.rank, Math.max(r.prev, r.next));
      comm.addRingNeighbour(r.channel, r.rank, r.next, ref);
      comm.addRingNeighbour(r.channel, r.prev, r.rank, ref, true);
      return;
    }
    case 'trees': {
      b.evidence.init = true;
      const me = r.entries[0]?.rank;
      const comm = b.commOf(proc, prefix, me);
      for (const e of r.entries) comm.addTreeNode({ channel: e.channel, rank: e.rank, up: e.up, down: e.down.filter((d) => d >= 0), scope: 'comm', ref });
      return;
    }
    case 'netTree':
      b.commOf(proc, prefix, r.rank).addTreeNode({ channel: r.channel, rank: r.rank, up: r.up, down: r.down.filter((d) => d >= 0), scope: 'net', ref });
      return;
    case 'tuningAlgorithms':
    case 'tuningProtocols':
    case 'tuningThreads':
    case 'tuningRow':
      b.evidence.tuning = true;
      handleTuning(b, r, proc, b.thread(proc, tid), prefix, ref);
      return;
    default:
      return;
  }
}

/** The table comes in blocks of three algorithms; cells map to (algorithm, protocol) by position. */
function handleTuning(b: NcclLogBuilder, r: MessageRecord, proc: ProcessState, t: ThreadState, prefix: NcclPrefix | undefined, ref: SourceRef): void {
  if (r.kind === 'tuningAlgorithms') {
    const continuing = t.tuning && ref.line - t.tuning.lastLine <= 40;
    let table = continuing ? t.tuning?.table : undefined;
    if (!continuing) {
      const comm = b.commOf(proc, prefix);
      if (!comm.tuning) comm.tuning = table = { maxThreads: [], cells: [], ref };
    }
    t.tuning = { table, algorithms: r.algorithms, protocols: [], lastLine: ref.line };
    return;
  }
  const tuning = t.tuning;
  if (!tuning) return;
  tuning.lastLine = ref.line;
  if (r.kind === 'tuningProtocols') tuning.protocols = r.protocols;
  const table = tuning.table;
  if (!table) return;
  const at = (i: number) => ({
    algorithm: tuning.algorithms[Math.floor(i / 3)] ?? `#${Math.floor(i / 3)}`,
    protocol: tuning.protocols[i] ?? ['LL', 'LL128', 'Simple'][i % 3],
  });
  if (r.kind === 'tuningThreads') {
    r.threads.forEach((threads, i) => table.maxThreads.length < MAX_TUNING_CELLS && table.maxThreads.push({ ...at(i), threads }));
  } else if (r.kind === 'tuningRow') {
    r.cells.forEach((cell, i) => table.cells.length < MAX_TUNING_CELLS && table.cells.push({ func: r.func, ...at(i), ...cell }));
  }
}
