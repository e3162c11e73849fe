/**
 * Ring and tree overlays on the topology drawing: every ring channel of a real H200 ×4 run gets a
 * path over the right GPU boxes, hops to other hosts go through the NET box and say where they go,
 * a drawing that stands for several identical hosts places each host's ranks by bus id, the CSP
 * stays as strict as before, and host names from the log stay escaped inside the overlay too.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ncclLogFindings, parseNcclLog } from '../../server/src/ncclLog/index';
import type { NcclCommunicator } from '../../server/src/ncclLog/model';
import { clip, escapeHtml } from '../../server/src/report/html';
import { OVERLAY_SCRIPT } from '../../server/src/report/overlayAssets';
import { renderTopologyHtml } from '../../server/src/report/topologyPage';
import { repoRoot, sharedDir } from '../helpers';
import { assertPageSafety, NONCE } from './topologyPageSafety';

const CORPUS = join(sharedDir, 'corpus', 'nccl-2.28.9-h200x4');
const hasCorpus = existsSync(join(CORPUS, 'default.log'));
const read = (name: string) => readFileSync(join(CORPUS, name), 'utf8');

function page(text: string, cspSource?: string): { html: string; comm: NcclCommunicator } {
  const model = parseNcclLog(text);
  const html = renderTopologyHtml([{ name: 'x.log', model, findings: ncclLogFindings(model) }], { nonce: NONCE, standalone: !cspSource, ...(cspSource ? { cspSource } : {}) });
  return { html, comm: model.communicators[0] };
}

interface Hop {
  cls: string;
  ranks: [number, number];
  /** `GPU n` labels of the boxes the hop starts / ends on, '' where it leaves or enters the host. */
  from: string;
  to: string;
  label: string;
}

interface Drawing {
  name: string;
  hosts: string[];
  options: Map<string, string[]>;
  overlays: Map<string, { hops: Hop[]; nodes: string[]; desc: string }>;
  nets: string[];
}

/** The drawn hosts of a page, read back from the markup: picker options, host list, overlay groups. */
function drawings(html: string): Drawing[] {
  return html.split('<section class="host" aria-labelledby="').slice(1).map((chunk) => {
    const gpus = new Map([...chunk.matchAll(/<g class="node gpu" id="([^"]+)"[^>]*aria-label="(GPU \d+)/g)].map((m) => [m[1], m[2]]));
    const options = new Map([...chunk.matchAll(/<option value="((?:ring|tree)-\d+)" data-overlays="([^"]*)">/g)].map((m) => [m[1], m[2].split(' ')]));
    const hostSelect = /<select class="overlay-host">(.*?)<\/select>/.exec(chunk)?.[1] ?? '';
    const overlays = new Map(
      chunk.split('<g class="overlay" data-overlay="').slice(1).map((g) => {
        const hops = [...g.matchAll(/<g class="ov-hop ([^"]+)" data-ranks="(\d+) (\d+)" data-from="([^"]*)" data-to="([^"]*)">.*?<text[^>]*>([^<]*)<\/text>/g)].map(
          (m): Hop => ({ cls: m[1], ranks: [Number(m[2]), Number(m[3])], from: gpus.get(m[4]) ?? '', to: gpus.get(m[5]) ?? '', label: m[6] }),
        );
        return [g.slice(0, g.indexOf('"')), { hops, nodes: /data-nodes="([^"]*)"/.exec(g)![1].split(' '), desc: /data-desc="([^"]*)"/.exec(g)![1] }];
      }),
    );
    return {
      name: /^[^"]*"><h3 id="[^"]*">Host ([^<]*)/.exec(chunk)![1].trim(),
      hosts: [...hostSelect.matchAll(/<option>([^<]*)<\/option>/g)].map((m) => m[1]),
      options,
      overlays,
      nets: [...chunk.matchAll(/<g class="node net" id="([^"]+)"/g)].map((m) => m[1]),
    };
  });
}

/** The overlay an option shows for the n-th host of its drawing. */
function overlayOf(d: Drawing, option: string, host = 0) {
  const id = d.options.get(option)?.[host];
  assert.ok(id && id !== '-', `no overlay for ${option} on host ${host} of ${d.name}`);
  return d.overlays.get(id)!;
}

