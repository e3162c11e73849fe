/**
 * `rvn topology --html` on a hostile log: host names, interface names, environment values, WARN
 * messages and file names carrying script, event handlers, `javascript:` URLs, `</style>` and very
 * long strings. The page must show them as text, and in a real browser (headless Chromium over
 * the DevTools pipe) no script from the log may run and no request may leave. A control page with
 * the same payloads unescaped proves the traps would have caught it. Needs `npm run build`;
 * skips the browser half, saying so, when Chromium is not installed (apt-get install chromium).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot, sharedDir } from '../helpers';
import { Chromium, findChromium } from './chromium';

/** Payloads without blanks or colons fit where NCCL prints a host or interface name. */
const COMPACT = ['<script>alert(1)</script>', '<img/src=x/onerror=alert(2)>', '"\'><svg/onload=alert(3)>', '</style><script>alert(4)</script>', '</title></textarea><script>alert(5)</script>'];
const SPACED = ['<img src=x onerror=alert(6)>', '<a href="javascript:alert(7)">click</a>', 'javascript:alert(8)', '<iframe src="http://192.0.2.1/"></iframe>', '<link rel=stylesheet href=https://192.0.2.1/x.css>', '{{constructor.constructor("alert(9)")()}}', '<!-- ]]> --><base href="http://192.0.2.1/">'];
const LONG = `<script>alert(10)</script>${'A'.repeat(200_000)}`;

function hostileLog(): string {
  const seed = [join(sharedDir, 'corpus', 'nccl-2.28.9-h200x4', 'two-hosts-socket.log'), join(repoRoot, 'test', 'fixtures', 'nccl', 'vllm-ray-2node-roce.log')].find(existsSync)!;
  const hosts = [COMPACT[0], `javascript:alert(11)//${COMPACT[1]}`];
  let k = 0;
  const lines = readFileSync(seed, 'utf8')
    .split('\n')
    .map((line) =>
      line
        // Two hosts, both hostile: the prefix NCCL prints is `host:pid:tid [dev]`.
        .replace(/^((?:\[[^\]]*\] )?)[\w.-]+:(\d+):/, (_m, ts: string, pid: string) => `${ts}${hosts[Number(pid) % 2]}:${pid}:`)
        .replace(/(set (?:by environment )?to )\S+$/, (_m, p: string) => `${p}${COMPACT[k++ % COMPACT.length]}`)
        .replace(/Using (?:\[\d+\])?[\w.-]+:/, (m) => m.replace(/[\w.-]+:$/, `${COMPACT[k++ % COMPACT.length]}:`)),
    );
  const prefix = `${hosts[0]}:2830:2830 [0]`;
  for (const p of [...SPACED, ...COMPACT]) lines.push(`${prefix} NCCL WARN ${p}`, `${prefix} bootstrap.cc:114 NCCL WARN Bootstrap : no socket interface found ${p}`, `${prefix} NCCL INFO NCCL_SOCKET_IFNAME set by environment to ${p}`);
  lines.push(`${prefix} NCCL WARN ${LONG}`, `${'<script>alert(12)</script>'.repeat(200)}:1:1 [0] NCCL INFO NCCL version 2.28.9+cuda13.0`);
  return lines.join('\n');
}

let dir = '';
let page = '';
let pageHtml = '';

test('rvn topology --html writes a page for the hostile log', () => {
  dir = mkdtempSync(join(tmpdir(), 'rvn-security-'));
  // The file names are hostile too: they become the page title, headings and navigation.
  const logs = [join(dir, '<img src=x onerror=alert(13)>.log'), join(dir, '"><svg onload=alert(14)>.log')];
  for (const log of logs) writeFileSync(log, hostileLog());
  page = join(dir, 'topology.html');
  const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'rvn'), 'topology', '--html', page, ...logs], { encoding: 'utf8' });
  assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
  pageHtml = readFileSync(page, 'utf8');
});

