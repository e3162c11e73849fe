/**
 * A minimal LSP client over stdio (Content-Length framed JSON-RPC), enough to drive the real
 * server in tests and benchmarks the way an editor does.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers';

/** How a script's `#!/usr/bin/env -S [NAME=VALUE…] node [--flag…]` line starts it (nothing for other files). */
export interface Launch {
  env: Record<string, string>;
  nodeArgs: string[];
}

export function shebangLaunch(path: string): Launch {
  let first = '';
  try {
    first = readFileSync(path, 'utf8').split('\n', 1)[0];
  } catch {
    return { env: {}, nodeArgs: [] };
  }
  const m = /^#!\S*env -S ((?:\w+=\S* )*)node((?: --[\w-]+(?:=\S+)?)*)\s*$/.exec(first);
  if (!m) return { env: {}, nodeArgs: [] };
  const env = Object.fromEntries(m[1].trim().split(/\s+/).filter(Boolean).map((kv) => kv.split('=', 2) as [string, string]));
  return { env, nodeArgs: m[2].trim().split(/\s+/).filter(Boolean) };
}

type Message = { id?: number; method?: string; params?: any; result?: any; error?: any };

export class LspClient {
  private readonly proc: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly waiting = new Map<number, (m: Message) => void>();
  private readonly listeners: Array<(m: Message) => void> = [];
  readonly notifications: Message[] = [];
  stderr = '';

  /** `launch` defaults to what the server's own `#!` line sets (Node flags, environment), so it runs as installed. */
  constructor(serverPath = join(repoRoot, 'bin', 'rvn-language-server'), launch: Launch = shebangLaunch(serverPath)) {
    this.proc = spawn(process.execPath, [...launch.nodeArgs, serverPath, '--stdio'], { stdio: 'pipe', env: { ...process.env, ...launch.env } });
    this.proc.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    this.proc.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString())![1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const body = JSON.parse(this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8')) as Message;
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.dispatch(body);
    }
  }

  private dispatch(m: Message): void {
    if (m.id !== undefined && m.method === undefined) {
      this.waiting.get(m.id)?.(m);
      this.waiting.delete(m.id);
      return;
    }
    if (m.id !== undefined && m.method) {
      // Server → client request (e.g. workspace/configuration): answer with defaults.
      const result = m.method === 'workspace/configuration' ? (m.params.items as unknown[]).map(() => null) : null;
      this.send({ id: m.id, result });
      return;
    }
    this.notifications.push(m);
    for (const l of this.listeners) l(m);
  }

  private send(m: object): void {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...m }), 'utf8');
    this.proc.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.proc.stdin.write(body);
  }

  request<T = any>(method: string, params: unknown, timeoutMs = 10_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${method} timed out`)), timeoutMs);
      this.waiting.set(id, (m) => {
        clearTimeout(timer);
        if (m.error) reject(new Error(m.error.message));
        else resolve(m.result as T);
      });
      this.send({ id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.send({ method, params });
  }

  /** Resolves with the next notification that matches. */
  waitFor(method: string, match: (params: any) => boolean = () => true, timeoutMs = 10_000): Promise<any> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${method} within ${timeoutMs} ms`)), timeoutMs);
      const listener = (m: Message) => {
        if (m.method === method && match(m.params)) {
          clearTimeout(timer);
          this.listeners.splice(this.listeners.indexOf(listener), 1);
          resolve(m.params);
        }
      };
      this.listeners.push(listener);
    });
  }

  async initialize(initializationOptions?: unknown, workspaceConfiguration = false): Promise<any> {
    const result = await this.request('initialize', {
      processId: process.pid,
      rootUri: null,
      // What VS Code declares for completion, list item defaults included.
      capabilities: { workspace: { configuration: workspaceConfiguration }, textDocument: { completion: { completionItem: { snippetSupport: true }, completionList: { itemDefaults: ['commitCharacters', 'editRange', 'insertTextFormat', 'insertTextMode', 'data'] } } } },
      initializationOptions,
    });
    this.notify('initialized', {});
    return result;
  }

  /** Shuts the server down the polite way and waits for the process to end. */
  async shutdown(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
    try {
      await this.request('shutdown', null, 3000);
      this.notify('exit', null);
    } catch {
      this.proc.kill();
    }
    const timer = setTimeout(() => this.proc.kill(), 1000);
    await exited;
    clearTimeout(timer);
  }
}
