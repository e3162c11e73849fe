/**
 * Big NCCL logs for the parser benchmark, built from real NCCL 2.28.9 lines of the corpus: each
 * 4-GPU corpus run becomes one job of N nodes × 8 GPUs by renumbering hosts, pids, tids, ranks,
 * CUDA devices, bus ids and addresses. The line shapes stay exactly NCCL's; only numbers and names
 * change. Jobs repeat (as restarts of a crash-looping deployment would) until the size is reached,
 * each with new pids and a new communicator id. Deterministic: the same options give the same bytes.
 *
 * Produced as a stream of string chunks, so a 1 GB log is never held in memory.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface WorkloadOptions {
  /** Corpus folder with default.log, p2p-disabled-shm.log, tree-ll128.log. */
  corpusDir: string;
  /** Stop after the chunk that reaches this many bytes (UTF-8). */
  targetBytes: number;
  nodes?: number;
  seed?: number;
}

const GPUS_PER_NODE = 8;
const SOURCE_GPUS = 4;
/** PCI bus ids of an 8-GPU HGX board, as NCCL prints them (`%lx`). */
const BUS_IDS = ['18000', '2a000', '3a000', '5d000', '9a000', 'ab000', 'ba000', 'db000'];
/** The corpus GPUs' bus ids, in cudaDev order. */
const SOURCE_BUS = ['60', '70', '80', '90'];
const TEMPLATES = ['default.log', 'p2p-disabled-shm.log', 'tree-ll128.log'];

/** Deterministic pseudo-random numbers (LCG), so every run writes the same file. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface TemplateLine {
  /** Local GPU (0..3) of the source process, or -1 for lines without an NCCL prefix. */
  source: number;
  text: string;
}

interface Template {
  lines: TemplateLine[];
  pids: number[];
}

const PREFIX = /^(\[[^\]]+\] )?vm:(\d+):(\d+) /;
const RANK_PREFIX = /^\[rank(\d+)\]:/;

function loadTemplate(file: string): Template {
  const raw = readFileSync(file, 'utf8').split('\n');
  if (raw[raw.length - 1] === '') raw.pop();
  const pids = [...new Set(raw.map((l) => PREFIX.exec(l)?.[2]).filter((p): p is string => p !== undefined).map(Number))].sort((a, b) => a - b).slice(0, SOURCE_GPUS);
  const lines = raw.map((text) => {
    const m = PREFIX.exec(text);
    const rank = RANK_PREFIX.exec(text);
    return { source: m ? pids.indexOf(Number(m[2])) : rank ? Number(rank[1]) % SOURCE_GPUS : -1, text };
  });
  return { lines, pids };
}

interface Renumbering {
  node: number;
  nodes: number;
  /** Which half of the 8-GPU node this copy of a 4-GPU process plays. */
  half: number;
  local: number;
  host: string;
  pidBase: number;
  sourcePids: number[];
  commId: string;
  ip: string;
}

const globalRank = (r: Renumbering, sourceRank: number) => r.node * GPUS_PER_NODE + r.half * SOURCE_GPUS + (sourceRank % SOURCE_GPUS);
const busOf = (r: Renumbering, sourceBus: string) => {
  const i = SOURCE_BUS.indexOf(sourceBus);
  return i < 0 ? sourceBus : BUS_IDS[r.half * SOURCE_GPUS + i];
};

