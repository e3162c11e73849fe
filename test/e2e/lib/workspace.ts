/** A fresh copy of the fixture workspace per run, so tests can edit and save without touching the repo. */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { e2eRoot } from './clients';

export function copyWorkspace(name: string): { dir: string; remove(): void } {
  const dir = join(mkdtempSync(join(tmpdir(), `rvn-e2e-ws-${name}-`)), 'workspace');
  cpSync(join(e2eRoot, 'fixtures', 'workspace'), dir, { recursive: true });
  return { dir, remove: () => { if (!process.env.RVN_E2E_KEEP) rmSync(join(dir, '..'), { recursive: true, force: true }); } };
}
