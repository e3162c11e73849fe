/**
 * The readings of a vLLM log in one flat record - what the product document lists under "What vLLM
 * auto-detects" (dtype, architecture, quantization, max_seq_len, chunked prefill, async scheduling,
 * prefix caching, compilation mode, fusions, CUDA graph sizes) plus KV cache and failures - for the
 * CLI's text output, JSON and the log view.
 */
import type { VllmErrorKind, VllmLogModel } from './model';

export interface VllmLogSummary {
  version?: string;
  model?: string;
  servedModelName?: string;
  architecture?: string;
  dtype?: string;
  quantization?: string | null;
  maxSeqLen?: number;
  /** `max_model_len` among the non-default args (what the user asked for). */
  maxModelLenArg?: number;
  tensorParallelSize?: number;
  pipelineParallelSize?: number;
  dataParallelSize?: number;
  enablePrefixCaching?: boolean;
  chunkedPrefill?: boolean;
  maxNumBatchedTokens?: number;
  asyncScheduling?: boolean;
  enforceEager?: boolean;
  compilationMode?: string;
  cudagraphMode?: string;
  cudagraphCaptureSizes?: number[];
  fusions?: string[];
  kvCacheTokens?: number;
  maxConcurrency?: { tokensPerRequest: number; concurrency: number };
  availableKvCacheGiB?: number;
  modelLoadGiB?: number;
  /** V0 and plugin engines: `# GPU blocks: N, # CPU blocks: M` (also `# HPU blocks`, `# NPU blocks`). */
  gpuBlocks?: number;
  cpuBlocks?: number;
  attentionBackend?: string;
  /** true: `Graph capturing finished`; false: graphs disabled; undefined: the log does not say. */
  cudaGraphsCaptured?: boolean;
  errors: Partial<Record<VllmErrorKind, number>>;
}

export function summarizeVllmLog(m: VllmLogModel): VllmLogSummary {
  const e = m.engine;
  const c = e?.compilation;
  const arg = m.nonDefaultArgs?.args.max_model_len;
  const errors: Partial<Record<VllmErrorKind, number>> = {};
  for (const x of m.errors) errors[x.kind] = (errors[x.kind] ?? 0) + 1;
  const conc = m.kvCache.maxConcurrency[0];
  // Without the engine line (cut off, or a failure before it), what the arguments and the banner say.
  const args = m.nonDefaultArgs?.args ?? {};
  const argStr = (k: string) => (typeof args[k] === 'string' && args[k] !== '' ? (args[k] as string) : undefined);
  const argInt = (k: string) => (typeof args[k] === 'number' && Number.isInteger(args[k]) ? (args[k] as number) : undefined);
  const argDtype = argStr('dtype');
  const argQuant = argStr('quantization');
  const blocks = m.kvCache.blocks[0];
  const s: VllmLogSummary = {
    version: m.version?.value,
    model: e?.model ?? m.bannerModel?.value ?? argStr('model') ?? argStr('model_tag'),
    servedModelName: e?.servedModelName,
    architecture: m.architecture?.value,
    dtype: e?.dtype ?? (argDtype && argDtype !== 'auto' ? argDtype : undefined),
    quantization: e ? e.quantization : argQuant,
    maxSeqLen: e?.maxSeqLen ?? m.maxModelLen?.value,
    maxModelLenArg: typeof arg === 'number' ? arg : undefined,
    tensorParallelSize: e?.tensorParallelSize ?? argInt('tensor_parallel_size'),
    pipelineParallelSize: e?.pipelineParallelSize ?? argInt('pipeline_parallel_size'),
    dataParallelSize: e?.dataParallelSize ?? argInt('data_parallel_size'),
    enablePrefixCaching: e?.enablePrefixCaching,
    chunkedPrefill: e?.chunkedPrefill ?? (m.maxNumBatchedTokens ? true : undefined),
    maxNumBatchedTokens: m.maxNumBatchedTokens?.value,
    asyncScheduling: m.asyncScheduling?.value,
    enforceEager: e?.enforceEager,
    compilationMode: c?.modeName,
    cudagraphMode: c?.cudagraphMode,
    cudagraphCaptureSizes: c?.cudagraphCaptureSizes,
    fusions: m.customFusions?.value ?? (c && c.fusions.length ? c.fusions : undefined),
    kvCacheTokens: m.kvCache.gpuTokens[0]?.value,
    maxConcurrency: conc ? { tokensPerRequest: conc.tokensPerRequest, concurrency: conc.concurrency } : undefined,
    availableKvCacheGiB: m.kvCache.availableGiB[0]?.value,
    modelLoadGiB: m.modelLoad?.gib,
    gpuBlocks: blocks?.gpu,
    cpuBlocks: blocks?.cpu,
    attentionBackend: m.attentionBackend?.value,
    cudaGraphsCaptured: m.cudaGraphs.finished.length > 0 ? true : e?.enforceEager || c?.cudagraphMode === 'NONE' || m.cudaGraphs.disabled.length > 0 ? false : undefined,
    errors,
  };
  for (const k of Object.keys(s) as (keyof VllmLogSummary)[]) if (s[k] === undefined) delete s[k];
  return s;
}

