/**
 * Diagnoses a vLLM server log: a huge context length nobody asked for, a KV cache that cannot hold
 * one full-length request, the `--model` deprecation, CUDA graphs that were not captured, and the
 * failures (out of memory, CUDA graph capture, NCCL, anything else). Rule ids are `vllm-log/...`.
 */
import type { RuleInfo } from '../analysis/rules';
// One record, one range: the same Finding shape as the NCCL log reader's (their SourceRefs agree).
import { finding } from '../ncclLog/findingBase';
import type { Finding } from '../protocol/findings';
import { isConsequence, isExceptionLine } from './errors';
import type { SourceRef, VllmLogError, VllmLogModel } from './model';

export const VLLM_LOG_RULES: readonly RuleInfo[] = [
  { id: 'vllm-log/max-model-len-missing', severity: 'warning', summary: 'A very long max_seq_len taken from the model config, with no --max-model-len among the arguments.' },
  { id: 'vllm-log/kv-cache-too-small', severity: 'error', summary: 'The KV cache cannot hold one request of the maximum length.' },
  { id: 'vllm-log/model-flag-deprecated', severity: 'warning', summary: '`vllm serve` warned that the model was given with the deprecated --model option.' },
  { id: 'vllm-log/cuda-graphs-disabled', severity: 'warning', summary: 'CUDA graphs are not captured (enforce-eager, cudagraph_mode NONE or a skipped capture).' },
  { id: 'vllm-log/cuda-graph-capture-failed', severity: 'error', summary: 'Capturing CUDA graphs failed.' },
  { id: 'vllm-log/out-of-memory', severity: 'error', summary: 'vLLM ran out of GPU memory.' },
  { id: 'vllm-log/nccl-error', severity: 'error', summary: 'An NCCL failure surfaced through vLLM / PyTorch distributed.' },
  { id: 'vllm-log/error', severity: 'error', summary: 'Another error logged by vLLM.' },
];

/** Context lengths from this size up are "huge": their KV cache dominates GPU memory. */
export const HUGE_MAX_SEQ_LEN = 131072;

const n = (x: number) => x.toLocaleString('en-US');
/** Log text quoted inside a sentence: clipped, without its own final full stop. */
const quoteText = (t: string, max = 300) => (t.length > max ? `${t.slice(0, max)}…` : t.replace(/[.\s]+$/, ''));

function maxModelLenMissing(m: VllmLogModel): Finding[] {
  const len = m.engine?.maxSeqLen ?? m.maxModelLen?.value;
  const ref = m.engine?.maxSeqLen !== undefined ? m.engine.ref : m.maxModelLen?.ref;
  if (len === undefined || ref === undefined || len < HUGE_MAX_SEQ_LEN) return [];
  const args = m.nonDefaultArgs?.args;
  const given = args && args.max_model_len !== undefined && args.max_model_len !== null;
  if (given) return [];
  const conc = m.kvCache.maxConcurrency[0];
  const kv = conc ? ` The KV cache fits ${conc.concurrency}x such requests.` : '';
  const advice = `Set --max-model-len to what the application needs (e.g. --max-model-len 32768): the KV cache must hold at least one request of the full length, and a shorter limit leaves memory for more concurrent requests.${kv}`;
  if (args) {
    const said = m.nonDefaultArgs?.namespace ? 'the start-up args show max_model_len=None' : 'the non-default args have no max_model_len';
    return [finding('vllm-log/max-model-len-missing', 'warning',
      `max_seq_len is ${n(len)} tokens and ${said}: vLLM took the model's full context length from its config. ${advice}`, ref)];
  }
  return [finding('vllm-log/max-model-len-missing', 'info',
    `max_seq_len is ${n(len)} tokens. The log has no 'non-default args' line, so it cannot tell whether --max-model-len was set; if it was not, this is the model's full context length. ${advice}`, ref)];
}

