/**
 * The UI pass: what only the workbench shows, seen by a headless Chromium the way a user sees it.
 * The packaged VSIX is installed with --install-extension into a fresh code-server, then:
 * squiggle and its hover, Problems panel, suggest widget (Ctrl+Space), hover docs on an NCCL
 * variable, and for NCCL logs the language, status bar, grammar and topology webview.
 *
 *   RVN_E2E_VSIX=runai-vllm-nccl-0.1.0.vsix node --import tsx test/e2e/code-server/ui.ts
 *
 * Screenshots for the README go to test/e2e/screenshots/ (or $RVN_E2E_SCREENSHOTS); failure
 * screenshots and logs go to $RVN_E2E_OUT. ── To extend: add a `report.check(...)` block below. ──
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, type Browser, type Locator, type Page } from '../lib/browser';
import { e2eRoot, outDir, repoRoot, vsixPath } from '../lib/clients';
import { startCodeServer, type CodeServer } from '../lib/codeServer';
import { firstLine, Report } from '../lib/report';
import { copyWorkspace } from '../lib/workspace';

const VIEWPORT = { width: 1200, height: 720 };
const SHOTS = process.env.RVN_E2E_SCREENSHOTS || join(e2eRoot, 'screenshots');

let page: Page;

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Saves a README screenshot, clipped to `area` when given (smaller files, less noise). */
async function screenshot(name: string, area?: Locator): Promise<void> {
  const box = area ? await area.boundingBox() : null;
  await page.screenshot({ path: join(SHOTS, `${name}.png`), ...(box ? { clip: box } : {}) });
}

async function quickInput(text: string, rowText: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.type(text); // the input has the focus; a click would leave the mouse on the command center

  await page.locator('.quick-input-list .monaco-list-row', { hasText: rowText }).first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
}

async function openFile(name: string): Promise<void> {
  await page.keyboard.press('Control+P');
  await quickInput(name, name);
  await page.locator(`.tab.active[aria-label*="${name}"]`).first().waitFor({ timeout: 15_000 });
}

async function runCommand(title: string): Promise<void> {
  await page.keyboard.press('F1');
  await quickInput(title, title);
}

/** Moves the mouse onto `target` (a point inside it) and waits for the hover that contains `text`. */
async function hoverUntil(target: Locator, text: string | RegExp, dx = 8): Promise<Locator> {
  const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: text }).first();
  for (let attempt = 0; attempt < 3; attempt++) {
    const box = await target.boundingBox({ timeout: 10_000 });
    if (!box) throw new Error('hover target is not on screen');
    await page.mouse.move(5, 5);
    await page.mouse.move(box.x + Math.min(dx, box.width / 2), box.y + box.height / 2, { steps: 4 });
    try {
      await hover.waitFor({ state: 'visible', timeout: 8_000 });
      return hover;
    } catch (e) {
      if (attempt === 2) throw e;
    }
  }
  return hover;
}

