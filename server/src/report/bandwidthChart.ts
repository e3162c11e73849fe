/**
 * Bus bandwidth against message size as a self-contained SVG line chart (log-scale x axis, one
 * line per series, in-place series dashed), for the webview and the standalone HTML report.
 *
 * Safe to embed anywhere: no script, no event handler attributes, no links or external resources;
 * every label is escaped (series labels come from file names and log text). Colours work twice:
 * presentation attributes give a readable chart on their own (`currentColor` for text and axes,
 * a fixed palette for the lines), and BANDWIDTH_CHART_CSS, when the page includes it (under its
 * CSP nonce), overrides them with CSS variables that follow the VS Code theme.
 */
import { clip, html, SafeHtml } from './html';

export interface BandwidthPoint {
  /** Message size in bytes (points at 0 bytes cannot sit on a log axis and are left out). */
  bytes: number;
  /** Bus bandwidth in GB/s. */
  busbw: number;
}

export interface BandwidthSeries {
  label: string;
  points: BandwidthPoint[];
  /** Draw the line dashed (used for in-place results). */
  dashed?: boolean;
  /** Series with the same group share a colour (out-of-place solid, in-place dashed). */
  group?: string;
}

export interface BandwidthChartOptions {
  /** Title shown above the plot and read by screen readers. */
  title?: string;
  /** Prefix for element ids, unique on the page ([A-Za-z0-9_-], others are dropped). */
  idPrefix?: string;
  /** Width of the drawing in user units (default 720). */
  width?: number;
  /** Embed BANDWIDTH_CHART_CSS in a `<style nonce>` inside the SVG (for pages that do not include it). */
  styleNonce?: string;
}

const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#59a14f', '#b07aa1', '#76b7b2', '#edc948', '#9c755f'];
const THEME = ['blue', 'orange', 'red', 'green', 'purple', 'blue', 'yellow', 'orange'];
const MAX_SERIES = 32;
const MAX_POINTS = 4096;
const PLOT_H = 300;
const M = { left: 68, right: 20, top: 40, bottom: 52 };
const LEGEND_ROW = 18;

/** The chart's stylesheet: theme colours through CSS variables, each with a fallback. */
export const BANDWIDTH_CHART_CSS = [
  'svg.rvn-bw { font-family: var(--vscode-font-family, system-ui, sans-serif); color: var(--vscode-editor-foreground, currentColor); }',
  'svg.rvn-bw text { fill: var(--vscode-editor-foreground, currentColor); }',
  'svg.rvn-bw .grid line { stroke: var(--vscode-editorWidget-border, currentColor); stroke-opacity: 0.25; }',
  'svg.rvn-bw .axis line, svg.rvn-bw .axis path { stroke: var(--vscode-descriptionForeground, currentColor); }',
  'svg.rvn-bw .muted { fill: var(--vscode-descriptionForeground, currentColor); }',
  ...PALETTE.map((c, i) => `svg.rvn-bw .s${i} { stroke: var(--rvn-chart-${i + 1}, var(--vscode-charts-${THEME[i]}, ${c})); fill: var(--rvn-chart-${i + 1}, var(--vscode-charts-${THEME[i]}, ${c})); }`),
  'svg.rvn-bw path.line { fill: none; }',
].join('\n');

const round = (n: number) => Math.round(n * 10) / 10;

