/**
 * The standalone HTML views render in a real browser engine: `rvn topology --html` for corpus logs
 * and `rvn bandwidth --html` for nccl-tests runs, opened in headless Chromium, screenshotted, and
 * read back (what a person would see: the transports, the NVLink bandwidth, the chart's curves).
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

/** Opens a file in a fresh tab, returns what the page shows and a PNG screenshot of it. */
async function render(browser: Chromium, file: string): Promise<{ view: { text: string; svgs: number; paths: number; width: number; height: number }; png: Buffer }> {
  const { targetId } = await browser.send('Target.createTarget', { url: 'about:blank' });
  const { sessionId } = await browser.send('Target.attachToTarget', { targetId, flatten: true });
  await browser.send('Page.enable', {}, sessionId);
  await browser.send('Emulation.setDeviceMetricsOverride', { width: 1400, height: 1000, deviceScaleFactor: 1, mobile: false }, sessionId);
  const loaded = browser.waitForEvent('Page.loadEventFired', sessionId, 30_000);
  await browser.send('Page.navigate', { url: pathToFileURL(file).href }, sessionId);
  await loaded;
  const { result } = await browser.send('Runtime.evaluate', { expression: READ_BACK, returnByValue: true }, sessionId);
  const { data } = await browser.send('Page.captureScreenshot', { format: 'png' }, sessionId);
  await browser.send('Target.closeTarget', { targetId });
  return { view: result.value, png: Buffer.from(data, 'base64') };
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
