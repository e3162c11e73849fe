/**
 * The topology page: corpus logs render the facts that matter (GPUs, bus ids, NVLink bandwidth,
 * transports with fallbacks marked), the page keeps its CSP promises (nonces, no inline handlers,
 * nothing remote), and hostile log text comes out escaped everywhere.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ncclLogFindings, parseNcclLog, parseNcclLogFile } from '../../server/src/ncclLog/index';
import { clip, escapeHtml, html, inlineAsset, joinHtml, pciAddress } from '../../server/src/report/html';
import { renderTopologyHtml, type TopologyPageLog } from '../../server/src/report/topologyPage';
import { repoRoot, sharedDir } from '../helpers';
import { assertPageSafety, NONCE } from './topologyPageSafety';

const CORPUS = join(sharedDir, 'corpus', 'nccl-2.28.9-h200x4');
const hasCorpus = existsSync(join(CORPUS, 'default.log'));

async function corpusLog(name: string): Promise<TopologyPageLog> {
  const model = await parseNcclLogFile(join(CORPUS, name));
  return { name, model, findings: ncclLogFindings(model) };
}

const render = (logs: TopologyPageLog[], cspSource?: string) => renderTopologyHtml(logs, { nonce: NONCE, standalone: cspSource === undefined, ...(cspSource ? { cspSource } : {}) });

/** Text of the table cells with a class, e.g. the transport cells `td.t.fallback`. */
const cells = (page: string, cls: string) => [...page.matchAll(new RegExp(`<td class="t ${cls}"[^>]*>([^<]*)`, 'g'))].map((m) => m[1]);

