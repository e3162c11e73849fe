/**
 * vLLM server log -> VllmLogModel, line by line (streaming: memory is bounded by what the log
 * reports, not by its length). The messages matched here are vLLM's own format strings (see the
 * comments next to each pattern); anything else is counted and skipped.
 */
import { lineReader, type ChunkParser } from '../ncclLog/lineSource';
import { readEngineConfig, isEngineConfigLine } from './engineConfig';
import { errorKind, isErrorLine } from './errors';
import { splitVllmLine, type VllmLine } from './lines';
import { emptyVllmModel, type SourceRef, type VllmLogModel } from './model';
import { parsePyLiteral, type PyValue } from './pyLiteral';

const MAX_ERRORS = 200;
const MAX_ITEMS = 256;
const MAX_PROCESSES = 64;
/** Argument names whose values are secrets and never kept. */
const SECRET_ARGS = /(?:^|_)(?:api_key|token|secret|password)s?$/i;

const num = (s: string) => Number(s.replace(/,/g, ''));

export type VllmLogParser = ChunkParser<VllmLogModel>;

class Builder {
  readonly model = emptyVllmModel();
  private capturing = false;

  line(raw: string, lineNo: number): void {
    const m = this.model;
    m.lines.total++;
    const l = splitVllmLine(raw);
    for (const p of l.processes) if (m.processes.length < MAX_PROCESSES && !m.processes.includes(p)) m.processes.push(p);
    if (l.nccl) {
      m.lines.nccl++;
      return;
    }
    const ref: SourceRef = { line: lineNo, start: l.start, end: l.end };
    if (l.record) {
      m.lines.records++;
      m.lines.byLevel[l.record.level] = (m.lines.byLevel[l.record.level] ?? 0) + 1;
      const stamp = `${l.record.date} ${l.record.time}`;
      m.firstTime ??= stamp;
      m.lastTime = stamp;
    } else m.lines.plain++;
    this.message(l, ref);
  }