const brief = (hops: Hop[]) => hops.map((h) => `${h.cls}: ${h.ranks.join('>')} ${h.from || '·'} → ${h.to || '·'}`);

describe('ring and tree overlays on real logs', { skip: !hasCorpus && 'corpus not available' }, () => {
  it('default.log (one H200 ×4 host): one overlay per ring channel, over the GPUs in ring order', () => {
    const { html, comm } = page(read('default.log'));
    assertPageSafety(html);
    const [d] = drawings(html);
    const dev = new Map(comm.ranks.map((r) => [r.rank, `GPU ${r.cudaDev}`]));
    assert.equal(comm.rings.length, 24);
    for (const ring of comm.rings) {
      const { hops } = overlayOf(d, `ring-${ring.channel}`);
      const expected = ring.order.map((r, i) => `local: ${r}>${ring.order[(i + 1) % ring.order.length]} ${dev.get(r)} → ${dev.get(ring.order[(i + 1) % ring.order.length])}`);
      assert.deepEqual(brief(hops), expected, `ring channel ${ring.channel}`);
    }
    assert.deepEqual(brief(overlayOf(d, 'ring-0').hops), ['local: 0>1 GPU 0 → GPU 1', 'local: 1>2 GPU 1 → GPU 2', 'local: 2>3 GPU 2 → GPU 3', 'local: 3>0 GPU 3 → GPU 0']);
    // Channels with the same ring share one drawn group instead of repeating it 24 times.
    assert.equal(new Set(comm.rings.map((r) => d.options.get(`ring-${r.channel}`)![0])).size, 1);
    const treeChannels = new Set(comm.trees.map((t) => t.channel));
    assert.equal([...d.options.keys()].filter((k) => k.startsWith('tree-')).length, treeChannels.size, 'one option per tree channel');
    assert.deepEqual(brief(overlayOf(d, 'tree-0').hops), ['local: 0>1 GPU 0 → GPU 1', 'local: 1>2 GPU 1 → GPU 2', 'local: 2>3 GPU 2 → GPU 3']);
    assert.match(overlayOf(d, 'ring-0').desc, /^4 hops on this host: rank 0 \(GPU 0\) → rank 1 \(GPU 1\) over P2P\/CUMEM;/);
  });

  it('two-hosts-socket.log: hops to the other host go through the NET box and name the rank and host there', () => {
    const { html } = page(read('two-hosts-socket.log'));
    assertPageSafety(html);
    const [a, b] = drawings(html);
    assert.deepEqual([a.name, b.name], ['node-a', 'node-b']);
    for (const ch of ['ring-0', 'ring-1']) {
      assert.deepEqual(brief(overlayOf(a, ch).hops), ['local: 0>1 GPU 0 → GPU 1', 'leaves net: 1>2 GPU 1 → ·', 'leaves net: 3>0 · → GPU 0']);
      assert.deepEqual(brief(overlayOf(b, ch).hops), ['leaves net: 1>2 · → GPU 2', 'local: 2>3 GPU 2 → GPU 3', 'leaves net: 3>0 GPU 3 → ·']);
    }
    const ring = overlayOf(a, 'ring-0');
    assert.deepEqual(ring.hops.map((h) => h.label), ['0 → 1', '→ 2 @ node-b', '3 @ node-b →']);
    assert.ok(ring.nodes.includes(a.nets[0]), 'the NET box is on the path');
    assert.match(ring.desc, /rank 1 \(GPU 1\) leaves the host → rank 2 on node-b over NET\/Socket\/0; rank 3 on node-b enters the host → rank 0 \(GPU 0\)/);
    assert.ok(html.includes('through the network (NET); a hop that leaves or enters the host is labelled'), 'the legend says what a dashed hop is');
  });

  it('a log from one host only: the far end of a NET hop is "a host not in this log"', () => {
    const mine = read('two-hosts-socket.log').split('\n').filter((l) => /^vm:(2830|2831):/.test(l));
    const [d] = drawings(page(mine.join('\n')).html);
    const ring = overlayOf(d, 'ring-0');
    assert.deepEqual(brief(ring.hops), ['local: 0>1 GPU 0 → GPU 1', 'leaves net: 1>2 GPU 1 → ·', 'leaves net: 3>0 · → GPU 0']);
    assert.match(ring.desc, /rank 2 on a host not in this log/);
  });

  it('keeps the CSP exactly as strict, with the control in the markup and no inline handler', () => {
    const { html } = page(read('default.log'));
    assert.ok(html.includes(`content="default-src 'none'; style-src 'nonce-${NONCE}'; script-src 'nonce-${NONCE}'; img-src data:; font-src 'none'; base-uri 'none'; form-action 'none'"`));
    const webview = page(read('default.log'), 'vscode-webview://abc').html;
    assert.ok(webview.includes(`content="default-src 'none'; style-src 'nonce-${NONCE}' vscode-webview://abc; script-src 'nonce-${NONCE}'; img-src data: vscode-webview://abc; font-src vscode-webview://abc; base-uri 'none'; form-action 'none'"`));
    assertPageSafety(webview);
    // Script-only, so hidden until the page script reveals it; a real <select> with a label for keyboards.
    assert.match(html, /<div class="overlay-ctl" hidden><label for="log0-h0-ov">Highlight a path<\/label> <select id="log0-h0-ov" class="overlay-pick"><option value="">None<\/option><optgroup label="Communicator 0x9180ee6aa1040789 \(4 ranks\)">/);
    assert.match(html, /<p class="overlay-desc" aria-live="polite"><\/p>/);
    assert.ok(OVERLAY_SCRIPT.includes("addEventListener('change'") && html.includes(OVERLAY_SCRIPT.trim()), 'the overlay script is inside the one nonce script');
    assert.ok(!/\bon(?:change|click|keydown)=/i.test(html));
  });

  it('escapes host names from the log inside options, labels and descriptions', () => {
    const A = '<img src=x onerror=alert(1)>';
    const B = '"><svg/onload=alert(2)>';
    const text = read('two-hosts-socket.log').replace(/(NCCL_HOSTID set by environment to )node-a$/gm, `$1${A}`).replace(/(NCCL_HOSTID set by environment to )node-b$/gm, `$1${B}`);
    const { html } = page(text);
    assertPageSafety(html);
    assert.ok(!html.includes(A) && !html.includes(B) && !/<svg\/onload|<img/i.test(html), 'no payload survives as markup');
    const [a] = drawings(html);
    const ring = overlayOf(a, 'ring-0');
    assert.equal(ring.hops[1].label, `→ 2 @ ${escapeHtml(clip(B, 24))}`);
    assert.ok(ring.desc.includes(`rank 2 on ${escapeHtml(B)} over NET/Socket/0`), 'description names the host, escaped');
  });
});

