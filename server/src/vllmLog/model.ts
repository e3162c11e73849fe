/**
 * What a vLLM server log says about the server it started, as plain JSON-serialisable data: the
 * version, the arguments that differ from the defaults, the engine configuration vLLM resolved
 * (model, dtype, quantization, context length, parallelism, prefix caching, chunked prefill,
 * compilation and CUDA graphs), the KV cache it could allocate, and what went wrong.
 *
 * Every fact keeps a SourceRef (0-based line, UTF-16 columns after wrappers) for findings and the
 * editor. Values that vLLM prints are kept as printed where they are not numbers or booleans.
 */
import type { PyValue } from './pyLiteral';

export interface SourceRef {
  line: number;
  start: number;
  end: number;
}

export interface Located<T> {
  value: T;
  ref: SourceRef;
}

export interface VllmCompilation {
  /** 0 NONE, 1 STOCK_TORCH_COMPILE, 2 DYNAMO_TRACE_ONCE, 3 VLLM_COMPILE (older `level` mapped the same way). */
  mode?: number;
  modeName?: string;
  /** The deprecated `level` when the config printed one. */
  level?: number;
  /** NONE, PIECEWISE, FULL, FULL_DECODE_ONLY, FULL_AND_PIECEWISE. */
  cudagraphMode?: string;
  cudagraphCaptureSizes?: number[];
  maxCaptureSize?: number;
  /** Releases before CUDA graph modes: `use_cudagraph`. */
  useCudagraph?: boolean;
  backend?: string;
  customOps?: string[];
  /** Fusion passes switched on in `pass_config` (`allreduce_rms`, `norm_quant`, ...). */
  fusions: string[];
}

/** `Initializing a V1 LLM engine (v0.20.0) with config: model='...', dtype=torch.bfloat16, ...` */
export interface VllmEngineConfig {
  /** `V1`, or `V0` for the older `Initializing an LLM engine` line. */
  engine: string;
  version?: string;
  model?: string;
  tokenizer?: string;
  servedModelName?: string;
  /** Without the `torch.` prefix: `bfloat16`, `float16`, ... */
  dtype?: string;
  /** null when vLLM printed `None`. */
  quantization?: string | null;
  maxSeqLen?: number;
  tensorParallelSize?: number;
  pipelineParallelSize?: number;
  dataParallelSize?: number;
  enforceEager?: boolean;
  kvCacheDtype?: string;
  enablePrefixCaching?: boolean;
  chunkedPrefill?: boolean;
  trustRemoteCode?: boolean;
  loadFormat?: string;
  compilation?: VllmCompilation;
  /** Every `key=value` of the line, as printed (values capped). */
  fields: Record<string, string>;
  ref: SourceRef;
}

export type VllmErrorKind = 'oom' | 'kv-cache' | 'nccl' | 'cuda-graph-capture' | 'other';

export interface VllmLogError {
  kind: VllmErrorKind;
  text: string;
  /** Level of the record it came from, when it was one. */
  level?: string;
  /** Logged while CUDA graphs were being captured (after a capture started, before it finished). */
  duringCapture?: boolean;
  ref: SourceRef;
}

export interface VllmLogModel {
  /** From `vLLM API server version X`, the start-up banner or the engine line. */
  version?: Located<string>;
  /** `non-default args: {...}` (or the older `args: Namespace(...)`); secrets are redacted. */
  nonDefaultArgs?: { args: Record<string, PyValue>; ref: SourceRef; namespace: boolean };
  engine?: VllmEngineConfig;
  architecture?: Located<string>;
  /** `Automatically detected platform cuda.` (also `rocm`, `tpu`, `cpu`, `hpu`, `xpu`, `neuron`, plugins' names). */
  platform?: Located<string>;
  /** The `model   M` row of the start-up banner of recent releases. */
  bannerModel?: Located<string>;
  /**
   * The attention backend chosen, as vLLM names it: `FLASHINFER` (`Using FLASHINFER attention backend
   * out of potential backends: [...]`), `Flash Attention` (`Using Flash Attention backend on V1
   * engine.`), `XFormers` (V0: `Using XFormers backend.`).
   */
  attentionBackend?: Located<string>;
  /** `Using max model len N`. */
  maxModelLen?: Located<number>;
  /** `Chunked prefill is enabled with max_num_batched_tokens=N.` */
  maxNumBatchedTokens?: Located<number>;
  asyncScheduling?: Located<boolean>;
  /** `Enabled custom fusions: a, b`. */
  customFusions?: Located<string[]>;
  kvCache: {
    /** `GPU KV cache size: N tokens` (one per engine core; data parallelism prints several). */
    gpuTokens: Located<number>[];
    /** `Available KV cache memory: X GiB`. */
    availableGiB: Located<number>[];
    /** `Maximum concurrency for N tokens per request: X x`. */
    maxConcurrency: { tokensPerRequest: number; concurrency: number; ref: SourceRef }[];
    /** V0: `# GPU blocks: N, # CPU blocks: M`. */
    blocks: { gpu: number; cpu: number; ref: SourceRef }[];
  };
  modelLoad?: { gib: number; seconds?: number; ref: SourceRef };
  cudaGraphs: {
    /** Capture progress bars or capture start messages. */
    captureStarted?: SourceRef;
    /** `Graph capturing finished in N secs, took X GiB`. */
    finished: { seconds: number; gib?: number; ref: SourceRef }[];
    /** Messages that say CUDA graphs are off (enforce-eager, cudagraph_mode NONE, skipped capture). */
    disabled: { text: string; ref: SourceRef }[];
  };
  /** The `--model` deprecation warning of `vllm serve`. */
  modelFlagDeprecation?: SourceRef;
  errors: VllmLogError[];
  /** `Starting vLLM API server ... on http://...` or uvicorn's `Application startup complete.` */
  serverReady?: SourceRef;
  /** The first line of an orderly shutdown (`Shutdown initiated`, uvicorn's `Shutting down`). */
  shutdown?: SourceRef;
  /** Worker-process prefixes seen (`APIServer pid=1`, `EngineCore_DP0 pid=187`), first 64. */
  processes: string[];
  lines: {
    total: number;
    records: number;
    byLevel: Record<string, number>;
    nccl: number;
    plain: number;
  };
  /** `MM-DD hh:mm:ss` of the first and last record. */
  firstTime?: string;
  lastTime?: string;
}

export function emptyVllmModel(): VllmLogModel {
  return {
    kvCache: { gpuTokens: [], availableGiB: [], maxConcurrency: [], blocks: [] },
    cudaGraphs: { finished: [], disabled: [] },
    errors: [],
    processes: [],
    lines: { total: 0, records: 0, byLevel: {}, nccl: 0, plain: 0 },
  };
}
