/**
 * Single lines that are a problem by themselves: timeouts, InfiniBand errors, a GPU used by two
 * ranks, socket interfaces of unknown speed, NVLS or CollNet failing, connections dropped by a
 * peer, NCCL builds that disagree. Formats: nccl-log-formats.md section 14 and
 * nccl-log-history.json (2.18 .. 2.30). Application lines (PyTorch's watchdog, the c10d store)
 * are recognised for timeouts only; other application errors are `appError` (lines.ts).
 *
 * Callers reach these checks only after a cheap gate (a WARN line, or a message that starts with
 * one of a few words), and every regex here is bounded, so a log of INFO lines pays nothing.
 */
import type { NcclIncidentKind } from './model';

export interface IncidentRecord {
  kind: 'incident';
  incident: NcclIncidentKind;
  /** Ranks the line names (`rank 3 and rank 7`, `[Rank 2]`). */
  ranks?: number[];
  /** Remote address (`10.0.0.12<43011>`) the line names. */
  peer?: string;
  /** HCA, network interface or bus id the line names. */
  device?: string;
  /** IB work-completion status or async event name. */
  status?: string;
}

const RANKS = /\b[Rr]ank (\d{1,9})\b/g;
const PEER = /(?:peer|from|to|with|recv|send) \[?((?:\d{1,3}\.){3}\d{1,3}|[0-9a-fA-F:]{2,45}|[\w.-]{1,64})\]?<(\d{1,5})>/;
const HCA = /\bhca ([\w.-]{1,64})|^NET\/IB ?: ([\w.-]{1,64}):\d{1,3} /;
const IB_STATUS = /\b(IBV_(?:WC|EVENT)_[A-Z_]{2,40})\b|status=(\d{1,4})\b|with error (\d{1,4})\b|event: ?([A-Za-z_ ]{3,60}?)(?:\(|$)/;
const IB_FAILURE = /\berr|fail|fatal|event|mismatch|could not|Got completion|status=/i;
const SPEED = /^Could not get speed (?:from \/sys\/class\/net\/([^/\s]{1,64})\/speed|for interface (\S{1,64}?))\. Defaulting/;
const DUPLICATE_GPU = /^Duplicate GPU detected : rank (\d{1,9}) and rank (\d{1,9}) both on CUDA device ([0-9a-fA-F]{1,16})/;
const VERSION_MISMATCH = /^Mismatched NCCL version detected : rank (\d{1,9}) version (\d{1,9}) rank (\d{1,9}) version (\d{1,9})/;
const TIMEOUT_WARN = /exceeded (?:timeouts|retries|error retry count)|timed out|[Tt]imeout (?:error|expired)|ETIMEDOUT/;
const CLOSED = /Connection closed by remote peer|Connection reset by peer|Broken pipe|closed by peer|socket progress error/;
const NVLS_FAILURE = /NVLS|NVLink SHARP|Multicast support requested/;
const COLLNET = /CollNet|COLLNET|collnet|sharp resources/;
const COLLNET_FAILURE = /fail|Cannot|not supported|disabling|mismatch|want=/i;
const APP_TIMEOUT =
  /Watchdog caught collective operation timeout|[Ww]atchdog (?:thread terminated|got stuck)|Heartbeat monitor timed out|ran for \d{1,12} milliseconds before timing out|NCCL operations have failed or timed out|DistStoreError:.{0,80}Timed out|Socket Timeout/;

function ranksIn(text: string): number[] | undefined {
  const out: number[] = [];
  for (const m of text.matchAll(RANKS)) {
    const r = Number(m[1]);
    if (!out.includes(r) && out.length < 16) out.push(r);
  }
  return out.length > 0 ? out : undefined;
}

function withDetails(incident: NcclIncidentKind, text: string, extra: Partial<IncidentRecord> = {}): IncidentRecord {
  const out: IncidentRecord = { kind: 'incident', incident };
  const ranks = extra.ranks ?? ranksIn(text);
  if (ranks) out.ranks = ranks;
  const peer = PEER.exec(text);
  if (extra.peer !== undefined) out.peer = extra.peer;
  else if (peer) out.peer = `${peer[1]}<${peer[2]}>`;
  if (extra.device !== undefined) out.device = extra.device;
  if (extra.status !== undefined) out.status = extra.status;
  return out;
}

function ibError(message: string): IncidentRecord | undefined {
  const ibLine = message.startsWith('NET/IB') || message.startsWith('NET/MLX5');
  if (!(ibLine && IB_FAILURE.test(message)) && !message.includes('ibv_') && !message.includes('IBV_WC_')) return undefined;
  const hca = HCA.exec(message);
  const status = IB_STATUS.exec(message);
  const statusText = status ? (status[1] ?? (status[2] ?? status[3] ? `status ${status[2] ?? status[3]}` : status[4]?.trim())) : undefined;
  return withDetails('ib-error', message, { ...(hca ? { device: hca[1] ?? hca[2] } : {}), ...(statusText ? { status: statusText } : {}) });
}

/** A WARN line's message: the incident it reports, if any. */
export function classifyWarnIncident(message: string): IncidentRecord | undefined {
  let m: RegExpExecArray | null;
  // Before 2.27.5 missing rdma-core symbols were WARNs too; they are mlx5-symbols-missing, not IB errors.
  if (message.startsWith('dlvsym failed')) return undefined;
  if ((m = DUPLICATE_GPU.exec(message))) {
    return withDetails('duplicate-gpu', message, { ranks: [Number(m[1]), Number(m[2])], device: m[3].toLowerCase() });
  }
  if (message.includes('multiple ranks using the same') || message.startsWith('Multiple ranks detected using the same GPU')) {
    return withDetails('duplicate-gpu', message);
  }
  if ((m = VERSION_MISMATCH.exec(message))) return withDetails('version-mismatch', message, { ranks: [Number(m[1]), Number(m[3])] });
  if (/NCCL version mismatch|NCCL library (?:is|version is) too old|not backwards compatible|compiled with too old version of NCCL/.test(message)) {
    return withDetails('version-mismatch', message);
  }
  const ib = ibError(message);
  if (ib) return ib;
  if (CLOSED.test(message)) return withDetails('connection-closed', message);
  if (TIMEOUT_WARN.test(message)) return withDetails('timeout', message);
  if (COLLNET.test(message) && COLLNET_FAILURE.test(message)) return withDetails('collnet-failure', message);
  if (NVLS_FAILURE.test(message) && /fail|none available|Could not|not compatible|incompatible/i.test(message)) return withDetails('nvls-unavailable', message);
  return undefined;
}

/**
 * An INFO line's message (only those that begin with `Could`, `Failed`, `Multiple`, `RAS`,
 * `Communicator` or `rank`): the incident it reports, if any.
 */
export function classifyInfoIncident(message: string): IncidentRecord | undefined {
  const c = message.charCodeAt(0);
  if (c === 67 /* C */) {
    if (message.startsWith('Could not get speed')) {
      const m = SPEED.exec(message);
      return m ? withDetails('socket-speed-default', '', { device: m[1] ?? m[2] }) : undefined;
    }
    if (message.startsWith('Communicator has ') && message.includes('disabling CollNet')) return withDetails('collnet-failure', '');
    return undefined;
  }
  if (c === 70 /* F */) return message.startsWith('Failed to bind NVLink SHARP') ? withDetails('nvls-unavailable', '') : undefined;
  if (c === 77 /* M */) return message.startsWith('Multiple ranks on the same GPU detected') ? withDetails('duplicate-gpu', '') : undefined;
  if (c === 82 /* R */) {
    return message.startsWith('RAS ') && message.includes('timeout error') ? withDetails('timeout', message) : undefined;
  }
  if (c === 114 /* r */) {
    return message.startsWith('rank ') && message.includes('COLLNET failed to register') ? withDetails('collnet-failure', message) : undefined;
  }
  return undefined;
}

/** A line without NCCL prefix (PyTorch, vLLM, launcher): a collective or rendezvous timeout. */
export function classifyAppIncident(text: string): IncidentRecord | undefined {
  if (!text.includes('imed out') && !text.includes('imeout') && !text.includes('atchdog') && !text.includes('timing out')) return undefined;
  return APP_TIMEOUT.test(text) ? withDetails('timeout', text) : undefined;
}