describe('a drawing that stands for several identical hosts', () => {
  const fixture = join(repoRoot, 'test/fixtures/nccl/vllm-ray-2node-roce.log');

  it('places each host’s ranks on the drawn GPUs by bus id, picked with a host list', () => {
    const { html } = page(readFileSync(fixture, 'utf8'));
    assertPageSafety(html);
    const drawn = drawings(html);
    assert.equal(drawn.length, 1, 'worker-1 shares worker-0’s drawing');
    const [d] = drawn;
    assert.deepEqual(d.hosts, ['worker-0', 'worker-1']);
    assert.match(html, /This drawing stands for 2 hosts with the same devices/);
    assert.deepEqual(brief(overlayOf(d, 'ring-0', 0).hops), ['local: 0>1 GPU 0 → GPU 1', 'leaves net: 1>2 GPU 1 → ·', 'leaves net: 3>0 · → GPU 0']);
    assert.deepEqual(brief(overlayOf(d, 'ring-0', 1).hops), ['leaves net: 1>2 · → GPU 0', 'local: 2>3 GPU 0 → GPU 1', 'leaves net: 3>0 GPU 1 → ·']);
    assert.deepEqual(overlayOf(d, 'ring-0', 1).hops.map((h) => h.label), ['1 @ worker-0 →', '2 → 3', '→ 0 @ worker-0']);
    assert.match(overlayOf(d, 'ring-0', 1).desc, /rank 2 \(GPU 0\) → rank 3 \(GPU 1\) over P2P\/CUMEM\/read/);
  });
});