function kvCacheTooSmall(m: VllmLogModel): Finding[] {
  const out: Finding[] = [];
  const low = m.kvCache.maxConcurrency.find((c) => c.concurrency < 1);
  const refused = m.errors.find((e) => e.kind === 'kv-cache');
  // A concurrency below 1 is what makes vLLM refuse; when the refusal is in the log it is the one finding.
  if (low && !refused) {
    const tokens = m.kvCache.gpuTokens[0]?.value;
    out.push(finding('vllm-log/kv-cache-too-small', 'error',
      `Maximum concurrency for ${n(low.tokensPerRequest)} tokens per request is ${low.concurrency}x${tokens !== undefined ? ` (GPU KV cache: ${n(tokens)} tokens)` : ''}: the server cannot hold one request of the maximum length. ` +
        'Lower --max-model-len, raise --gpu-memory-utilization, use an fp8 KV cache (--kv-cache-dtype fp8) or add GPUs (--tensor-parallel-size).',
      low.ref));
  }
  if (refused) {
    const est = /estimated maximum model length is (\d+)/.exec(refused.text);
    const conc = low ? ` (maximum concurrency ${low.concurrency}x at ${n(low.tokensPerRequest)} tokens per request)` : '';
    out.push(finding('vllm-log/kv-cache-too-small', 'error',
      `vLLM refused to start: ${quoteText(refused.text)}${conc}. ${est ? `Set --max-model-len ${est[1]} or lower (vLLM's estimate of what fits), ` : 'Lower --max-model-len, '}or raise --gpu-memory-utilization / use --kv-cache-dtype fp8.`,
      refused.ref));
  }
  return out;
}

function modelFlagDeprecated(m: VllmLogModel): Finding[] {
  if (!m.modelFlagDeprecation) return [];
  return [finding('vllm-log/model-flag-deprecated', 'warning',
    'vllm serve warns that the model was passed with --model, which is deprecated and will be removed. Pass it as the first positional argument: `vllm serve /path/to/model --served-model-name NAME ...`.',
    m.modelFlagDeprecation)];
}

/** Devices where vLLM has no CUDA graphs (eager is their normal mode, or they have graphs of their own). */
const NO_CUDA_GRAPHS = /^(?:cpu|tpu|xla|hpu|neuron|openvino|xpu|npu|ascend)$/i;

function cudaGraphsDisabled(m: VllmLogModel): Finding[] {
  if (m.cudaGraphs.finished.length > 0) return [];
  const device = m.engine?.fields.device_config?.replace(/^['"]|['"]$/g, '').split(':')[0];
  if ((device && NO_CUDA_GRAPHS.test(device)) || (m.platform && NO_CUDA_GRAPHS.test(m.platform.value))) return [];
  const reasons: { text: string; ref: SourceRef }[] = [];
  const e = m.engine;
  if (e?.enforceEager) reasons.push({ text: 'enforce_eager=True', ref: e.ref });
  if (e?.compilation?.cudagraphMode === 'NONE') reasons.push({ text: 'cudagraph_mode NONE', ref: e.ref });
  if (e?.compilation?.useCudagraph === false) reasons.push({ text: 'use_cudagraph false', ref: e.ref });
  for (const d of m.cudaGraphs.disabled.slice(0, 3)) reasons.push({ text: `"${quoteText(d.text, 120)}"`, ref: d.ref });
  if (reasons.length === 0) return [];
  const first = reasons.reduce((a, b) => (b.ref.line < a.ref.line ? b : a));
  return [finding('vllm-log/cuda-graphs-disabled', 'warning',
    `CUDA graphs are not captured (${reasons.map((r) => r.text).join('; ')}): every decode step launches its kernels one by one, which costs a large share of decode throughput, most at small batch sizes. ` +
      'Remove --enforce-eager (and cudagraph_mode NONE from --compilation-config) unless it works around a known problem.',
    first.ref)];
}

function captureFailed(m: VllmLogModel): Finding[] {
  const named = m.errors.filter((x) => x.kind === 'cuda-graph-capture');
  const during = m.errors.filter((x) => x.duringCapture && !isConsequence(x.text));
  const e = named.length ? rootCause(named) : during.length ? rootCause(during) : undefined;
  if (!e) return [];
  return [finding('vllm-log/cuda-graph-capture-failed', 'error',
    `Capturing CUDA graphs failed: ${quoteText(e.text)}. Capture needs GPU memory beyond the KV cache and breaks on kernels that cannot be captured: lower --gpu-memory-utilization a little, capture fewer sizes (--max-cudagraph-capture-size), or start with --enforce-eager to confirm the cause.`,
    e.ref)];
}

function first(m: VllmLogModel, kind: VllmLogError['kind']): { e: VllmLogError; count: number } | undefined {
  const all = m.errors.filter((x) => x.kind === kind);
  return all.length ? { e: all[0], count: all.length } : undefined;
}

const more = (count: number) => (count > 1 ? ` (${count - 1} more such line(s))` : '');

function outOfMemory(m: VllmLogModel): Finding[] {
  const f = first(m, 'oom');
  if (!f) return [];
  const when = f.e.duringCapture ? ' during CUDA graph capture' : '';
  return [finding('vllm-log/out-of-memory', 'error',
    `vLLM ran out of GPU memory${when}: ${quoteText(f.e.text)}${more(f.count)}. Lower --max-model-len or --max-num-seqs, keep other processes off the GPUs (or lower --gpu-memory-utilization if they must share), quantize (fp8 weights or KV cache), or spread the model over more GPUs (--tensor-parallel-size).`,
    f.e.ref)];
}

function ncclError(m: VllmLogModel): Finding[] {
  const f = first(m, 'nccl');
  if (!f) return [];
  return [finding('vllm-log/nccl-error', 'error',
    `NCCL failed under vLLM: ${quoteText(f.e.text)}${more(f.count)}. Rerun with NCCL_DEBUG=INFO NCCL_DEBUG_SUBSYS=INIT,NET and read the NCCL lines (rvn reads them too): usual causes are the wrong interface (NCCL_SOCKET_IFNAME), a missing RDMA device, a too small /dev/shm, or a firewall between the nodes.`,
    f.e.ref)];
}

/**
 * The line that says what went wrong: the first exception line (`RuntimeError: ...`) that is not
 * itself a consequence, else the first line that is not one. A record like `WorkerProc hit an
 * exception.` or `Error in preprocessing prompt inputs` only announces the traceback under it.
 */
function rootCause(list: VllmLogError[]): VllmLogError {
  return list.find((e) => isExceptionLine(e.text) && !isConsequence(e.text)) ?? list.find((e) => !isConsequence(e.text)) ?? list[0];
}

function otherErrors(m: VllmLogModel): Finding[] {
  // A consequence logged after an orderly shutdown began (`Engine core proc ... died unexpectedly`
  // once the engine was told to stop) reports the shutdown itself, not a failure.
  const stop = m.shutdown?.line;
  const afterStop = (e: VllmLogError) => stop !== undefined && e.ref.line > stop && isConsequence(e.text);
  const others = m.errors.filter((e) => e.kind === 'other' && !e.duringCapture && !afterStop(e));
  if (others.length === 0) return [];
  const specific = m.errors.some((e) => e.kind !== 'other' || e.duringCapture);
  const shown = specific ? others.filter((e) => !isConsequence(e.text)) : others;
  if (shown.length === 0) return [];
  const root = rootCause(shown);
  // Errors logged during start-up that the server got past (a retried download, an optional
  // component that failed to load) did not stop it: a warning, not an error.
  const ready = m.serverReady;
  if (ready && shown.every((e) => e.ref.line < ready.line)) {
    return [finding('vllm-log/error', 'warning',
      `vLLM logged an error during start-up but the server started after it (line ${ready.line + 1}): ${quoteText(root.text)}${more(shown.length)}. Check that what failed is not needed.`,
      root.ref)];
  }
  return [finding('vllm-log/error', 'error', `vLLM logged an error: ${quoteText(root.text)}${more(shown.length)}.`, root.ref)];
}

/** All findings for a parsed log, in line order. */
export function vllmLogFindings(model: VllmLogModel): Finding[] {
  const all = [
    ...maxModelLenMissing(model),
    ...kvCacheTooSmall(model),
    ...modelFlagDeprecated(model),
    ...cudaGraphsDisabled(model),
    ...captureFailed(model),
    ...outOfMemory(model),
    ...ncclError(model),
    ...otherErrors(model),
  ];
  return all.sort((a, b) => a.range.start.line - b.range.start.line || a.rule.localeCompare(b.rule));
}
