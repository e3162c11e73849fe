/**
 * The standalone HTML views render in a real browser engine: `rvn topology --html` for corpus logs
 * and `rvn bandwidth --html` for nccl-tests runs, opened in headless Chromium, screenshotted, and
 * read back (what a person would see: the transports, the NVLink bandwidth, the chart's curves).
 * The ring overlay is driven like a keyboard user would: Tab to the picker, ArrowDown, Escape.
 * Skipped, with a message, where Debian's chromium is not installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Chromium, findChromium } from '../security/chromium';
import { hasShared, repoRoot, sharedDir } from '../helpers';

const chromium = findChromium();
const skip = !chromium ? 'Chromium not installed (apt-get install -y chromium): render checks skipped' : !hasShared ? 'no ../shared corpus' : false;
const out = mkdtempSync(join(tmpdir(), 'rvn-render-'));
const rvn = (...args: string[]) => spawnSync(process.execPath, [join(repoRoot, 'bin', 'rvn'), ...args], { cwd: repoRoot, encoding: 'utf8' });

const READ_BACK = `(() => ({
  text: document.body.innerText,
  svgs: document.querySelectorAll('svg').length,
  paths: document.querySelectorAll('svg path, svg polyline').length,
  width: document.documentElement.scrollWidth,
  height: document.documentElement.scrollHeight,
}))()`;

/** A file open in a fresh 1400×1000 tab: evaluate in it, reload it, screenshot it, close it. */
async function openTab(browser: Chromium, file: string, beforeLoad?: string) {
  const { targetId } = await browser.send('Target.createTarget', { url: 'about:blank' });
  const { sessionId } = await browser.send('Target.attachToTarget', { targetId, flatten: true });
  await browser.send('Page.enable', {}, sessionId);
  await browser.send('Emulation.setDeviceMetricsOverride', { width: 1400, height: 1000, deviceScaleFactor: 1, mobile: false }, sessionId);
  if (beforeLoad) await browser.send('Page.addScriptToEvaluateOnNewDocument', { source: beforeLoad }, sessionId);
  const load = async (method: string, params: object) => {
    const loaded = browser.waitForEvent('Page.loadEventFired', sessionId, 30_000);
    await browser.send(method, params, sessionId);
    await loaded;
  };
  await load('Page.navigate', { url: pathToFileURL(file).href });
  return {
    evaluate: async (expression: string) => (await browser.send('Runtime.evaluate', { expression, returnByValue: true }, sessionId)).result.value,
    press: async (key: string, keyCode: number) => {
      for (const type of ['keyDown', 'keyUp']) await browser.send('Input.dispatchKeyEvent', { type, key, code: key, windowsVirtualKeyCode: keyCode }, sessionId);
    },
    reload: () => load('Page.reload', {}),
    screenshot: async () => Buffer.from((await browser.send('Page.captureScreenshot', { format: 'png' }, sessionId)).data, 'base64'),
    close: () => browser.send('Target.closeTarget', { targetId }),
  };
}

/** Opens a file in a fresh tab, returns what the page shows and a PNG screenshot of it. */
async function render(browser: Chromium, file: string): Promise<{ view: { text: string; svgs: number; paths: number; width: number; height: number }; png: Buffer }> {
  const tab = await openTab(browser, file);
  const view = await tab.evaluate(READ_BACK);
  const png = await tab.screenshot();
  await tab.close();
  return { view, png };
}

/** What the first drawing shows of its path overlay: the shown group's size and ink, and the live text. */
const OVERLAY_STATE = `(() => {
  const g = document.querySelector('svg g.overlay.on');
  const line = g && g.querySelector('path.ov-line');
  const box = g && g.getBoundingClientRect();
  return {
    focused: document.activeElement.matches('select.overlay-pick') ? document.activeElement.value : null,
    shown: document.querySelectorAll('svg g.overlay.on').length,
    width: box ? box.width : 0,
    height: box ? box.height : 0,
    stroke: line ? getComputedStyle(line).stroke : 'none',
    display: g ? getComputedStyle(g).display : 'none',
    hops: g ? g.querySelectorAll('.ov-hop').length : 0,
    text: document.querySelector('.overlay-desc').textContent,
  };
})()`;

/** Tabs to the first path picker, picks the next entry with ArrowDown, screenshots it, clears it with Escape. */
async function overlayByKeyboard(browser: Chromium, file: string) {
  const tab = await openTab(browser, file);
  let tabs = 0;
  for (; tabs < 200 && !(await tab.evaluate(`document.activeElement.matches('select.overlay-pick')`)); tabs++) await tab.press('Tab', 9);
  const before = await tab.evaluate(OVERLAY_STATE);
  await tab.press('ArrowDown', 40);
  const picked = await tab.evaluate(OVERLAY_STATE);
  await tab.evaluate(`document.querySelector('svg.overlay-mode')?.scrollIntoView({ block: 'center' })`);
  const png = await tab.screenshot();
  await tab.press('Escape', 27);
  const cleared = await tab.evaluate(OVERLAY_STATE);
  await tab.close();
  return { tabs, before, picked, cleared, png };
}