test('the page source: strict CSP, one nonce script, payloads only as escaped text', () => {
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(pageHtml)?.[1];
  assert.ok(csp, 'a CSP meta element');
  const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
  assert.deepEqual(directives.get('default-src'), ["'none'"]);
  const nonce = /^'nonce-([A-Za-z0-9+/=_-]+)'$/.exec(directives.get('script-src')?.[0] ?? '')?.[1];
  assert.ok(nonce && directives.get('script-src')!.length === 1, `script-src is exactly one nonce: ${csp}`);
  assert.doesNotMatch(csp, /unsafe-|strict-dynamic|https?:|\*|data:.*script/, `no loosening in ${csp}`);
  assert.deepEqual(directives.get('base-uri'), ["'none'"]);
  const scripts = [...pageHtml.matchAll(/<script\b[^>]*>/gi)].map((m) => m[0]);
  assert.deepEqual(scripts, [`<script nonce="${nonce}">`], 'the only script tag is ours, with the nonce');
  for (const tag of pageHtml.match(/<[a-z][^>]*>/gi) ?? []) {
    assert.doesNotMatch(tag, /\son[a-z]+\s*=/i, `inline handler in ${tag.slice(0, 200)}`);
    assert.doesNotMatch(tag, /\s(?:src|href|action|formaction|xlink:href)\s*=\s*["']?\s*(?:https?:|\/\/|javascript:)/i, `remote or script URL in ${tag.slice(0, 200)}`);
  }
  for (const p of [...COMPACT, ...SPACED]) if (p.includes('<')) assert.ok(!pageHtml.includes(p), `raw payload in the page: ${p}`);
  assert.ok(pageHtml.length < 20_000_000, `page size ${pageHtml.length}`);
});

/** Installed before any page script: records calls to the dialog functions and CSP violations. */
const TRAP = `(() => {
  const calls = [];
  Object.defineProperty(window, '__pwned', { value: calls });
  for (const k of ['alert', 'confirm', 'prompt', 'print', 'open']) window[k] = (...a) => { calls.push(k + '(' + a.join(',') + ')'); };
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.effectiveDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sample || '').slice(0, 60)));
})();`;

/** What the page exposes after load and after its own script handled hover/focus on every node. */
const INSPECT = `(async () => {
  const all = [...document.querySelectorAll('*')];
  for (const el of document.querySelectorAll('svg .node, [data-node]')) { el.dispatchEvent(new MouseEvent('mouseover', { bubbles: true })); el.dispatchEvent(new FocusEvent('focusin', { bubbles: true })); }
  for (const b of document.querySelectorAll('#toolbar button')) b.click();
  await new Promise((r) => setTimeout(r, 200));
  return {
    pwned: [...window.__pwned],
    violations: window.__violations,
    handlers: all.flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => el.tagName + ' ' + a.name)),
    urls: all.flatMap((el) => [...el.attributes].filter((a) => /^(src|href|action|formaction|xlink:href|srcdoc|data)$/i.test(a.name) && !/^#/.test(a.value)).map((a) => el.tagName + ' ' + a.name + '=' + a.value.slice(0, 80))),
    scripts: [...document.scripts].map((s) => !!s.nonce),
    embeds: document.querySelectorAll('iframe, object, embed, base, link, meta[http-equiv=refresh], form').length,
    ownScriptRan: document.getElementById('toolbar') ? !document.getElementById('toolbar').hidden : null,
    text: document.body ? document.body.textContent : '',
  };
})()`;

interface Visit {
  report: any;
  requests: string[];
  dialogs: string[];
  exceptions: string[];
}

async function visit(browser: Chromium, url: string): Promise<Visit> {
  const { targetId } = await browser.send('Target.createTarget', { url: 'about:blank' });
  const { sessionId } = await browser.send('Target.attachToTarget', { targetId, flatten: true });
  const requests: string[] = [];
  const dialogs: string[] = [];
  const exceptions: string[] = [];
  browser.on((e) => {
    if (e.sessionId !== sessionId) return;
    // Every request the page makes, except its own document and inline data: URLs.
    if (e.method === 'Network.requestWillBeSent' && e.params.request.url !== url && !e.params.request.url.startsWith('data:')) requests.push(e.params.request.url);
    if (e.method === 'Fetch.requestPaused') {
      const own = e.params.request.url === url;
      void browser.send(own ? 'Fetch.continueRequest' : 'Fetch.failRequest', own ? { requestId: e.params.requestId } : { requestId: e.params.requestId, errorReason: 'BlockedByClient' }, sessionId).catch(() => undefined);
    }
    if (e.method === 'Page.javascriptDialogOpening') {
      dialogs.push(`${e.params.type}: ${e.params.message}`);
      void browser.send('Page.handleJavaScriptDialog', { accept: false }, sessionId).catch(() => undefined);
    }
    if (e.method === 'Runtime.exceptionThrown') exceptions.push(e.params.exceptionDetails?.exception?.description ?? e.params.exceptionDetails?.text);
  });
  for (const domain of ['Page.enable', 'Runtime.enable', 'Network.enable']) await browser.send(domain, {}, sessionId);
  // Nothing leaves: every request is paused here and failed, after being counted above.
  await browser.send('Fetch.enable', { patterns: [{ urlPattern: '*' }] }, sessionId);
  await browser.send('Page.addScriptToEvaluateOnNewDocument', { source: TRAP }, sessionId);
  const loaded = browser.waitForEvent('Page.loadEventFired', sessionId, 30_000);
  await browser.send('Page.navigate', { url }, sessionId);
  await loaded;
  const { result } = await browser.send('Runtime.evaluate', { expression: INSPECT, awaitPromise: true, returnByValue: true }, sessionId, 30_000);
  await browser.send('Target.closeTarget', { targetId });
  return { report: result.value, requests, dialogs, exceptions };
}

const chromium = findChromium();
const skip = chromium ? false : 'Chromium not installed (apt-get install -y chromium, or set CHROMIUM_PATH): browser checks skipped';

test('in headless Chromium: no script from the log runs, no request leaves, the page still works', { skip }, async (t) => {
  const browser = new Chromium(chromium!);
  try {
    // Control: the same kinds of payload, unescaped and without CSP, must trip the traps.
    const control = join(dir, 'control.html');
    writeFileSync(control, `<!DOCTYPE html><html><body>${COMPACT[0]}<img src=x onerror="alert(2)"><img src="http://192.0.2.1/x.png"></body></html>`);
    const c = await visit(browser, pathToFileURL(control).href);
    assert.ok(c.report.pwned.length >= 2, `control: the trap saw ${JSON.stringify(c.report.pwned)}`);
    assert.ok(c.requests.some((u) => u.startsWith('http://192.0.2.1/')), `control: the request counter saw ${JSON.stringify(c.requests)}`);

    const v = await visit(browser, pathToFileURL(page).href);
    const r = v.report;
    assert.deepEqual(r.pwned, [], 'a payload from the log called a dialog function');
    assert.deepEqual(v.dialogs, [], 'a dialog opened');
    assert.deepEqual(v.requests, [], 'the page attempted requests');
    assert.deepEqual(r.violations, [], 'CSP had to block something: markup from the log reached the DOM');
    assert.deepEqual(r.handlers, [], 'inline event handlers in the DOM');
    assert.deepEqual(r.urls.filter((u: string) => !/=data:/.test(u)), [], 'URL attributes in the DOM');
    assert.equal(r.embeds, 0, 'iframe/object/embed/base/link/refresh/form elements in the DOM');
    assert.deepEqual(r.scripts, [true], 'exactly one script element, carrying the nonce');
    assert.deepEqual(v.exceptions, [], 'the page script threw on hostile data');
    assert.equal(r.ownScriptRan, true, 'the page’s own nonce script ran (so scripts were not simply off)');
    // Not vacuous: the payloads are on the page, as text.
    for (const p of [COMPACT[0], COMPACT[1], SPACED[0], SPACED[1]]) assert.ok(r.text.includes(p), `payload not shown as text: ${p}`);
    t.diagnostic(`${chromium}: control tripped (${c.report.pwned.length} calls, ${c.requests.length} requests); page ${(pageHtml.length / 1024).toFixed(0)} KB clean`);
  } finally {
    await browser.close();
  }
});

test('clean up', () => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});
