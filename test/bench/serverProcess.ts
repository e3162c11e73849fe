/**
 * Language servers over stdio for the peer benchmarks and the fuzz tests, driven by the same
 * `LspClient` as the LSP tests. That client always spawns `node SERVER --stdio` in our cwd and
 * answers `workspace/configuration` with nulls; rather than change it under the other tests, this
 * file composes around it:
 *  - the process is started through lspLauncher.cjs, which takes the real module, argv, cwd and env
 *    from RVN_LAUNCH (set only for the synchronous spawn), so peers with other arguments and our
 *    server in a throw-away cwd/HOME both run under the same client, with the server's own PID;
 *  - `workspace/configuration` requests can be answered with real sections (yaml-language-server
 *    reads its schema associations only that way), by wrapping that one client instance's dispatch.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LspClient, shebangLaunch, type Launch } from '../lsp/lspClient';
import { repoRoot } from '../helpers';

export interface ServerSpec {
  /** Absolute path of the module that starts the server when required. */
  module: string;
  argv?: string[];
  cwd?: string;
  env?: Record<string, string>;
  /** An export to call after requiring the module (bash-language-server's `runCli`). */
  call?: string;
  /** How Node itself is started: flags and environment (ours: what its `#!` line sets). */
  launch?: Launch;
}

/** Our own server, as `bin/rvn-language-server --stdio` runs it. */
export const RVN_SERVER: ServerSpec = { module: join(repoRoot, 'bin', 'rvn-language-server'), argv: ['--stdio'], launch: shebangLaunch(join(repoRoot, 'bin', 'rvn-language-server')) };

const LAUNCHER = join(repoRoot, 'test', 'bench', 'lspLauncher.cjs');

export function startServer(spec: ServerSpec): LspClient {
  const before = process.env.RVN_LAUNCH;
  process.env.RVN_LAUNCH = JSON.stringify(spec);
  try {
    // spawn() copies the environment synchronously, so the variable is only seen by this child.
    return new LspClient(LAUNCHER, spec.launch ?? { env: {}, nodeArgs: [] });
  } finally {
    if (before === undefined) delete process.env.RVN_LAUNCH;
    else process.env.RVN_LAUNCH = before;
  }
}

/** The parts of LspClient this file reaches into (TypeScript-private, so reached by cast, in one place). */
interface ClientInternals {
  dispatch(m: { id?: number; method?: string; params?: any }): void;
  send(m: object): void;
  nextId: number;
}
const internals = (c: LspClient) => c as unknown as ClientInternals;

/**
 * Answers `workspace/configuration` with `sections[item.section]` for this client. Resolves the
 * returned promise the first time the server asks, so a caller can wait until settings are applied.
 */
export function answerConfiguration(client: LspClient, sections: Record<string, unknown>): Promise<void> {
  const inner = internals(client);
  const original = inner.dispatch.bind(client);
  let asked!: () => void;
  const firstAsk = new Promise<void>((resolve) => (asked = resolve));
  inner.dispatch = (m) => {
    if (m.id !== undefined && m.method === 'workspace/configuration') {
      const items = (m.params?.items ?? []) as Array<{ section?: string }>;
      inner.send({ id: m.id, result: items.map((i) => (i.section !== undefined ? sections[i.section] ?? null : null)) });
      asked();
      return;
    }
    original(m);
  };
  return firstAsk;
}

/** The id the client's next request will carry (for `$/cancelRequest`). */
export function nextRequestId(client: LspClient): number {
  return internals(client).nextId;
}

/** Resident and peak memory of the server process in MB, from /proc (Linux); undefined elsewhere. */
export function memoryOf(pid: number | undefined): { rssMB: number; peakMB: number } | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
    return { rssMB: kb('VmRSS') / 1024, peakMB: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
