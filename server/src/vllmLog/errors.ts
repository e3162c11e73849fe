/**
 * Which lines of a vLLM log report a failure, and of what kind. Failures reach the log as Python
 * exception lines (`torch.OutOfMemoryError: CUDA out of memory. ...`, `ValueError: To serve at least
 * one request with the model's max seq len (N), ...`), as ERROR records (`EngineCore failed to
 * start.`), and as PyTorch c10d lines for NCCL (`torch.distributed.DistBackendError: NCCL error in:
 * ...ProcessGroupNCCL.cpp:..., unhandled system error ...`, watchdog timeouts).
 */
import type { VllmErrorKind } from './model';

const EXCEPTION = /^(?:[A-Za-z_][\w]*\.){0,6}[A-Z][\w]{0,80}(?:Error|Exception|Interrupt|Exit)(?::\s|$)/;
const TRACEBACK_NOISE = /^(?:Traceback \(most recent call last\)|\s*File "|\s{2,}\S|\s*[~^]{3,}|\s*$|The above exception was the direct cause|During handling of the above exception)/;

const OOM = /OutOfMemoryError|(?:CUDA|HIP|NPU|XPU|HPU|MPS|[Dd]evice) out of memory|CUDA error: out of memory|RESOURCE_EXHAUSTED|cudaErrorMemoryAllocation|No available memory for the cache blocks|is less than desired GPU memory utilization|Insufficient memory/i;
const KV_CACHE = /To serve at least one request with the models?'s max seq len|larger than the maximum number of tokens that can be stored in KV cache|KV cache is needed, which is larger than the available KV cache memory/;
const NCCL = /NCCL error|DistBackendError|ncclUnhandledCudaError|ncclSystemError|ncclInternalError|ncclInvalidUsage|ncclInvalidArgument|ncclRemoteError|NCCL communicator was aborted|Watchdog caught collective operation timeout|ProcessGroupNCCL[^\n]{0,120}(?:timed out|timeout|error|abort)|NCCL_ERROR|nccl(?:CommInit\w*|AllReduce|Send|Recv) failed/i;
const CAPTURE = /operation not (?:permitted|supported) when stream is capturing|cudaErrorStreamCapture\w*|stream capture|during (?:stream |graph )?capture|CUDA graph capture failed|capturing CUDA graph[^\n]{0,80}(?:fail|error)|graph capture[^\n]{0,40}(?:fail|error)/i;

/** A line is an error report when it is an exception line or an ERROR/CRITICAL record's message. */
export function isErrorLine(message: string, level: string | undefined): boolean {
  if (message.length === 0) return false;
  if (EXCEPTION.test(message)) return true;
  if (level === 'ERROR' || level === 'CRITICAL') return !TRACEBACK_NOISE.test(message);
  // PyTorch's own error lines (glog style `[E1211 12:00:00.000 ProcessGroupNCCL.cpp:616] ...`; c10's
  // own logger does not pad the month: `[E517 20:17:34.985814210 ProcessGroupNCCL.cpp:689] ...`).
  if (/^\[?[EF]\d{3,4} \d{2}:\d{2}:\d{2}/.test(message) && NCCL.test(message)) return true;
  return false;
}

/** A Python exception line (`torch.OutOfMemoryError: ...`, `RuntimeError: ...`): it says what went wrong. */
export function isExceptionLine(message: string): boolean {
  return EXCEPTION.test(message);
}

export function errorKind(message: string): VllmErrorKind {
  if (KV_CACHE.test(message)) return 'kv-cache';
  if (CAPTURE.test(message)) return 'cuda-graph-capture';
  if (OOM.test(message)) return 'oom';
  if (NCCL.test(message)) return 'nccl';
  return 'other';
}

/** Messages that only repeat that something failed earlier (the root cause is another error). */
export function isConsequence(text: string): boolean {
  return /See root cause above|See stack trace for root cause|failed to start|died unexpectedly|initialization failed|EngineDeadError|EngineCore encountered an issue|shutting down|Worker proc \S+ died|hit an exception\.?$/i.test(text);
}