describe('html helpers', () => {
  it('escapes text and attribute values', () => {
    assert.equal(escapeHtml(`<a href="x" title='y'>&</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    const evil = '"><script>alert(1)</script>';
    assert.equal(html`<td title="${evil}">${evil}</td>`.value, `<td title="${escapeHtml(evil)}">${escapeHtml(evil)}</td>`);
    assert.equal(html`<p>${['<b>', html`<i>ok</i>`, 3, false, undefined]}</p>`.value, '<p>&lt;b&gt;<i>ok</i>3</p>');
    assert.equal(joinHtml(['<a>', 'b'], ', ').value, '&lt;a&gt;, b');
    assert.equal(clip('abcdef', 4), 'abc…');
  });

  it('refuses inline assets that could close their element', () => {
    assert.throws(() => inlineAsset('a</script>b'));
    assert.throws(() => inlineAsset('x</STYLE>'));
    assert.equal(inlineAsset('body{}').value, 'body{}');
  });

  it('turns NCCL bus ids into PCI addresses', () => {
    assert.equal(pciAddress('60'), '0000:00:06.0');
    assert.equal(pciAddress('18000'), '0000:18:00.0');
    assert.equal(pciAddress('1b3000'), '0001:b3:00.0');
    assert.equal(pciAddress('not-hex'), 'not-hex');
  });
});

describe('page shell and CSP', () => {
  it('has a strict CSP with the nonce, and adds the webview source when given', () => {
    const model = parseNcclLog('node01:1:1 [0] NCCL INFO NCCL version 2.28.9+cuda13.0\n');
    const standalone = render([{ name: 'x.log', model, findings: [] }]);
    assert.ok(standalone.includes(`content="default-src 'none'; style-src 'nonce-${NONCE}'; script-src 'nonce-${NONCE}'; img-src data:; font-src 'none'; base-uri 'none'; form-action 'none'"`));
    assert.ok(!/https?:/i.test(standalone), 'no URL at all in the standalone page');
    assertPageSafety(standalone);
    const webview = render([{ name: 'x.log', model, findings: [] }], 'vscode-webview://abc');
    assert.ok(webview.includes(`style-src 'nonce-${NONCE}' vscode-webview://abc; script-src 'nonce-${NONCE}'; img-src data: vscode-webview://abc`));
    assert.ok(webview.includes('<body class="webview">'));
  });

  it('rejects nonces and CSP sources that could break out of the policy', () => {
    const model = parseNcclLog('');
    assert.throws(() => renderTopologyHtml([], { nonce: `abc'; script-src *`, standalone: true }));
    assert.throws(() => renderTopologyHtml([], { nonce: 'short', standalone: true }));
    assert.throws(() => renderTopologyHtml([{ name: 'a', model, findings: [] }], { nonce: NONCE, cspSource: "x; script-src 'unsafe-inline'", standalone: false }));
    assert.match(renderTopologyHtml([], { nonce: NONCE, standalone: true }), /No logs given/);
  });

  it('keeps the script to progressive enhancement: the content is in the markup', () => {
    const page = render([{ name: 'x.log', model: parseNcclLog(''), findings: [] }]);
    assert.match(page, /<div id="toolbar" class="toolbar" hidden>/, 'script-only buttons start hidden');
    assert.match(page, /<details class="sec"[^>]* open>/, 'sections are open without script');
  });
});

describe('corpus logs', { skip: !hasCorpus && 'corpus not available' }, () => {
  it('default.log: GPUs with bus ids, NVLink 370.8 through the NVSwitch, P2P/CUMEM between every ring neighbour', async () => {
    const page = render([await corpusLog('default.log')]);
    assertPageSafety(page);
    assert.ok(!/https?:/i.test(page));
    for (const [dev, bus] of [[0, '06.0'], [1, '07.0'], [2, '08.0'], [3, '09.0']] as const) {
      assert.ok(page.includes(`>GPU ${dev}</text>`), `GPU ${dev} box`);
      assert.ok(page.includes(`>00:${bus}</text>`), `bus ${bus} in the box`);
      assert.ok(page.includes(`bus 0000:00:${bus}`), `full PCI address of GPU ${dev}`);
    }
    assert.equal((page.match(/>NVL 370\.8<\/text>/g) ?? []).length, 4, 'four labelled NVLink links to the NVSwitch');
    assert.ok(page.includes('>NVSwitch</text>'));
    assert.ok(page.includes('>eth0</text>'), 'NET device named after its interface');
    assert.deepEqual(cells(page, 'ok'), ['P2P/CUMEM', 'P2P/CUMEM', 'P2P/CUMEM', 'P2P/CUMEM']);
    assert.deepEqual([...cells(page, 'fallback'), ...cells(page, 'degraded')], []);
    assert.ok(page.includes('NCCL 2.28.9 (CUDA 13.0)') && page.includes('<dd>13.0</dd>'), 'NCCL version and CUDA driver');
    assert.ok(page.includes('0 → 1 → 2 → 3 → 0'), 'ring order');
    assert.match(page, /<dt>coll<\/dt><dd>24<\/dd>/);
    assert.match(page, /<caption>Algorithm \/ protocol model/);
    assert.match(page, /<td class="best"[^>]*>480<span/, 'best AllGather bandwidth highlighted');
    assert.ok(page.includes('nccl-log/mlx5-symbols-missing'), 'findings listed by rule id');
    assert.match(page, /<td><span data-line="25">25<\/span><\/td><td class="rule">nccl-log\/net-plugin-missing/);
  });

  it('p2p-disabled-shm.log: SHM between NVLink-connected GPUs is marked as a fallback', async () => {
    const page = render([await corpusLog('p2p-disabled-shm.log')]);
    assertPageSafety(page);
    assert.deepEqual(cells(page, 'fallback'), ['⚠ SHM', '⚠ SHM', '⚠ SHM', '⚠ SHM']);
    assert.deepEqual(cells(page, 'ok'), []);
    assert.match(page, /<span class="sr-only"> \(fallback: SHM through host memory although the GPUs are NVLink-connected \(370\.8 GB\/s\)\)<\/span>/);
    assert.ok(page.includes('nccl-log/shm-instead-of-p2p') && page.includes('NCCL_P2P_DISABLE'));
    assert.ok(page.includes('no, although the topology has 370.8 GB/s per GPU'));
  });

  it('socket-only.log and two-hosts-socket.log: NET/Socket is a fallback, P2P/CUMEM inside a host is not', async () => {
    const single = render([await corpusLog('socket-only.log')]);
    assert.ok(cells(single, 'fallback').every((c) => c === '⚠ NET/Socket') && cells(single, 'fallback').length > 0);
    const two = render([await corpusLog('two-hosts-socket.log')]);
    assertPageSafety(two);
    assert.ok(two.includes('>Host node-a <span class="sub">hostname vm (NCCL_HOSTID)</span>') && two.includes('>Host node-b'));
    assert.deepEqual(new Set(cells(two, 'ok')), new Set(['P2P/CUMEM']));
    assert.deepEqual(new Set(cells(two, 'fallback')), new Set(['⚠ NET/Socket']));
  });

  it('every corpus log renders, several logs go on one page with a table of contents', async () => {
    const names = ['bad-ifname-error.log', 'debug-version.log', 'debug-warn-only.log', 'net-ib-forced-error.log', 'tree-ll128.log'];
    const page = render(await Promise.all(names.map(corpusLog)));
    assertPageSafety(page);
    for (const [i, n] of names.entries()) assert.ok(page.includes(`<li><a href="#log${i}">${n}</a></li>`));
    assert.ok(page.includes('nccl-log/nccl-error') && page.includes('ncclInvalidUsage'));
  });
});

describe('hostile log text', () => {
  const H = '<script>alert(1)</script>';
  const big = 'B'.repeat(100 * 1024);
  const lines = [
    `${H}:4242:4242 [0] NCCL INFO NCCL version 2.28.9+cuda13.0`,
    `${H}:4242:4242 [0] NCCL INFO NCCL_SOCKET_IFNAME set by environment to </style><script>alert(2)</script>`,
    `${H}:4242:4242 [0] NCCL INFO NET/Socket : Using [0]<svg/onload=alert(3)>:10.0.0.1<0>`,
    `${H}:4242:4242 [0] NCCL INFO Using network Socket`,
    `${H}:4242:4242 [0] NCCL INFO ncclCommInitRankConfig comm 0x1 rank 0 nranks 2 cudaDev 0 nvmlDev 0 busId 18000 commId 0x77 - Init START`,
    `${H}:4242:4242 [0] NCCL INFO === System : maxBw 48.0 totalBw 240.0 ===`,
    `${H}:4242:4242 [0] NCCL INFO CPU/0-0 (1/1/4)`,
    `${H}:4242:4242 [0] NCCL INFO + PCI[48.0] - NIC/0-1a000`,
    `${H}:4242:4242 [0] NCCL INFO               + NET[50.0] - NET/0-0 (0/a088c20300c2b6f2/1/50.000000)`,
    `${H}:4242:4242 [0] NCCL INFO + PCI[48.0] - GPU/0-18000 (0)`,
    `${H}:4242:4242 [0] NCCL INFO ==========================================`,
    `${H}:4242:4242 [0] NCCL INFO Channel 00/0 : 0[0] -> 1[0] [send] via NET/"><img src=x onerror=alert(5)>/0`,
    `${H}:4242:4242 [0] NCCL INFO Channel 00/0 : 1[0] -> 0[0] [receive] via NET/Socket/0`,
    '',
    `[2026-06-11 10:02:03] ${H}:4242:4311 [0] misc/socket.cc:58 NCCL WARN <img src=x onerror=alert(6)> javascript:alert(7) </style></script> ${big}`,
    `${H}:4242:4242 [0] NCCL INFO init.cc:126 -> 5`,
    `${big}:1:1 [0] NCCL INFO NCCL version 2.28.9+cuda13.0`,
  ];
  const model = parseNcclLog(lines.join('\n'));
  const log = { name: `"><script>alert(9)</script>javascript:x.log`, model, findings: ncclLogFindings(model) };

  it('the log really carries the payloads into the model and findings', () => {
    assert.ok(model.hosts.some((h) => h.name === H));
    assert.ok(model.network.socket.some((s) => s.devices.some((d) => d.ifname.includes('onload'))));
    assert.ok(log.findings.some((f) => f.message.includes('<img src=x onerror')));
  });

  it('renders with every payload escaped', () => {
    const page = render([log]);
    assertPageSafety(page);
    assert.ok(!/<script>alert|<img|<svg\/onload|<\/style><script/i.test(page), 'no payload survives as markup');
    assert.ok(page.includes(escapeHtml(H)), 'host name shown, escaped');
    assert.ok(page.includes('&lt;svg/onload=alert(3)&gt;'), 'interface name shown, escaped');
    assert.ok(page.includes('&lt;img src=x onerror=alert(6)&gt; javascript:alert(7) &lt;/style&gt;&lt;/script&gt;'), 'WARN text shown, escaped');
    assert.ok(page.includes('&lt;/style&gt;&lt;script&gt;alert(2)&lt;/script&gt;'), 'env value shown, escaped');
    assert.ok(page.includes('&quot;&gt;&lt;script&gt;alert(9)&lt;/script&gt;javascript:x.log'), 'log name shown, escaped');
    assert.ok(!/href="javascript:/i.test(page));
    assert.ok(page.length < 400_000, `long log strings are clipped (page is ${page.length} characters)`);
  });

  it('renders hostile text the same way inside a VS Code webview', () => {
    const page = render([log], 'vscode-webview://x');
    assert.ok(!/<script>alert|<img|<svg\/onload/i.test(page));
  });
});

describe('layout of other topologies', () => {
  const fixture = join(repoRoot, 'test/fixtures/nccl/vllm-ray-2node-roce.log');

  it('PCI switches, a direct NVLink bridge and a NIC next to GPU 0 (2-node RoCE fixture)', () => {
    const model = parseNcclLog(readFileSync(fixture, 'utf8'));
    const page = render([{ name: 'roce.log', model, findings: ncclLogFindings(model) }]);
    assertPageSafety(page);
    assert.equal((page.match(/>PCI switch<\/text>/g) ?? []).length, 2, 'two switches, drawn for the first host only');
    assert.match(page, /<caption>1 more host with the same devices and links as <a href="#log0-h0">host worker-0<\/a><\/caption>/);
    assert.match(page, /<span id="log0-h1">worker-1<\/span>/);
    assert.ok(page.includes('>mlx5_0:1/RoCE</text>'));
    assert.equal((page.match(/<g class="link nvl" data-a=/g) ?? []).length, 1, 'one NVLink arc, printed from both ends');
    assert.ok(page.includes('>NVL 240</text>'));
    assert.deepEqual(new Set(cells(page, 'ok')), new Set(['NET/IB/GDRDMA', 'P2P/CUMEM']));
  });

  it('boxes never overlap: two CPUs, four PCI switches, eight GPUs and NICs, an NVSwitch', () => {
    const page = render([{ name: 'dgx.log', model: parseNcclLog(dgxLog()), findings: [] }]);
    assertPageSafety(page);
    const boxes = [...page.matchAll(/<rect x="([\d.-]+)" y="([\d.-]+)" width="([\d.]+)" height="([\d.]+)"/g)].map((m) => m.slice(1, 5).map(Number));
    assert.equal(boxes.length, 2 + 4 + 8 + 8 + 8 + 1);
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [ax, ay, aw, ah] = boxes[i];
        const [bx, by, bw, bh] = boxes[j];
        assert.ok(ax + aw <= bx || bx + bw <= ax || ay + ah <= by || by + bh <= ay, `boxes ${i} and ${j} overlap`);
      }
    }
    assert.ok(page.includes('>SYS 10</text>'), 'CPU interconnect labelled');
  });
});

/** An 8-GPU, 2-socket host in NCCL's topology dump format. */
function dgxLog(): string {
  const p = (m: string) => `dgx:1:1 [0] NCCL INFO ${m}`;
  const out = [p('ncclCommInitRank comm 0x1 rank 0 nranks 8 cudaDev 0 nvmlDev 0 busId 18000 commId 0x5 - Init START'), p('=== System : maxBw 48.0 totalBw 720.0 ===')];
  for (const cpu of [0, 1]) {
    out.push(p(`CPU/0-${cpu} (1/1/4)`));
    for (const sw of [0, 1]) {
      out.push(p(`+ PCI[48.0] - PCI/0-${cpu}${sw}0000 (1000c0101000a000)`));
      for (const k of [0, 1]) {
        const g = cpu * 4 + sw * 2 + k;
        out.push(p(`              + PCI[48.0] - GPU/0-${cpu}${sw}${k}8000 (${g})`), p('                            + NVL[720.0] - NVS/0-0'));
        out.push(p(`              + PCI[48.0] - NIC/0-${cpu}${sw}${k}a000`), p(`                            + NET[50.0] - NET/0-${g} (${g}/a088c20300c2b6f${g}/1/50.000000)`));
      }
    }
    out.push(p(`+ SYS[10.0] - CPU/0-${1 - cpu}`));
  }
  out.push(p('=========================================='));
  return out.join('\n');
}

/**
 * Logs from machines the page was not designed on (other GPUs, PCIe-only boxes, partial pastes):
 * small excerpts in NCCL's line shapes, one per layout or visibility rule.
 */
describe('logs from other machines', () => {
  const line = (host: string, pid: number, dev: number) => (m: string) => `${host}:${pid}:${pid} [${dev}] NCCL INFO ${m}`;
  const pageOf = (text: string) => {
    const model = parseNcclLog(text);
    const out = render([{ name: 'x.log', model, findings: ncclLogFindings(model) }]);
    assertPageSafety(out);
    return out;
  };
  /** [x, y, w, h] of each box, by its aria-label's first word(s). */
  const boxes = (page: string) => [...page.matchAll(/<g class="node (\w+)"[^>]*aria-label="([^"]*)"><title>[^<]*<\/title><rect x="([\d.-]+)" y="([\d.-]+)" width="([\d.]+)" height="([\d.]+)"/g)].map((m) => ({ kind: m[1], label: m[2], x: +m[3], y: +m[4], w: +m[5], h: +m[6] }));
  const linkLabels = (page: string, cls: string) => [...page.matchAll(new RegExp(`<g class="link ${cls}"[^>]*><title>[^<]*</title><path d="[^"]*"/><text x="([\\d.-]+)" y="([\\d.-]+)" text-anchor="(\\w+)">([^<]*)</text>`, 'g'))].map((m) => ({ x: +m[1], y: +m[2], anchor: m[3], text: m[4] }));

  /** A label's box (11px text, about 6.5px a character) must not cover a node's box. */
  const assertLabelsClearOfBoxes = (page: string, labels: ReturnType<typeof linkLabels>) => {
    for (const l of labels) {
      const w = 6.5 * l.text.length;
      const left = l.anchor === 'middle' ? l.x - w / 2 : l.x;
      for (const b of boxes(page)) {
        const clear = left + w <= b.x || b.x + b.w <= left || l.y <= b.y || b.y + b.h <= l.y - 9;
        assert.ok(clear, `label "${l.text}" at ${l.x},${l.y} covers ${b.label.slice(0, 20)} at ${b.x},${b.y}`);
      }
    }
  };

  it('two CPUs side by side: the SYS label goes above the boxes instead of under them', () => {
    const p = line('box', 1, 0);
    const page = pageOf([p('=== System : maxBw 24.0 totalBw 24.0 ==='), p('CPU/0 (1/2/2)'), p('+ PCI[24.0] - GPU/1000 (0)'), p('+ SYS[5000.0] - CPU/1'), p('CPU/1 (1/2/2)'), p('+ SYS[5000.0] - CPU/0'), p('==========')].join('\n'));
    const cpus = boxes(page).filter((b) => b.kind === 'cpu');
    assert.equal(cpus.length, 2);
    const [label] = linkLabels(page, 'sys');
    assert.equal(label.text, 'SYS 5000');
    // The gap between neighbours (28px) is narrower than the label: above the row, not inside a box.
    assert.ok(label.y < Math.min(...cpus.map((c) => c.y)) - 2, `label at y ${label.y} is above the CPU boxes`);
    assert.ok(label.y > 11, 'and inside the drawing');
    assertLabelsClearOfBoxes(page, [label]);
  });

  it('four sockets linked each to each: arcs rise with their span, labels neither overlap nor leave the drawing', () => {
    const out: string[] = [];
    const p = line('quad', 1, 0);
    out.push(p('=== System : maxBw 24.0 totalBw 24.0 ==='));
    for (let c = 0; c < 4; c++) {
      out.push(p(`CPU/${c} (1/2/4)`), p(`+ PCI[24.0] - GPU/${c}1000 (${c})`));
      for (let d = 0; d < 4; d++) if (d !== c) out.push(p(`+ SYS[10.0] - CPU/${d}`));
    }
    const page = pageOf([...out, p('==========')].join('\n'));
    const labels = linkLabels(page, 'sys');
    assert.equal(labels.length, 6, 'one drawing per CPU pair');
    assertLabelsClearOfBoxes(page, labels);
    for (let i = 0; i < labels.length; i++) {
      assert.ok(labels[i].y > 11, `label ${i} inside the drawing`);
      for (let j = i + 1; j < labels.length; j++) {
        const [a, b] = [labels[i], labels[j]];
        assert.ok(Math.abs(a.x - b.x) >= 50 || Math.abs(a.y - b.y) >= 13, `labels ${i} and ${j} overlap at ${a.x},${a.y} / ${b.x},${b.y}`);
      }
    }
  });

  it('a ring hop leaving through a NET box in the first column keeps its label inside the drawing', () => {
    const hosts = ['worker-node-a', 'worker-node-b'];
    const out: string[] = [];
    hosts.forEach((h, r) => {
      const p = line(h, 10 + r, 0);
      out.push(p(`ncclCommInitRank comm 0x${r + 1}0 rank ${r} nranks 2 cudaDev 0 nvmlDev 0 busId 1000 commId 0x77 - Init START`));
      out.push(p('=== System : maxBw 12.0 totalBw 24.0 ==='), p('CPU/0 (1/1/2)'), p('+ PCI[24.0] - NIC/0'), p('                + NET[12.5] - NET/0 (0/0/1/12.500000)'), p('+ PCI[24.0] - GPU/1000 (0)'), p('=========='));
      out.push(p(`comm 0x${r + 1}0 rank ${r} nRanks 2 nNodes 2 localRanks 1 localRank 0 MNNVL 0`), p('Channel 00/01 : 0 1'));
      out.push(p(`Channel 00/0 : ${r}[0] -> ${1 - r}[0] [send] via NET/Socket/0`));
    });
    const page = pageOf(out.join('\n'));
    const width = Number(/<svg class="topo" viewBox="0 0 ([\d.]+)/.exec(page)![1]);
    const labels = [...page.matchAll(/<g class="ov-hop[^"]*"[^>]*>.*?<text x="([\d.-]+)" y="[\d.-]+" text-anchor="(\w+)">([^<]*)<\/text>/g)].map((m) => ({ x: +m[1], anchor: m[2], text: m[3].replace(/&#39;|&amp;|&[a-z]+;/g, 'x') }));
    assert.ok(labels.some((l) => l.text.includes('@ worker-node-b')), 'the hop names the host at the other end');
    for (const l of labels) {
      const w = 7 * l.text.length;
      const left = l.anchor === 'end' ? l.x - w : l.anchor === 'middle' ? l.x - w / 2 : l.x;
      assert.ok(left >= 0 && left + w <= width, `"${l.text}" spans ${left}..${left + w} of ${width}`);
    }
  });

  it('NET/IBext without GDRDMA between hosts is degraded like NET/IB, not "expected"', () => {
    const out = ['ha', 'hb'].flatMap((h, r) => {
      const p = line(h, 20 + r, 0);
      return [p(`ncclCommInitRank comm 0x${r + 1}0 rank ${r} nranks 2 cudaDev 0 nvmlDev 0 busId 1000 commId 0x88 - Init START`), p(`Channel 00/0 : ${r}[0] -> ${1 - r}[0] [send] via NET/IBext_v8/0`)];
    });
    const page = pageOf(out.join('\n'));
    assert.deepEqual(new Set(cells(page, 'degraded')), new Set(['⚠ NET/IBext_v8']));
    assert.deepEqual(cells(page, 'ok'), []);
  });

  it('a partial paste with fewer pairs than ranks lists the pairs instead of an almost empty matrix', () => {
    const p = line('pod', 30, 0);
    const out = [p('ncclCommInitRank comm 0x10 rank 3 nranks 16 cudaDev 0 nvmlDev 0 busId 1000 commId 0x99 - Init START')];
    for (const [a, b] of [[3, 4], [4, 5], [11, 12]]) out.push(p(`Channel 00/0 : ${a}[0] -> ${b}[1] via P2P/IPC`));
    const page = pageOf(out.join('\n'));
    assert.ok(!page.includes('<table class="matrix"'), 'no 5×5 matrix with three filled cells');
    assert.match(page, /<table class="pairs" id="log0-c0-matrix">/);
    assert.equal((page.match(/<tr><th scope="row">\d+ → \d+/g) ?? []).length, 3);
    assert.match(page, /Channel lines name 5 of the 16 ranks: the log holds only part of this communicator\./);
  });

  it('a communicator known only from its Init lines gets one note, not six empty headings', () => {
    const p = line('solo', 40, 0);
    const page = pageOf(p('ncclCommInitRank comm 0x10 rank 0 nranks 2 cudaDev 0 nvmlDev 0 busId 1000 commId 0xaa - Init START'));
    const comm = page.slice(page.indexOf('id="log0-c0"'), page.indexOf('id="log0-summary"'));
    assert.match(comm, /No Channel, ring, tree or channel-count lines for this communicator/);
    assert.match(comm, /1 of its 2 ranks logged Init lines \(on solo\)\./);
    assert.ok(!/<h4>(?:Rings|Trees|Channels|GPU-pair transports)<\/h4>/.test(comm));
  });

  it('hosts without a topology dump share one table instead of repeating the same note', () => {
    const out = [0, 1, 2].map((i) => line(`ip-10-0-0-${i}`, 50 + i, 0)(`ncclCommInitRank comm 0x${i + 1}0 rank ${i} nranks 3 cudaDev 0 nvmlDev 0 busId 1000 commId 0xbb - Init START`));
    const page = pageOf(out.join('\n'));
    assert.equal((page.match(/No topology dump/g) ?? []).length, 1);
    assert.match(page, /<caption>3 hosts without a topology dump<\/caption>/);
    for (let i = 0; i < 3; i++) assert.ok(page.includes(`<span id="log0-h${i}">ip-10-0-0-${i}</span>`));
  });

  it('a dump cut short before any GPU is listed as tables, not drawn as a lone CPU', () => {
    const p = line('cut', 60, 0);
    const page = pageOf([p('=== System : maxBw 24.0 totalBw 24.0 ==='), p('CPU/0 (1/1/2)'), p('+ PCI[24.0] - PCI/10000 (1000c0101000a000)'), p('+ SYS[10.0] - CPU/1')].join('\n'));
    assert.ok(!page.includes('<svg class="topo"'));
    assert.match(page, /The topology dump names no GPU \(only 2 CPU, 1 PCI\): it was probably cut short, so it is not drawn/);
    assert.match(page, /<details class="tables" open><summary>Devices, links and paths as tables<\/summary>/);
  });

  it('lines pasted without a host prefix are not headed "Host unknown"', () => {
    const page = pageOf(['NCCL INFO === System : maxBw 24.0 totalBw 24.0 ===', 'NCCL INFO CPU/0 (1/1/2)', 'NCCL INFO + PCI[24.0] - GPU/1000 (0)', 'NCCL INFO =========='].join('\n'));
    assert.ok(page.includes('<svg class="topo"'), 'the pasted dump is drawn');
    assert.match(page, /<h3 id="log0-h0">Host <span class="unnamed">\(host not named: lines without a host prefix\)<\/span>/);
  });

  it('a drawing is one tab stop; arrow keys move between its boxes', () => {
    const page = render([{ name: 'dgx.log', model: parseNcclLog(dgxLog()), findings: [] }]);
    const svg = /<svg class="topo"[\s\S]*?<\/svg>/.exec(page)![0];
    assert.equal((svg.match(/tabindex="0"/g) ?? []).length, 1);
    assert.equal((svg.match(/tabindex="-1"/g) ?? []).length, 2 + 4 + 8 + 8 + 8);
  });
});

describe('facts of a partial paste', () => {
  it('two ranks of a 64-rank communicator: "2 logged, of communicators up to 64", not "Ranks 2"', () => {
    const model = parseNcclLog([
      'n1:11:11 [0] NCCL INFO comm 0x1 rank 0 nranks 64 cudaDev 0 nvmlDev 0 busId 18000 commId 0xf0 - Init COMPLETE',
      'n1:12:12 [1] NCCL INFO comm 0x2 rank 1 nranks 64 cudaDev 1 nvmlDev 1 busId 2a000 commId 0xf0 - Init COMPLETE',
    ].join('\n'));
    const page = render([{ name: 'partial.log', model, findings: ncclLogFindings(model) }]);
    assert.match(page, /<dt>Ranks<\/dt><dd>2 logged, of communicators up to 64/);
  });
});
