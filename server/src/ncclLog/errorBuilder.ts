/**
 * WARNs, NCCLCHECK back-traces and application-side NCCL errors.
 *
 * NCCL prints `file:line -> code` for every failed NCCLCHECK, including failures it recovers from
 * (`transport/net_ib.cc:852 -> 3` when NCCL_IB_DISABLE=1, then it falls back to Socket) and the
 * socket noise of an abort. The error that actually surfaces is the one whose origin logged a WARN
 * (or a Cuda failure) just before the back-trace, so only those chains become errors.
 */
import type { NcclAppError, NcclErrorChain, NcclIncidentKind, NcclWarn, ProcessKey, SourceRef } from './model';
import type { NcclPrefix } from './prefix';
import { MAX_TEXT } from './prefix';

const MAX_WARNINGS = 1000;
const MAX_ERRORS = 200;
const MAX_APP_ERRORS = 100;
const MAX_FRAMES = 16;
/** A back-trace must start within this many lines (of the same process) after its cause. */
const CAUSE_WINDOW = 3;

export const NCCL_RESULT_NAMES: Record<number, string> = {
  1: 'ncclUnhandledCudaError',
  2: 'ncclSystemError',
  3: 'ncclInternalError',
  4: 'ncclInvalidArgument',
  5: 'ncclInvalidUsage',
  6: 'ncclRemoteError',
  7: 'ncclInProgress',
  8: 'ncclTimeout',
};

/** Per-process part of the error state. */
export interface ProcessErrorState {
  cause?: { text: string; ref: SourceRef; age: number };
  /** The back-trace being printed, and by which thread (another thread's frames are a new story). */
  openChain?: NcclErrorChain;
  openChainTid?: number;
  fatalErrors: number;
}

export class ErrorState {
  readonly warnings: NcclWarn[] = [];
  warnCount = 0;
  readonly errors: NcclErrorChain[] = [];
  droppedErrors = 0;
  private readonly appErrors = new Map<string, NcclAppError>();
  droppedAppErrors = 0;
  private lastAppError: { error: NcclAppError; line: number } | undefined;

  /** Call for every line of a process before handling it: ages the pending cause, ends chains. */
  tick(state: ProcessErrorState, isFrame: boolean, tid: number): void {
    if (state.cause) state.cause.age++;
    if (!isFrame || tid !== state.openChainTid) state.openChain = undefined;
  }

  warn(state: ProcessErrorState | undefined, prefix: NcclPrefix | undefined, process: ProcessKey | undefined, message: string, ref: SourceRef, incident?: NcclIncidentKind): void {
    const text = message.trim().slice(0, MAX_TEXT);
    this.warnCount++;
    if (this.warnings.length < MAX_WARNINGS) {
      const w: NcclWarn = { text, ref };
      if (incident !== undefined) w.incident = incident;
      if (process !== undefined) w.process = process;
      if (prefix?.cudaDev !== undefined) w.cudaDev = prefix.cudaDev;
      if (prefix?.file !== undefined) w.file = prefix.file;
      if (prefix?.srcLine !== undefined) w.srcLine = prefix.srcLine;
      if (prefix?.func !== undefined) w.func = prefix.func;
      if (prefix?.timestamp !== undefined) w.timestamp = prefix.timestamp;
      this.warnings.push(w);
    }
    if (state) state.cause = { text, ref, age: 0 };
  }

  /** A `Cuda failure '...'` INFO line is a cause like a WARN (CUDACHECK in INFO builds). */
  cause(state: ProcessErrorState, text: string, ref: SourceRef): void {
    state.cause = { text: text.trim().slice(0, MAX_TEXT), ref, age: 0 };
  }

  frame(
    state: ProcessErrorState,
    process: ProcessKey,
    tid: number,
    cudaDev: number | undefined,
    frame: { file: string; line: number; func?: string; code: number; thread?: string },
    ref: SourceRef,
  ): void {
    const location = { file: frame.file, line: frame.line, ...(frame.func ? { func: frame.func } : {}) };
    if (state.openChain) {
      if (state.openChain.frames.length < MAX_FRAMES) state.openChain.frames.push(location);
      return;
    }
    if (!state.cause || state.cause.age > CAUSE_WINDOW) return; // recovered internally
    const chain: NcclErrorChain = {
      process,
      code: frame.code,
      codeName: NCCL_RESULT_NAMES[frame.code] ?? `ncclResult ${frame.code}`,
      frames: [location],
      cause: state.cause.text,
      causeRef: state.cause.ref,
      ref,
    };
    if (cudaDev !== undefined) chain.cudaDev = cudaDev;
    if (frame.thread) chain.thread = frame.thread;
    state.cause = undefined;
    state.openChain = chain;
    state.openChainTid = tid;
    state.fatalErrors++;
    if (this.errors.length < MAX_ERRORS) this.errors.push(chain);
    else this.droppedErrors++;
  }

  /** Application error text; an `ncclXxx: ...` line right after `NCCL error ...` only names its code. */
  appError(text: string, codeName: string | undefined, ref: SourceRef): void {
    const last = this.lastAppError;
    if (last && ref.line - last.line <= 3 && /^nccl\w{1,32}:/.test(text) && !text.includes('NCCL error')) {
      if (last.error.codeName === undefined && codeName !== undefined) last.error.codeName = codeName;
      return;
    }
    let error = this.appErrors.get(text);
    if (!error) {
      if (this.appErrors.size >= MAX_APP_ERRORS) {
        this.droppedAppErrors++;
        return;
      }
      error = { text, count: 0, ref };
      if (codeName) error.codeName = codeName;
      this.appErrors.set(text, error);
    }
    error.count++;
    this.lastAppError = { error, line: ref.line };
  }

  appErrorList(): NcclAppError[] {
    return [...this.appErrors.values()];
  }
}