/**
 * The webview keeps the pick across a rebuild: a stand-in for VS Code's `acquireVsCodeApi` keeps
 * its state in `window.name` (which survives a reload), the page is reloaded, the path is back.
 */
async function overlayKeptAcrossReload(browser: Chromium, file: string) {
  const fakeApi = 'window.acquireVsCodeApi = () => ({ getState: () => JSON.parse(window.name || "null"), setState: (s) => { window.name = JSON.stringify(s); }, postMessage() {} });';
  const tab = await openTab(browser, file, fakeApi);
  await tab.evaluate(`(() => { const s = document.querySelector('select.overlay-pick'); s.selectedIndex = 2; s.dispatchEvent(new Event('change', { bubbles: true })); })()`);
  const picked = await tab.evaluate(OVERLAY_STATE);
  await tab.reload();
  const reloaded = await tab.evaluate(`(() => { const s = document.querySelector('select.overlay-pick'); return { value: s.value, ...${OVERLAY_STATE} }; })()`);
  await tab.close();
  return { picked, reloaded };
}

test('rvn topology --html and rvn bandwidth --html render in headless Chromium', { skip }, async (t) => {
  const corpus = join(sharedDir, 'corpus');
  const topo = join(out, 'topology.html');
  assert.equal(rvn('topology', '--html', topo, join(corpus, 'nccl-2.28.9-h200x4/default.log'), join(corpus, 'nccl-2.28.9-h200x4/p2p-disabled-shm.log')).status, 0);
  const chart = join(out, 'bandwidth.html');
  const tests = join(corpus, 'nccl-tests-2.28.9-h200x2');
  assert.equal(rvn('bandwidth', '--html', chart, join(tests, 'all_reduce_perf.txt'), join(tests, 'all_reduce_perf.p2p-disabled.txt'), join(tests, 'all_reduce_perf.socket.txt')).status, 0);

  const browser = new Chromium(chromium!);
  try {
    const a = await render(browser, topo);
    writeFileSync(join(out, 'topology.png'), a.png);
    assert.ok(a.png.length > 20_000, `topology screenshot is only ${a.png.length} bytes`);
    assert.ok(a.view.svgs >= 1, 'no topology drawing');
    assert.match(a.view.text, /P2P\/CUMEM/);
    assert.match(a.view.text, /SHM/);
    assert.match(a.view.text, /370\.8/);

    // The ring overlay, by keyboard only: Tab reaches the picker, ArrowDown shows ring channel 0.
    const o = await overlayByKeyboard(browser, topo);
    writeFileSync(join(out, 'topology-overlay.png'), o.png);
    assert.ok(o.tabs < 200, 'Tab never reached the path picker');
    assert.equal(o.before.shown, 0, 'nothing highlighted before a pick');
    assert.equal(o.picked.focused, 'ring-0');
    assert.equal(o.picked.shown, 1);
    assert.equal(o.picked.display, 'inline');
    assert.equal(o.picked.hops, 4, 'GPU 0 → 1 → 2 → 3 → 0');
    assert.ok(o.picked.width > 100 && o.picked.height > 20, `highlighted path is ${o.picked.width}×${o.picked.height}`);
    assert.notEqual(o.picked.stroke, 'none');
    assert.match(o.picked.text, /Ring, channel 0: 0 → 1 → 2 → 3 → 0\. 4 hops on this host/);
    assert.deepEqual([o.cleared.focused, o.cleared.shown, o.cleared.text], ['', 0, ''], 'Escape clears the highlight');
    const kept = await overlayKeptAcrossReload(browser, topo);
    assert.equal(kept.picked.shown, 1);
    assert.equal(kept.reloaded.shown, 1, 'the highlighted path is back after the page was rebuilt');
    assert.equal(kept.reloaded.text, kept.picked.text);

    const b = await render(browser, chart);
    writeFileSync(join(out, 'bandwidth.png'), b.png);
    assert.ok(b.png.length > 10_000, `chart screenshot is only ${b.png.length} bytes`);
    // Three files, in-place and out-of-place each: six curves.
    assert.ok(b.view.paths >= 6, `only ${b.view.paths} curves drawn`);
    assert.match(b.view.text, /p2p-disabled/);
    assert.match(b.view.text, /nccl-tests\/low-bandwidth|far below|GB\/s/);
    t.diagnostic(`screenshots in ${out}`);
  } finally {
    await browser.close();
  }
});