/** Rewrites one corpus line for one target process; the shape of the line does not change. */
function renumber(text: string, r: Renumbering): string {
  let out = text.replace(PREFIX, (_, ts: string | undefined, pid: string, tid: string) => {
    const newPid = r.pidBase + r.sourcePids.indexOf(Number(pid)) + r.half * SOURCE_GPUS;
    return `${ts ?? ''}${r.host}:${newPid}:${newPid + Number(tid) - Number(pid)} `;
  });
  out = out.replace(/^\[rank(\d+)\]:/, (_, n: string) => `[rank${globalRank(r, Number(n))}]:`);
  out = out.replace(/ \[(\d)\] (?=\S)/, ` [${r.local}] `);
  // Ranks and sizes of the communicator.
  out = out.replace(/\b(rank|Rank) (\d+)\b/g, (_, w: string, n: string) => `${w} ${globalRank(r, Number(n))}`);
  out = out.replace(/\b(nranks|nRanks) (\d+)\b/g, (_, w: string) => `${w} ${r.nodes * GPUS_PER_NODE}`);
  out = out.replace(/\bnNodes (\d+)\b/, `nNodes ${r.nodes}`);
  out = out.replace(/\blocalRanks (\d+)\b/, `localRanks ${GPUS_PER_NODE}`);
  out = out.replace(/\blocalRank (\d+)\b/, `localRank ${r.local}`);
  out = out.replace(/\b(cudaDev|nvmlDev) (\d+)\b/g, (_, w: string) => `${w} ${r.local}`);
  out = out.replace(/\bbusId ([0-9a-f]+)\b/, (_, b: string) => `busId ${busOf(r, b)}`);
  out = out.replace(/\bcommId 0x[0-9a-f]+/, `commId ${r.commId}`);
  // Channel lines `a[da] -> b[db]`, ring lines `p -> me -> n`, tree entries `d/d/d->me->up`.
  out = out.replace(/(\d+)\[(\d+)\] -> (\d+)\[(\d+)\]/, (_, a: string, da: string, b: string, db: string) =>
    `${globalRank(r, Number(a))}[${r.half * SOURCE_GPUS + Number(da)}] -> ${globalRank(r, Number(b))}[${r.half * SOURCE_GPUS + Number(db)}]`);
  if (/ NCCL INFO Ring \d+ : /.test(out)) out = out.replace(/(\d+) -> (\d+) -> (\d+)$/, (_, p: string, m: string, n: string) => `${globalRank(r, +p)} -> ${globalRank(r, +m)} -> ${globalRank(r, +n)}`);
  if (/ NCCL INFO Trees/.test(out)) {
    const map = (x: string) => (Number(x) < 0 ? x : String(globalRank(r, Number(x))));
    out = out.replace(/(-?\d+)\/(-?\d+)\/(-?\d+)->(-?\d+)->(-?\d+)/g, (_, a: string, b: string, c: string, me: string, up: string) => `${map(a)}/${map(b)}/${map(c)}->${map(me)}->${map(up)}`);
  }
  // Topology, path and graph node ids of the GPUs; socket addresses of the node.
  out = out.replace(/\bGPU\/0-([0-9a-f]+)/g, (_, b: string) => `GPU/0-${busOf(r, b)}`);
  out = out.replace(/\bGPU\/0-[0-9a-f]+ \((\d)\)/g, (m: string, n: string) => m.replace(`(${n})`, `(${globalRank(r, Number(n))})`));
  out = out.replace(/192\.0\.2\.2\b/g, r.ip);
  return out;
}

/**
 * Yields the log in chunks of a few hundred KB. Lines of the two 4-GPU halves of a node interleave
 * at random (seeded), as lines of concurrent processes do.
 */
export function* ncclLogWorkload(options: WorkloadOptions): Generator<string> {
  const nodes = options.nodes ?? 64;
  const rnd = prng(options.seed ?? 1);
  const templates = TEMPLATES.map((t) => loadTemplate(join(options.corpusDir, t)));
  let bytes = 0;
  for (let job = 0; bytes < options.targetBytes; job++) {
    const template = templates[job % templates.length];
    const commId = `0x${(Math.floor(rnd() * 2 ** 32) >>> 0).toString(16).padStart(8, '0')}${(Math.floor(rnd() * 2 ** 32) >>> 0).toString(16).padStart(8, '0')}`;
    for (let node = 0; node < nodes && bytes < options.targetBytes; node++) {
      const host = `gpu-node-${String(node).padStart(4, '0')}`;
      const pidBase = 1000 + ((job * nodes + node) % 4000) * 16;
      const ip = `10.${Math.floor(node / 250)}.${node % 250}.${10 + (job % 200)}`;
      const halves = [0, 1].map((half) => ({ node, nodes, half, local: 0, host, pidBase, sourcePids: template.pids, commId, ip }));
      const parts: string[] = [];
      let i = 0;
      const queues = [0, 0];
      const lines = template.lines;
      // Walk both halves through the template; pick the next line of a random half each time.
      while (queues[0] < lines.length || queues[1] < lines.length) {
        const h = queues[0] >= lines.length ? 1 : queues[1] >= lines.length ? 0 : rnd() < 0.5 ? 0 : 1;
        const line = lines[queues[h]++];
        const r = halves[h];
        r.local = line.source < 0 ? 0 : h * SOURCE_GPUS + line.source;
        // Lines without a process (banners, blank lines, tool output) are kept once per node.
        if (line.source < 0 && h === 1) continue;
        parts.push(line.source < 0 ? line.text : renumber(line.text, r));
        if (++i % 4096 === 0) {
          const chunk = `${parts.join('\n')}\n`;
          parts.length = 0;
          bytes += Buffer.byteLength(chunk);
          yield chunk;
        }
      }
      if (parts.length > 0) {
        const chunk = `${parts.join('\n')}\n`;
        bytes += Buffer.byteLength(chunk);
        yield chunk;
      }
    }
  }
}