async function main(): Promise<number> {
  const failures = outDir('screenshots');
  const logs = outDir('logs');
  const report = new Report(async (name) => {
    await page?.screenshot({ path: join(failures, `FAIL-ui-${name.replace(/[^a-z0-9]+/gi, '-')}.png`) });
  });
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    contributes?: { grammars?: Array<{ language?: string; scopeName: string }> };
  };
  const workspace = copyWorkspace('ui');
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  const consoleErrors: string[] = [];
  try {
    server = await startCodeServer({ name: 'ui', workspace: workspace.dir, vsix: vsixPath(), logFile: join(logs, 'ui-code-server.log') });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: VIEWPORT, deviceScaleFactor: 1 });
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text().slice(0, 200)); });
    const editor = page.locator('.part.editor');
    const squiggle = page.locator('.monaco-editor .squiggly-error').first();

    await report.check('workbench loads with the workspace', async () => {
      await page.goto(server!.workbenchUrl, { waitUntil: 'domcontentloaded' });
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'deploy.sh' }).waitFor({ timeout: 60_000 });
      return 'explorer lists deploy.sh';
    }, { critical: true });

    await report.check('shell: the misspelled flag is squiggled', async () => {
      await openFile('deploy.sh');
      await squiggle.waitFor({ state: 'visible', timeout: 30_000 });
    }, { critical: true }); // no diagnostics at all: the server is not running, the rest would only time out

    await report.check('shell: hovering the squiggle shows the message and a quick fix', async () => {
      const hover = await hoverUntil(squiggle, 'did you mean --tensor-parallel-size');
      // The status row first says "View Problem"; "Quick Fix..." is added once the code actions arrive.
      await page.locator('.monaco-hover:not(.hidden)', { hasText: 'Quick Fix' }).first().waitFor({ state: 'visible', timeout: 10_000 });
      const text = oneLine(await hover.innerText());
      await screenshot('diagnostic-hover', editor);
      return text.slice(0, 120);
    });

    await report.check('shell: the Problems panel lists the finding with its rule id', async () => {
      await page.mouse.move(5, 5);
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+Shift+M');
      const row = page.locator('.markers-panel .monaco-list-row', { hasText: '--tensor-paralel-size' }).first();
      await row.waitFor({ timeout: 20_000 });
      const text = oneLine(await row.innerText());
      if (!text.includes('vllm/unknown-flag')) throw new Error(`rule id missing from the row: ${text}`);
      await screenshot('problems');
      await page.keyboard.press('Control+J'); // hide the panel again
      return text;
    });

    await report.check('shell: Ctrl+Space offers --tensor-parallel-size', async () => {
      await page.locator('.monaco-editor .view-lines').first().click();
      await page.keyboard.press('Control+End');
      await page.keyboard.press('Backspace'); // onto the end of the last command line
      await page.keyboard.type(' \\');
      await page.keyboard.press('Enter');
      await page.keyboard.type('--tensor-p');
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+Space');
      const rows = page.locator('.suggest-widget.visible .monaco-list-row');
      const row = rows.filter({ hasText: '--tensor-parallel-size' }).first();
      await row.waitFor({ timeout: 20_000 });
      await screenshot('completion', editor);
      const label = oneLine((await row.getAttribute('aria-label')) ?? (await row.innerText()));
      await page.keyboard.press('Escape');
      return label.slice(0, 120);
    });

    await report.check('shell: hovering an NCCL variable shows its docs', async () => {
      const token = page.locator('.monaco-editor .view-line span span', { hasText: /^NCCL_SOCKET_IFNAME/ }).first();
      const hover = await hoverUntil(token, 'NCCL_SOCKET_IFNAME —');
      const text = oneLine(await hover.innerText());
      if (!/interface/i.test(text)) throw new Error(`no docs in the hover: ${text.slice(0, 200)}`);
      await screenshot('hover', editor);
      return text.slice(0, 100);
    });

    // ── NCCL logs: language, status bar, grammar, topology webview. Add further log/topology checks here. ──
    await report.check('log: a .nccl.log file opens as NCCL log with a status bar summary', async () => {
      await page.mouse.move(5, 5);
      await openFile('sample.nccl.log');
      await page.locator('.statusbar-item', { hasText: 'NCCL log' }).first().waitFor({ timeout: 20_000 });
      const summary = page.locator('.statusbar-item', { hasText: /rank/i }).first();
      await summary.waitFor({ timeout: 20_000 });
      return oneLine(await summary.innerText());
    });

    const grammar = manifest.contributes?.grammars?.find((g) => g.language === 'nccl-log');
    if (!grammar) {
      report.skip('log: the NCCL log grammar colours the log', 'package.json contributes no grammar for nccl-log yet');
    } else {
      await report.check('log: the NCCL log grammar colours the log', async () => {
        await page.locator('.monaco-editor .view-line span span', { hasText: /\bWARN\b/ }).first().click();
        await runCommand('Developer: Inspect Editor Tokens and Scopes');
        const widget = page.locator('.token-inspect-widget', { hasText: grammar.scopeName });
        await widget.waitFor({ timeout: 20_000 });
        const text = oneLine(await widget.innerText());
        await page.keyboard.press('Escape');
        return text.slice(0, 160);
      });
    }

    await report.check('topology: NCCL: Show Topology renders the webview', async () => {
      await runCommand('NCCL: Show Topology');
      await page.mouse.move(600, 660); // below the log's last line: no tooltip or hover in the screenshot
      const frame = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
      await frame.locator('body', { hasText: 'nccl-log/p2p-disabled' }).waitFor({ timeout: 30_000 });
      const host = frame.locator('body', { hasText: 'gpu-node-0' });
      await host.waitFor({ timeout: 5_000 });
      await screenshot('topology', editor);
      return 'webview shows gpu-node-0 and the nccl-log/p2p-disabled finding';
    });

    return report.finish();
  } finally {
    if (consoleErrors.length && report.failed) console.log(`# browser console errors:\n${consoleErrors.slice(0, 10).map((e) => `#   ${e}`).join('\n')}`);
    if (report.failed && server) console.log(`# code-server log:\n${server.logTail(15).replace(/^/gm, '#   ')}`);
    await browser?.close().catch(() => undefined);
    await server?.stop();
    workspace.remove();
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.log(`not ok - UI run: ${firstLine(e)}`);
    console.error(e);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
