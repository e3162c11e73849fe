/**
 * Headless Chromium driven over the DevTools protocol on a pipe (--remote-debugging-pipe: JSON
 * messages separated by NUL, commands on fd 3, replies and events on fd 4). No npm dependency and
 * no port: the security test needs a real browser engine, not a library that downloads one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The browser to use, or undefined (the caller skips with a message). */
export function findChromium(): string | undefined {
  return CANDIDATES.find((p): p is string => !!p && existsSync(p));
}

type Event = { method: string; params: any; sessionId?: string };

export class Chromium {
  private readonly proc: ChildProcess;
  private readonly profile: string;
  private nextId = 1;
  private buffer = '';
  private readonly pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  private readonly listeners: Array<(e: Event) => void> = [];
  readonly events: Event[] = [];

  constructor(executable: string) {
    this.profile = mkdtempSync(join(tmpdir(), 'rvn-chromium-'));
    const args = [
      '--headless=new', '--remote-debugging-pipe', `--user-data-dir=${this.profile}`,
      // Root in a container has no user namespace for the sandbox; the page is still a normal renderer.
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--no-default-browser-check',
      // Quiet the browser itself, so any request seen comes from the page.
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-extensions', '--disable-default-apps', '--metrics-recording-only', '--mute-audio',
      'about:blank',
    ];
    this.proc = spawn(executable, args, { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });
    (this.proc.stdio[4] as Readable).on('data', (chunk: Buffer) => this.onData(chunk.toString('utf8')));
    this.proc.on('exit', () => {
      for (const p of this.pending.values()) p.reject(new Error('chromium exited'));
      this.pending.clear();
    });
  }

  private onData(text: string): void {
    this.buffer += text;
    let end: number;
    while ((end = this.buffer.indexOf('\0')) >= 0) {
      const message = JSON.parse(this.buffer.slice(0, end));
      this.buffer = this.buffer.slice(end + 1);
      if (message.id !== undefined) {
        const p = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.error) p?.reject(new Error(`${message.error.message} (${message.error.code})`));
        else p?.resolve(message.result);
      } else {
        this.events.push(message);
        for (const l of [...this.listeners]) l(message);
      }
    }
  }

  send<T = any>(method: string, params: object = {}, sessionId?: string, timeoutMs = 15_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${method} timed out`)), timeoutMs);
      this.pending.set(id, { resolve: (v) => (clearTimeout(timer), resolve(v)), reject: (e) => (clearTimeout(timer), reject(e)) });
      (this.proc.stdio[3] as Writable).write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  }

  on(listener: (e: Event) => void): void {
    this.listeners.push(listener);
  }

  waitForEvent(method: string, sessionId: string, timeoutMs = 15_000): Promise<any> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${method} within ${timeoutMs} ms`)), timeoutMs);
      const listener = (e: Event) => {
        if (e.method !== method || e.sessionId !== sessionId) return;
        clearTimeout(timer);
        this.listeners.splice(this.listeners.indexOf(listener), 1);
        resolve(e.params);
      };
      this.listeners.push(listener);
    });
  }

  async close(): Promise<void> {
    const exited = new Promise<void>((resolve) => (this.proc.exitCode !== null ? resolve() : this.proc.once('exit', () => resolve())));
    await this.send('Browser.close', {}, undefined, 5000).catch(() => this.proc.kill('SIGKILL'));
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    rmSync(this.profile, { recursive: true, force: true });
  }
}
