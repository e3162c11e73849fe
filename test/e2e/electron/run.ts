/**
 * The same extension-host suite (../code-server/suite) under desktop VS Code, the way
 * @vscode/test-electron runs it (extensionDevelopmentPath + extensionTestsPath). Desktop VS Code
 * cannot be downloaded offline, so this runs only when one is available:
 *
 *   VSCODE_EXECUTABLE=/path/to/code node --import tsx test/e2e/electron/run.ts
 *   RVN_E2E_ELECTRON_DOWNLOAD=1 ...   with @vscode/test-electron installed, where it can download VS Code
 *
 * Otherwise it says clearly that it was not run and exits 0; the code-server suite covers the same tests.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { repoRoot } from '../lib/clients';
import { copyWorkspace } from '../lib/workspace';

const NAME = '@vscode/test-electron suite';

interface TestElectron {
  runTests(options: { extensionDevelopmentPath: string; extensionTestsPath: string; launchArgs: string[]; vscodeExecutablePath?: string }): Promise<number>;
}

function loadTestElectron(): TestElectron | undefined {
  try {
    return createRequire(join(repoRoot, 'package.json'))('@vscode/test-electron') as TestElectron;
  } catch {
    return undefined;
  }
}

/** The whole desktop run counts as one check (its own per-test lines are printed above it). */
function verdict(ok: boolean, why: string): number {
  console.log(ok ? `ok - ${NAME}` : `not ok - ${NAME}: ${why}`);
  console.log(ok ? '1 passed, 0 failed' : '0 passed, 1 failed');
  return ok ? 0 : 1;
}

async function main(): Promise<number> {
  const executable = process.env.VSCODE_EXECUTABLE;
  const testElectron = loadTestElectron();
  const download = process.env.RVN_E2E_ELECTRON_DOWNLOAD === '1' && testElectron;
  if (!(executable && existsSync(executable)) && !download) {
    console.log(`skip - ${NAME}: not run: no desktop VS Code here (set VSCODE_EXECUTABLE, or install @vscode/test-electron and set RVN_E2E_ELECTRON_DOWNLOAD=1 where VS Code can be downloaded); the code-server extension-host suite runs the same tests`);
    console.log('0 passed, 0 failed (1 skipped)');
    return 0;
  }
  const dir = mkdtempSync(join(tmpdir(), 'rvn-e2e-electron-'));
  const extensionTestsPath = join(dir, 'suite.js');
  await build({
    entryPoints: [join(__dirname, '..', 'code-server', 'suite', 'index.ts')],
    outfile: extensionTestsPath,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    logLevel: 'warning',
  });
  const workspace = copyWorkspace('electron');
  const launchArgs = [workspace.dir, '--user-data-dir', join(dir, 'user-data'), '--extensions-dir', join(dir, 'extensions'),
    '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes', '--disable-gpu', '--no-sandbox'];
  try {
    if (testElectron && (download || executable)) {
      const code = await testElectron.runTests({
        extensionDevelopmentPath: repoRoot, extensionTestsPath, launchArgs, ...(executable ? { vscodeExecutablePath: executable } : {}),
      });
      return verdict(code === 0, `exit ${code}`);
    }
    // What runTests does once it has a binary: the suite's run() decides the exit code.
    const r = spawnSync(executable!, [...launchArgs, `--extensionDevelopmentPath=${repoRoot}`, `--extensionTestsPath=${extensionTestsPath}`],
      { stdio: 'inherit', timeout: 300_000 });
    return verdict(r.status === 0, `exit ${r.status ?? r.signal}`);
  } finally {
    workspace.remove();
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.log(`not ok - ${NAME}: ${e instanceof Error ? e.message : String(e)}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