  private message(l: VllmLine, ref: SourceRef): void {
    const m = this.model;
    const text = l.message;
    const level = l.record?.level;
    let x: RegExpExecArray | null;
    if (isErrorLine(text, level)) this.error(text, level, ref);
    // api_server.py: logger.info("vLLM API server version %s", VLLM_VERSION)
    if ((x = /^vLLM (?:API server )?version:? v?(\d\S{0,63})/.exec(text))) m.version ??= { value: x[1], ref };
    // The start-up banner of recent releases: block letters, then `version X` and `model M`.
    else if ((x = /[█▄▀].{0,80}\bversion\s+(\S{1,64})\s*$/.exec(text))) m.version ??= { value: x[1], ref };
    else if ((x = /[█▄▀].{0,80}\bmodel\s+(\S.{0,1023}?)\s*$/.exec(text))) m.bannerModel ??= { value: x[1], ref };
    else if (isEngineConfigLine(text)) {
      const cfg = readEngineConfig(text, ref);
      if (cfg && !m.engine) {
        m.engine = cfg;
        if (cfg.version) m.version ??= { value: cfg.version, ref };
      }
    } else if ((x = /^non-default args: (.{0,262144})$/.exec(text))) this.nonDefaultArgs(x[1], ref, false);
    else if ((x = /^args: (Namespace\(.{0,262144})$/.exec(text))) this.nonDefaultArgs(x[1], ref, true);
    // Attention backend: "Using %s attention backend out of potential backends: %s" (V1, 0.11+),
    // "Using %s backend on V1 engine." (0.7-0.10), "Using %s backend." (V0 selector). Other
    // "Using ... backend" lines (all-reduce, MoE, MLA prefill, KV layout, vit) name other kernels.
    else if ((x = /^Using (\w{1,64}) attention backend\b/.exec(text)) || (x = /^Using ([\w -]{1,64}?) backend on V1 engine\b/.exec(text))) m.attentionBackend ??= { value: x[1], ref };
    else if ((x = /^Using ([A-Za-z][\w-]{0,40}(?: [\w-]{1,40}){0,2}) backend\.?$/.exec(text)) && !/\b(?:MoE|MLA prefill|all-reduce|layout|sampl)/i.test(text)) m.attentionBackend ??= { value: x[1], ref };
    else if ((x = /^Automatically detected platform (\w{1,32})/.exec(text))) m.platform ??= { value: x[1], ref };
    // model config: logger.info("Resolved architecture: %s", ...)
    else if ((x = /^Resolved architecture: (\S{1,256})/.exec(text))) m.architecture ??= { value: x[1], ref };
    else if ((x = /^Using max model len (\d{1,12})/.exec(text))) m.maxModelLen ??= { value: Number(x[1]), ref };
    // scheduler config: "Chunked prefill is enabled with max_num_batched_tokens=%d."
    else if ((x = /^Chunked prefill is enabled with max_num_batched_tokens=(\d{1,12})/.exec(text))) m.maxNumBatchedTokens ??= { value: Number(x[1]), ref };
    else if (/^Asynchronous scheduling is enabled/.test(text)) m.asyncScheduling ??= { value: true, ref };
    else if (/^Asynchronous scheduling is disabled/.test(text)) m.asyncScheduling ??= { value: false, ref };
    else if ((x = /^Enabled custom fusions: (.{1,1024})$/.exec(text))) {
      m.customFusions ??= { value: x[1].split(/,\s*/).map((s) => s.trim()).filter(Boolean).slice(0, MAX_ITEMS), ref };
    }
    // kv_cache_utils: "GPU KV cache size: {num_tokens:,} tokens", "Maximum concurrency for {max_model_len:,} tokens per request: %.2fx"
    else if ((x = /^GPU KV cache size: ([\d,]{1,24}) tokens/.exec(text))) push(m.kvCache.gpuTokens, { value: num(x[1]), ref });
    else if ((x = /^Maximum concurrency for ([\d,]{1,24}) tokens per request: ([\d.]{1,24})x/.exec(text))) {
      push(m.kvCache.maxConcurrency, { tokensPerRequest: num(x[1]), concurrency: Number(x[2]), ref });
    } else if ((x = /^# (?:GPU|cuda|CUDA|NPU|XPU|HPU|TPU|neuron) blocks: (\d{1,12}), # CPU blocks: (\d{1,12})/.exec(text))) {
      push(m.kvCache.blocks, { gpu: Number(x[1]), cpu: Number(x[2]), ref });
    } else if ((x = /^Available KV cache memory: ([\d.]{1,16}) GiB/.exec(text))) push(m.kvCache.availableGiB, { value: Number(x[1]), ref });
    // "Model loading took %.4f GiB and %.6f seconds" (wording varied: "GiB memory and", "GB")
    else if ((x = /^Model loading took ([\d.]{1,16}) ?Gi?B(?: memory)?(?: and ([\d.]{1,16}) ?s(?:ec(?:ond)?s?)?)?/.exec(text))) {
      m.modelLoad ??= compact({ gib: Number(x[1]), seconds: x[2] !== undefined ? Number(x[2]) : undefined, ref });
    } else this.cudaGraphs(text, ref);
    if (/you should provide the model as a positional argument/.test(text)) m.modelFlagDeprecation ??= ref;
    if (/^Starting vLLM API server\b|^Application startup complete\b|^INFO:\s+Application startup complete/.test(text)) m.serverReady ??= ref;
    // An orderly shutdown: "Engine core proc ... died unexpectedly" after it is shutdown noise.
    if (/^(?:INFO:\s+)?(?:Shutting down$|Application shutdown complete|Finished server process)|^Shutdown initiated\b/.test(text)) m.shutdown ??= ref;
    // Start-up is over: later errors are not capture failures even if no "finished" line came.
    if (/^Starting vLLM API server\b|Application startup complete|^init engine\b/.test(text)) this.capturing = false;
  }

  private cudaGraphs(text: string, ref: SourceRef): void {
    const g = this.model.cudaGraphs;
    let x: RegExpExecArray | null;
    // gpu_model_runner: "Graph capturing finished in %.0f secs, took %.2f GiB" (V0: without memory;
    // terminal pastes may wrap the line before "secs")
    if ((x = /^Graph capturing finished in (\d{1,9})(?: secs?)?(?:, took ([\d.]{1,16}) GiB)?/.exec(text))) {
      push(g.finished, compact({ seconds: Number(x[1]), gib: x[2] !== undefined ? Number(x[2]) : undefined, ref }));
      this.capturing = false;
    } else if (/^Capturing CUDA graphs?\b|^Capturing cudagraphs for decoding|^Capturing the model for CUDA graphs/.test(text)) {
      g.captureStarted ??= ref;
      this.capturing = true;
    } else if (
      /^Cudagraph is disabled under eager mode|^Enforce eager set|^Skipping CUDA graph capture|^CUDA graphs? (?:is|are) (?:disabled|not supported)|[Ss]etting cudagraph_mode (?:to |=)NONE|cudagraph_mode to NONE/.test(text)
    ) {
      push(g.disabled, { text: text.slice(0, 512), ref });
    }
  }

  private nonDefaultArgs(text: string, ref: SourceRef, namespace: boolean): void {
    const parsed = parsePyLiteral(text)?.value;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return;
    const args: Record<string, PyValue> = {};
    for (const [k, v] of Object.entries(parsed)) {
      if (k === '__type__') continue;
      args[k] = SECRET_ARGS.test(k) && v !== null ? '***' : v;
    }
    this.model.nonDefaultArgs ??= { args, ref, namespace };
  }

  private error(text: string, level: string | undefined, ref: SourceRef): void {
    const errors = this.model.errors;
    if (errors.length >= MAX_ERRORS) return;
    const clipped = text.slice(0, 1024);
    if (errors.some((e) => e.text === clipped)) return;
    errors.push(compact({ kind: errorKind(text), text: clipped, level, duringCapture: this.capturing || undefined, ref }));
  }
}

/** Drops keys whose value is undefined, so the model survives a JSON round trip unchanged. */
function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

function push<T>(list: T[], item: T): void {
  if (list.length < MAX_ITEMS) list.push(item);
}

const reader = lineReader(() => new Builder());

export const createVllmLogParser: () => VllmLogParser = reader.create;
export const parseVllmLog: (text: string) => VllmLogModel = reader.parse;
export const parseVllmLogFile: (path: string) => Promise<VllmLogModel> = reader.parseFile;

/** Cheap test for "this text is a vLLM server log": vLLM records that name a vLLM module or message. */
export function looksLikeVllmLog(text: string): boolean {
  const head = text.length > 262_144 ? text.slice(0, 262_144) : text;
  return /(?:INFO|WARNING|ERROR|DEBUG) \d{2}-\d{2} \d{2}:\d{2}:\d{2} \[?[\w./-]{1,128}\.py:\d{1,7}\]/.test(head);
}
