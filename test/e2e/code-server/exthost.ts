/**
 * Runs the extension-host suite (suite/*.suite.ts) inside code-server, against the packaged VSIX
 * installed with --install-extension, and prints one line per test and `N passed, N failed`.
 *
 *   RVN_E2E_VSIX=runai-vllm-nccl-0.1.0.vsix node --import tsx test/e2e/code-server/exthost.ts
 *
 * The harness extension (harness/, with the suite bundled in) is linked next to it; a headless
 * Chromium opens the workbench, because code-server starts an extension host per connection.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { launchChromium, type Browser } from '../lib/browser';
import { outDir, vsixPath } from '../lib/clients';
import { startCodeServer, type CodeServer } from '../lib/codeServer';
import { firstLine } from '../lib/report';
import { copyWorkspace } from '../lib/workspace';

const RESULT_TIMEOUT_MS = Number(process.env.RVN_E2E_EXTHOST_TIMEOUT_MS ?? 120_000);

interface Outcome {
  passed: number;
  failed: number;
  skipped: number;
  ms: number;
  lines: string[];
}

async function bundleHarness(): Promise<string> {
  const dir = join(mkdtempSync(join(tmpdir(), 'rvn-e2e-harness-')), 'harness');
  cpSync(join(__dirname, 'harness', 'package.json'), join(dir, 'package.json'));
  await build({
    entryPoints: [join(__dirname, 'harness', 'extension.ts')],
    outfile: join(dir, 'extension.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    logLevel: 'warning',
  });
  return dir;
}

/** The newest extension-host log, for a failure report. */
function extensionHostLog(userDataDir: string): string {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const n of existsSync(d) ? readdirSync(d) : []) {
      const f = join(d, n);
      if (statSync(f).isDirectory()) walk(f);
      else if (/exthost\.log$/.test(n)) found.push(f);
    }
  };
  walk(join(userDataDir, 'logs'));
  return found.map((f) => readFileSync(f, 'utf8').trimEnd().split('\n').slice(-25).join('\n')).join('\n');
}

async function main(): Promise<number> {
  const logs = outDir('logs');
  const workspace = copyWorkspace('exthost');
  const harness = await bundleHarness();
  const result = join(workspace.dir, '..', 'result.json');
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  const t0 = Date.now();
  try {
    server = await startCodeServer({
      name: 'exthost',
      workspace: workspace.dir,
      vsix: vsixPath(),
      linkExtensions: [harness],
      env: { RVN_E2E_RESULT: result },
      logFile: join(logs, 'exthost-code-server.log'),
    });
    console.log(`# code-server ready (${Date.now() - t0} ms)`);
    browser = await launchChromium();
    const page = await browser.newPage();
    await page.goto(server.workbenchUrl, { waitUntil: 'domcontentloaded' });
    const deadline = Date.now() + RESULT_TIMEOUT_MS;
    while (!existsSync(result) && Date.now() < deadline) await page.waitForTimeout(200);
    if (!existsSync(result)) {
      console.log(`not ok - extension-host suite: no result within ${RESULT_TIMEOUT_MS} ms`);
      console.log(`# extension host log:\n${extensionHostLog(server.userDataDir).replace(/^/gm, '#   ')}`);
      console.log(`# code-server log:\n${server.logTail().replace(/^/gm, '#   ')}`);
      console.log('0 passed, 1 failed');
      return 1;
    }
    const outcome = JSON.parse(readFileSync(result, 'utf8')) as Outcome;
    for (const line of outcome.lines) console.log(line);
    if (outcome.failed > 0) console.log(`# extension host log:\n${extensionHostLog(server.userDataDir).replace(/^/gm, '#   ')}`);
    console.log(`# suite ${outcome.ms} ms, whole run ${Date.now() - t0} ms`);
    console.log(`${outcome.passed} passed, ${outcome.failed} failed${outcome.skipped ? ` (${outcome.skipped} skipped)` : ''}`);
    return outcome.failed === 0 && outcome.passed > 0 ? 0 : 1;
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    workspace.remove();
    rmSync(join(harness, '..'), { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.log(`not ok - extension-host run: ${firstLine(e)}`);
    console.error(e);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