/** Shortens a long size list the way people quote it: `1, 2, 4, 8, ..., 512`. */
function sizes(list: number[]): string {
  return list.length <= 8 ? list.join(', ') : `${list.slice(0, 5).join(', ')}, ..., ${list[list.length - 1]} (${list.length} sizes)`;
}

/** `key: value` lines in the order the product document reads them. */
export function formatVllmLogSummary(s: VllmLogSummary): string {
  const rows: [string, unknown][] = [
    ['vLLM version', s.version],
    ['model', s.model],
    ['served model name', s.servedModelName],
    ['architecture', s.architecture],
    ['dtype', s.dtype],
    ['quantization', s.quantization === null ? 'none' : s.quantization],
    ['max_seq_len', s.maxSeqLen],
    ['--max-model-len', s.maxModelLenArg],
    ['tensor / pipeline / data parallel', s.tensorParallelSize !== undefined || s.pipelineParallelSize !== undefined || s.dataParallelSize !== undefined ? `${s.tensorParallelSize ?? 1} / ${s.pipelineParallelSize ?? 1} / ${s.dataParallelSize ?? 1}` : undefined],
    ['chunked prefill', s.chunkedPrefill === undefined ? undefined : `${s.chunkedPrefill}${s.maxNumBatchedTokens ? ` (max_num_batched_tokens=${s.maxNumBatchedTokens})` : ''}`],
    ['async scheduling', s.asyncScheduling],
    ['prefix caching', s.enablePrefixCaching],
    ['enforce eager', s.enforceEager],
    ['attention backend', s.attentionBackend],
    ['compilation mode', s.compilationMode],
    ['custom fusions', s.fusions?.join(', ')],
    ['cudagraph mode', s.cudagraphMode],
    ['cudagraph capture sizes', s.cudagraphCaptureSizes?.length ? sizes(s.cudagraphCaptureSizes) : undefined],
    ['CUDA graphs captured', s.cudaGraphsCaptured],
    ['GPU KV cache', s.kvCacheTokens !== undefined ? `${s.kvCacheTokens.toLocaleString('en-US')} tokens` : undefined],
    ['KV cache blocks', s.gpuBlocks !== undefined ? `${s.gpuBlocks.toLocaleString('en-US')} on the accelerator, ${(s.cpuBlocks ?? 0).toLocaleString('en-US')} on the CPU` : undefined],
        ['maximum concurrency', s.maxConcurrency ? `${s.maxConcurrency.concurrency}x at ${s.maxConcurrency.tokensPerRequest.toLocaleString('en-US')} tokens per request` : undefined],
    ['errors', Object.keys(s.errors).length ? Object.entries(s.errors).map(([k, v]) => `${k} ${v}`).join(', ') : undefined],
  ];
  return rows.filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => `${k}: ${String(v)}`).join('\n');
}