/** `8 B`, `64 KiB`, `1 GiB`. */
function sizeLabel(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${Number.isInteger(v) ? v : Math.round(v * 10) / 10} ${units[u]}`;
}

function bwLabel(n: number): string {
  return String(Math.round(n * 100) / 100);
}

function niceStep(span: number): number {
  if (!(span > 0)) return 1;
  const raw = span / 5;
  const pow = Math.pow(10, Math.floor(Math.log10(raw)));
  const f = raw / pow;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * pow;
}

function cleanSeries(series: readonly BandwidthSeries[]): BandwidthSeries[] {
  return series.slice(0, MAX_SERIES).map((s) => ({
    label: String(s.label ?? ''),
    dashed: !!s.dashed,
    group: s.group === undefined ? undefined : String(s.group),
    points: (s.points ?? [])
      .filter((p) => Number.isFinite(p.bytes) && Number.isFinite(p.busbw) && p.bytes > 0 && p.busbw >= 0)
      .slice(0, MAX_POINTS)
      .sort((a, b) => a.bytes - b.bytes),
  }));
}

export function renderBandwidthChartSvg(series: readonly BandwidthSeries[], options: BandwidthChartOptions = {}): string {
  const id = (options.idPrefix ?? 'rvn-bw').replace(/[^A-Za-z0-9_-]/g, '').slice(0, 64) || 'rvn-bw';
  if (options.styleNonce !== undefined && !/^[A-Za-z0-9+/=_-]{8,256}$/.test(options.styleNonce)) {
    throw new Error('renderBandwidthChartSvg: the style nonce must be 8-256 base64 characters');
  }
  const title = options.title ?? 'Bus bandwidth by message size';
  const width = Math.min(4000, Math.max(360, Math.round(options.width ?? 720)));
  const data = cleanSeries(series);
  const drawn = data.filter((s) => s.points.length > 0);
  const all = drawn.flatMap((s) => s.points);
  const legendH = data.length * LEGEND_ROW + 8;
  const height = M.top + PLOT_H + M.bottom + legendH;
  const plotW = width - M.left - M.right;

  // x: powers of two around the data; y: 0 to a round number above the peak.
  const minBytes = all.reduce((m, p) => Math.min(m, p.bytes), Infinity);
  const maxBytes = all.reduce((m, p) => Math.max(m, p.bytes), 0);
  const lo = all.length ? Math.floor(Math.log2(minBytes)) : 0;
  let hi = all.length ? Math.ceil(Math.log2(maxBytes)) : 30;
  if (hi <= lo) hi = lo + 1;
  const peak = all.reduce((m, p) => Math.max(m, p.busbw), 0);
  const yStep = niceStep(peak > 0 ? peak : 1);
  const yMax = Math.max(yStep, Math.ceil((peak > 0 ? peak : 1) / yStep) * yStep);
  const x = (bytes: number) => M.left + ((Math.log2(bytes) - lo) / (hi - lo)) * plotW;
  const y = (bw: number) => M.top + PLOT_H - (bw / yMax) * PLOT_H;

  const span = hi - lo;
  const every = [1, 2, 5, 10, 20].find((k) => span / k <= 10) ?? 20;
  const gridLines: SafeHtml[] = [];
  const tickLabels: SafeHtml[] = [];
  for (let e = Math.ceil(lo / every) * every; e <= hi; e += every) {
    const px = round(x(Math.pow(2, e)));
    gridLines.push(html`<line x1="${px}" y1="${M.top}" x2="${px}" y2="${M.top + PLOT_H}"/>`);
    tickLabels.push(html`<text x="${px}" y="${M.top + PLOT_H + 18}" text-anchor="middle" font-size="11">${sizeLabel(Math.pow(2, e))}</text>`);
  }
  for (let k = 0; k * yStep <= yMax + yStep / 2; k++) {
    const v = k * yStep;
    const py = round(y(v));
    gridLines.push(html`<line x1="${M.left}" y1="${py}" x2="${M.left + plotW}" y2="${py}"/>`);
    tickLabels.push(html`<text x="${M.left - 8}" y="${py + 4}" text-anchor="end" font-size="11">${bwLabel(v)}</text>`);
  }

  const groups: string[] = [];
  const colorOf = data.map((s, i) => {
    const key = s.group ?? `\u0000${i}`;
    if (!groups.includes(key)) groups.push(key);
    return groups.indexOf(key) % PALETTE.length;
  });
  const lines = data.map((s, i) => {
    if (s.points.length === 0) return '';
    const cls = `s${colorOf[i]}`;
    const color = PALETTE[colorOf[i]];
    const d = s.points.map((p, k) => `${k === 0 ? 'M' : 'L'}${round(x(p.bytes))} ${round(y(p.busbw))}`).join(' ');
    const dash = s.dashed ? '6 4' : null;
    const marks = s.points.length <= 256
      ? s.points.map((p) => html`<circle class="${cls}" cx="${round(x(p.bytes))}" cy="${round(y(p.busbw))}" r="2.5" fill="${color}" stroke="none"><title>${`${s.label}: ${sizeLabel(p.bytes)}, ${bwLabel(p.busbw)} GB/s`}</title></circle>`)
      : [];
    return html`<g class="series"><path class="line ${cls}" d="${d}" fill="none" stroke="${color}" stroke-width="2"${dash ? html` stroke-dasharray="${dash}"` : ''}/>${marks}</g>`;
  });

  const legend = data.map((s, i) => {
    const cls = `s${colorOf[i]}`;
    const ly = M.top + PLOT_H + M.bottom + i * LEGEND_ROW + 4;
    const empty = s.points.length === 0 ? ' (no data)' : '';
    return html`<g class="legend-item"><title>${s.label}${empty}</title><line class="${cls}" x1="${M.left}" y1="${ly + 6}" x2="${M.left + 28}" y2="${ly + 6}" stroke="${PALETTE[colorOf[i]]}" stroke-width="2"${s.dashed ? html` stroke-dasharray="6 4"` : ''}/><text x="${M.left + 36}" y="${ly + 10}" font-size="12">${clip(s.label, 90)}${empty}</text></g>`;
  });

  const best = drawn.flatMap((s) => s.points.map((p) => ({ s, p }))).reduce<{ s: BandwidthSeries; p: BandwidthPoint } | undefined>((b, c) => (!b || c.p.busbw > b.p.busbw ? c : b), undefined);
  const description = best
    ? `${data.length} series of bus bandwidth (GB/s) against message size (bytes, log scale). Highest: ${bwLabel(best.p.busbw)} GB/s at ${sizeLabel(best.p.bytes)} (${best.s.label}).`
    : 'No measurements to draw.';
  const noData = all.length === 0 ? html`<text x="${M.left + plotW / 2}" y="${M.top + PLOT_H / 2}" text-anchor="middle" font-size="14" class="muted">No data</text>` : '';
  const style = options.styleNonce ? html`<style nonce="${options.styleNonce}">${new SafeHtml(BANDWIDTH_CHART_CSS)}</style>` : '';

  return html`<svg xmlns="http://www.w3.org/2000/svg" class="rvn-bw" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${clip(title, 200)}" aria-labelledby="${id}-title" aria-describedby="${id}-desc" font-family="system-ui, sans-serif" fill="currentColor">${style}<title id="${id}-title">${title}</title><desc id="${id}-desc">${description}</desc><text x="${M.left}" y="22" font-size="14" font-weight="700">${clip(title, 120)}</text><g class="grid" stroke="currentColor" stroke-opacity="0.2">${gridLines}</g><g class="ticks">${tickLabels}</g><g class="axis" stroke="currentColor" fill="none"><path d="M${M.left} ${M.top}V${M.top + PLOT_H}H${M.left + plotW}"/></g><text x="${M.left + plotW / 2}" y="${M.top + PLOT_H + 40}" text-anchor="middle" font-size="12">Message size (bytes, log scale)</text><text transform="translate(16 ${M.top + PLOT_H / 2}) rotate(-90)" text-anchor="middle" font-size="12">Bus bandwidth (GB/s)</text>${noData}<g class="plot">${lines}</g><g class="legend">${legend}</g></svg>`.value;
}
