/**
 * The bus-bandwidth chart: renders the corpus runs overlaid (NVLink, P2P disabled, socket only),
 * is well-formed and accessible, escapes hostile labels, and carries no script or event handler.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { bandwidthSeries, parseNcclTests } from '../../server/src/ncclTests/index';
import { BANDWIDTH_CHART_CSS, renderBandwidthChartSvg, type BandwidthSeries } from '../../server/src/report/bandwidthChart';
import { repoRoot, sharedDir } from '../helpers';

const CORPUS = join(sharedDir, 'corpus', 'nccl-tests-2.28.9-h200x2');

/** Element names in order of opening/closing must balance (a small well-formedness check). */
function assertWellFormed(svg: string): void {
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<>]*")*)\s*(\/?)>/g;
  let m: RegExpExecArray | null;
  let last = 0;
  while ((m = tag.exec(svg))) {
    assert.ok(!/[<>]/.test(svg.slice(last, m.index)), `stray markup before ${m[0].slice(0, 40)}`);
    last = tag.lastIndex;
    if (m[4]) continue;
    if (m[1]) assert.equal(stack.pop(), m[2], `closing ${m[2]}`);
    else stack.push(m[2]);
  }
  assert.ok(!/[<>]/.test(svg.slice(last)));
  assert.deepEqual(stack, []);
}

function assertInert(svg: string): void {
  assert.ok(!/<script/i.test(svg), 'no script element');
  for (const m of svg.matchAll(/<[A-Za-z][^>]*>/g)) {
    for (const a of m[0].matchAll(/\s([\w:-]+)="[^"]*"/g)) assert.ok(!/^on/i.test(a[1]), `no event handler attribute: ${a[1]}`);
  }
  assert.ok(!/(?:xlink:)?href\s*=|javascript:|<foreignObject|<iframe|<image|url\(/i.test(svg), 'no links or external resources');
}

describe('bandwidth chart', () => {
  it('renders the corpus runs overlaid: one line per file and placement, log-scale size axis, legend', { skip: !existsSync(CORPUS) && 'corpus not available' }, () => {
    const files = ['all_reduce_perf.txt', 'all_reduce_perf.p2p-disabled.txt', 'all_reduce_perf.socket.txt'];
    const series = files.flatMap((f) => bandwidthSeries(parseNcclTests(readFileSync(join(CORPUS, f), 'utf8')).runs[0], f.replace(/\.txt$/, '')));
    assert.equal(series.length, 6);
    const svg = renderBandwidthChartSvg(series, { title: 'all_reduce_perf on 2 x H200: NVLink, P2P off, sockets' });
    assertWellFormed(svg);
    assertInert(svg);
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" class="rvn-bw"/);
    assert.match(svg, /role="img" aria-label="all_reduce_perf on 2 x H200: NVLink, P2P off, sockets"/);
    assert.match(svg, /<title id="rvn-bw-title">all_reduce_perf on 2 x H200: NVLink, P2P off, sockets<\/title>/);
    assert.match(svg, /<desc id="rvn-bw-desc">6 series .*Highest: 325\.62 GB\/s at 1 GiB \(all_reduce_perf in-place\)\.<\/desc>/);
    assert.equal((svg.match(/<path class="line /g) ?? []).length, 6);
    assert.equal((svg.match(/stroke-dasharray="6 4"/g) ?? []).length, 6, 'in-place lines and their legend swatches are dashed');
    assert.equal((svg.match(/<circle /g) ?? []).length, 2 * (28 + 13 + 12));
    for (const label of ['32 B', '1 KiB', '1 MiB', '1 GiB', 'Message size (bytes, log scale)', 'Bus bandwidth (GB/s)', 'all_reduce_perf.socket in-place']) assert.ok(svg.includes(`>${label}<`), label);
    // Both placements of one file share a colour class.
    assert.match(svg, /<path class="line s0"[^>]*\/>.*<path class="line s0"/);
    assert.match(svg, /<path class="line s2"/);
    // x is logarithmic: 8 B sits at the left edge, 1 GiB at the right edge of the plot.
    assert.match(svg, /<circle class="s0" cx="68" /);
    assert.match(svg, /<circle class="s0" cx="700" cy="[\d.]+" r="2.5" fill="#4e79a7" stroke="none"><title>all_reduce_perf out-of-place: 1 GiB, 322.75 GB\/s<\/title>/);
  });

  it('escapes hostile labels and titles everywhere', () => {
    const evil = '"><script>alert(1)</script><g onload="x" \' & </svg>';
    const svg = renderBandwidthChartSvg([{ label: evil, points: [{ bytes: 1024, busbw: 1 }, { bytes: 2048, busbw: 2 }] }], { title: evil, idPrefix: '"><x' });
    assertWellFormed(svg);
    assertInert(svg);
    assert.ok(svg.includes('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;g onload=&quot;x&quot; &#39; &amp; &lt;/svg&gt;'));
    assert.ok(svg.includes('id="x-title"'), 'the id prefix keeps only safe characters');
  });

  it('no data, zero-byte and non-finite points, empty series', () => {
    const empty = renderBandwidthChartSvg([]);
    assertWellFormed(empty);
    assert.match(empty, />No data</);
    const odd: BandwidthSeries[] = [
      { label: 'zero and junk', points: [{ bytes: 0, busbw: 0 }, { bytes: NaN, busbw: 1 }, { bytes: 8, busbw: Infinity }, { bytes: 64, busbw: -1 }, { bytes: 128, busbw: 0.5 }] },
      { label: 'nothing', points: [] },
    ];
    const svg = renderBandwidthChartSvg(odd);
    assertWellFormed(svg);
    assert.equal((svg.match(/<circle /g) ?? []).length, 1);
    assert.ok(svg.includes('nothing (no data)'));
    assert.ok(!/NaN|Infinity/.test(svg));
  });

  it('a style nonce embeds the theme CSS; a bad nonce is refused', () => {
    const svg = renderBandwidthChartSvg([{ label: 'a', points: [{ bytes: 8, busbw: 1 }] }], { styleNonce: 'abcDEF123456' });
    assert.ok(svg.includes('<style nonce="abcDEF123456">'));
    assert.ok(svg.includes('var(--vscode-charts-blue, #4e79a7)'));
    assertWellFormed(svg);
    assert.throws(() => renderBandwidthChartSvg([], { styleNonce: '"><script>' }), /nonce/);
  });

  it('the stylesheet uses CSS variables with fallbacks and cannot close a style element', () => {
    assert.ok(!/<\/style|<!--/i.test(BANDWIDTH_CHART_CSS));
    for (const rule of BANDWIDTH_CHART_CSS.split('\n').filter((r) => r.includes('var('))) assert.match(rule, /var\(--[\w-]+, /);
  });

  it('many series and points are capped', () => {
    const series = Array.from({ length: 100 }, (_, i) => ({ label: `s${i}`, points: Array.from({ length: 5000 }, (_, k) => ({ bytes: 2 ** (k % 40), busbw: k })) }));
    const svg = renderBandwidthChartSvg(series);
    assert.equal((svg.match(/<path class="line /g) ?? []).length, 32);
    assert.ok(svg.length < 5_000_000);
  });

  it('the fixtures render too (multi-run file, old format)', () => {
    const m = parseNcclTests(readFileSync(join(repoRoot, 'test/fixtures/nccl-tests/srun-three-runs.txt'), 'utf8'));
    const svg = renderBandwidthChartSvg(m.runs.flatMap((r) => bandwidthSeries(r)));
    assertWellFormed(svg);
    assert.ok(svg.includes('>run 3 out-of-place<'));
  });
});
