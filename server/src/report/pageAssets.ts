/**
 * The topology page's stylesheet and script, inlined under the CSP nonce. Colours come from VS Code
 * theme variables with light/dark fallbacks for the standalone file. The script only enhances:
 * expand/collapse-all buttons, highlighting a node's links on focus or hover, arrow keys between
 * nodes, and (inside a VS Code webview) line numbers that reveal the log line. No log text is in here.
 */

export const PAGE_CSS = `
:root {
  color-scheme: light dark;
  --fb-fg: #1f2328; --fb-bg: #ffffff; --fb-muted: #59636e; --fb-border: #d1d9e0; --fb-panel: #f6f8fa;
  --fb-focus: #0969da; --fb-ok: #1a7f37; --fb-warn: #9a6700; --fb-err: #cf222e; --fb-info: #0969da;
  --fb-pci: #0969da; --fb-nvl: #1a7f37; --fb-net: #bc4c00; --fb-sys: #8250df; --fb-c2c: #9a6700;
}
@media (prefers-color-scheme: dark) {
  :root {
    --fb-fg: #e6edf3; --fb-bg: #0d1117; --fb-muted: #9198a1; --fb-border: #3d444d; --fb-panel: #151b23;
    --fb-focus: #4493f8; --fb-ok: #3fb950; --fb-warn: #d29922; --fb-err: #f85149; --fb-info: #4493f8;
    --fb-pci: #4493f8; --fb-nvl: #3fb950; --fb-net: #db6d28; --fb-sys: #ab7df8; --fb-c2c: #d29922;
  }
}
:root {
  --fg: var(--vscode-editor-foreground, var(--fb-fg));
  --bg: var(--vscode-editor-background, var(--fb-bg));
  --muted: var(--vscode-descriptionForeground, var(--fb-muted));
  --border: var(--vscode-panel-border, var(--vscode-widget-border, var(--fb-border)));
  --panel: var(--vscode-editorWidget-background, var(--fb-panel));
  --focus: var(--vscode-focusBorder, var(--fb-focus));
  --ok: var(--vscode-testing-iconPassed, var(--fb-ok));
  --warn: var(--vscode-editorWarning-foreground, var(--fb-warn));
  --err: var(--vscode-errorForeground, var(--fb-err));
  --info: var(--vscode-editorInfo-foreground, var(--fb-info));
  --pci: var(--vscode-charts-blue, var(--fb-pci));
  --nvl: var(--vscode-charts-green, var(--fb-nvl));
  --net: var(--vscode-charts-orange, var(--fb-net));
  --sys: var(--vscode-charts-purple, var(--fb-sys));
  --c2c: var(--vscode-charts-yellow, var(--fb-c2c));
  --font: var(--vscode-font-family, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif);
  --mono: var(--vscode-editor-font-family, ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace);
}
* { box-sizing: border-box; }
body { margin: 0; padding: 0 24px 32px; background: var(--bg); color: var(--fg); font: 14px/1.5 var(--font); }
main, header.page, footer { max-width: 1440px; margin: 0 auto; }
header.page { display: flex; align-items: center; gap: 16px; flex-wrap: wrap; padding: 18px 0 8px; border-bottom: 1px solid var(--border); }
header.page h1 { font-size: 20px; margin: 0; font-weight: 600; }
header.page p { margin: 0; color: var(--muted); }
.toolbar { margin-left: auto; display: flex; gap: 8px; }
.toolbar[hidden] { display: none; }
button { font: inherit; color: var(--vscode-button-secondaryForeground, var(--fg)); background: var(--vscode-button-secondaryBackground, var(--panel)); border: 1px solid var(--border); border-radius: 4px; padding: 3px 10px; cursor: pointer; }
button:hover { background: var(--vscode-button-secondaryHoverBackground, var(--border)); }
:focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }
a { color: var(--vscode-textLink-foreground, var(--focus)); }
nav.logs ul { display: flex; gap: 12px; flex-wrap: wrap; list-style: none; padding: 0; }
section.log { margin-top: 24px; }
section.log > h2 { font-size: 18px; margin: 0 0 6px; font-family: var(--mono); overflow-wrap: anywhere; }
.status { display: inline-block; padding: 2px 10px; border-radius: 12px; font-weight: 600; border: 1px solid currentColor; }
.status-ok { color: var(--ok); } .status-warning { color: var(--warn); } .status-error { color: var(--err); } .status-unknown { color: var(--muted); }
.status-neutral { color: var(--muted); } .status-fallback { color: var(--err); } .status-degraded { color: var(--warn); }
dl.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 8px 16px; margin: 12px 0; }
dl.facts div { background: var(--panel); border: 1px solid var(--border); border-radius: 6px; padding: 6px 10px; min-width: 0; }
dl.facts dt { color: var(--muted); font-size: 12px; }
dl.facts dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
details.sec { border: 1px solid var(--border); border-radius: 8px; margin: 14px 0; background: var(--bg); }
details.sec > summary { cursor: pointer; padding: 8px 14px; background: var(--panel); border-radius: 8px; list-style-position: inside; }
details.sec[open] > summary { border-bottom: 1px solid var(--border); border-radius: 8px 8px 0 0; }
details.sec > summary h3 { display: inline; font-size: 15px; margin: 0; }
details.sec > .body { padding: 8px 14px 14px; }
details.tables > summary { cursor: pointer; color: var(--muted); margin: 6px 0; }
h3 { font-size: 15px; } h4 { font-size: 14px; margin: 16px 0 6px; }
section.host h3 { margin: 10px 0 2px; font-family: var(--mono); overflow-wrap: anywhere; }
.sub { display: block; font-size: 11px; color: var(--muted); font-weight: normal; }
h3 .sub { display: inline; margin-left: 8px; }
.meta, .note { color: var(--muted); margin: 4px 0; overflow-wrap: anywhere; }
code, .path { font-family: var(--mono); font-size: 13px; }
.table-wrap { overflow-x: auto; margin: 8px 0; }
table { border-collapse: collapse; font-size: 13px; }
caption { text-align: left; color: var(--muted); padding: 2px 0 6px; caption-side: top; white-space: nowrap; }
th, td { border: 1px solid var(--border); padding: 4px 8px; text-align: left; vertical-align: top; }
thead th { background: var(--panel); font-weight: 600; }
tbody th { font-weight: 600; background: var(--panel); white-space: nowrap; }
td { overflow-wrap: anywhere; }
table.findings td.msg { min-width: 420px; max-width: 900px; }
table.findings td.rule { white-space: nowrap; font-family: var(--mono); }
.sev { font-weight: 600; white-space: nowrap; }
.sev-error { color: var(--err); } .sev-warning { color: var(--warn); } .sev-info, .sev-hint { color: var(--info); }
table.matrix td, table.matrix th { text-align: center; white-space: nowrap; }
table.matrix tbody th { text-align: left; }
table.matrix caption { white-space: normal; }
section.host h3 .unnamed { font-family: var(--font); font-weight: normal; color: var(--muted); }
table.matrix td.self { color: var(--muted); }
.t { font-family: var(--mono); font-size: 12px; }
td.t { padding: 6px 10px; }
.t.ok { color: var(--ok); }
.t.neutral { color: var(--fg); }
.t.degraded { color: var(--warn); background: color-mix(in srgb, var(--warn) 12%, transparent); font-weight: 600; }
.t.fallback { color: var(--err); background: color-mix(in srgb, var(--err) 12%, transparent); font-weight: 600; }
td.t.degraded, td.t.fallback { outline: 2px dashed currentColor; outline-offset: -4px; }
span.t.fallback, span.t.degraded { padding: 1px 6px; border-radius: 4px; }
table.tuning td { text-align: right; font-variant-numeric: tabular-nums; }
table.tuning td .sub { font-size: 10px; }
table.tuning td.off { color: var(--muted); text-align: center; }
table.tuning td.best { color: var(--ok); font-weight: 700; }
dl.counts { display: flex; gap: 10px; flex-wrap: wrap; margin: 6px 0; }
dl.counts div { border: 1px solid var(--border); border-radius: 6px; padding: 2px 10px; text-align: center; background: var(--panel); }
dl.counts dt { font-size: 11px; color: var(--muted); } dl.counts dd { margin: 0; font-weight: 700; font-size: 16px; }
.nvls { color: var(--ok); font-weight: 600; }
p.host-transports { margin: 6px 0; }
p.host-transports .sep { color: var(--muted); }
ul.legend { list-style: none; padding: 0; margin: 6px 0; display: flex; gap: 14px; flex-wrap: wrap; font-size: 12px; color: var(--muted); }
ul.legend li { display: flex; align-items: center; gap: 4px; }
figure.topo-figure { margin: 8px 0; overflow-x: auto; border: 1px solid var(--border); border-radius: 6px; background: var(--bg); }
svg.topo { display: block; max-width: none; margin: 0 auto; font-family: var(--font); }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 0 24px; align-items: start; }
svg .link path { fill: none; stroke-width: 2; }
svg .link text { font-size: 11px; fill: var(--muted); paint-order: stroke; stroke: var(--bg); stroke-width: 3px; }
svg .link.pci path { stroke: var(--pci); }
svg .link.nvl path { stroke: var(--nvl); stroke-width: 3; }
svg .link.net path { stroke: var(--net); stroke-dasharray: 6 3; }
svg .link.sys path { stroke: var(--sys); stroke-dasharray: 2 3; stroke-width: 2.5; }
svg .link.c2c path { stroke: var(--c2c); }
svg .link.other path { stroke: var(--muted); }
svg .node rect { fill: var(--panel); stroke: var(--border); stroke-width: 1.5; }
svg .node text { fill: var(--fg); font-size: 12px; }
svg .node text.l1 { font-weight: 700; font-size: 13px; }
svg .node text.l2 { fill: var(--muted); font-family: var(--mono); font-size: 11px; }
svg .node.gpu rect { stroke: var(--nvl); stroke-width: 2; fill: color-mix(in srgb, var(--nvl) 10%, var(--bg)); }
svg .node.nvs rect { stroke: var(--nvl); stroke-width: 2; fill: color-mix(in srgb, var(--nvl) 22%, var(--bg)); }
svg .node.cpu rect { stroke: var(--sys); stroke-width: 2; fill: color-mix(in srgb, var(--sys) 10%, var(--bg)); }
svg .node.pci rect { stroke: var(--pci); }
svg .node.nic rect, svg .node.net rect { stroke: var(--net); stroke-width: 2; fill: color-mix(in srgb, var(--net) 10%, var(--bg)); }
svg .node { cursor: default; }
svg .node:focus { outline: none; }
svg .node:focus-visible rect, svg .node.hl rect { stroke: var(--focus); stroke-width: 3; }
svg.focus-mode .link:not(.hl) { opacity: 0.18; }
svg.focus-mode .node:not(.hl):not(:focus) { opacity: 0.45; }
svg .link.hl path { stroke-width: 4; }
svg.swatch { vertical-align: middle; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
button.line-link { padding: 0 6px; font-family: var(--mono); font-size: 12px; }
footer { margin-top: 28px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--border); padding-top: 8px; }
@media print { details.sec > summary { list-style: none; } .toolbar { display: none; } }
`;

export const PAGE_SCRIPT = `
(function () {
  'use strict';
  var doc = document;
  var bar = doc.getElementById('toolbar');
  if (bar) {
    bar.hidden = false;
    bar.addEventListener('click', function (e) {
      var b = e.target.closest('button[data-toggle]');
      if (!b) return;
      var open = b.getAttribute('data-toggle') === 'open';
      doc.querySelectorAll('details').forEach(function (d) { d.open = open; });
    });
  }
  function clear(svg) {
    svg.classList.remove('focus-mode');
    svg.querySelectorAll('.hl').forEach(function (x) { x.classList.remove('hl'); });
  }
  function highlight(node) {
    var svg = node.closest('svg');
    if (!svg) return;
    clear(svg);
    var id = node.getAttribute('data-node');
    svg.classList.add('focus-mode');
    node.classList.add('hl');
    svg.querySelectorAll('.link').forEach(function (l) {
      var a = l.getAttribute('data-a'), b = l.getAttribute('data-b');
      if (a !== id && b !== id) return;
      l.classList.add('hl');
      var other = svg.querySelector('[data-node="' + (a === id ? b : a) + '"]');
      if (other) other.classList.add('hl');
    });
  }
  function nodeOf(t) { return t && t.closest ? t.closest('svg .node') : null; }
  doc.addEventListener('focusin', function (e) {
    var n = nodeOf(e.target);
    if (!n) return;
    // Roving tabindex: the box last focused is the drawing's one tab stop.
    n.closest('svg').querySelectorAll('.node[tabindex="0"]').forEach(function (x) { if (x !== n) x.setAttribute('tabindex', '-1'); });
    n.setAttribute('tabindex', '0');
    highlight(n);
  });
  doc.addEventListener('focusout', function (e) { var n = nodeOf(e.target); if (n && n.closest('svg')) clear(n.closest('svg')); });
  doc.addEventListener('mouseover', function (e) { var n = nodeOf(e.target); if (n) highlight(n); });
  doc.addEventListener('mouseout', function (e) { var n = nodeOf(e.target); if (n && n.closest('svg') && doc.activeElement !== n) clear(n.closest('svg')); });
  doc.addEventListener('keydown', function (e) {
    var n = nodeOf(e.target);
    if (!n || ['ArrowRight', 'ArrowLeft', 'ArrowDown', 'ArrowUp', 'Home', 'End'].indexOf(e.key) < 0) return;
    var all = Array.prototype.slice.call(n.closest('svg').querySelectorAll('.node'));
    var i = all.indexOf(n);
    var next = e.key === 'Home' ? 0 : e.key === 'End' ? all.length - 1 : (e.key === 'ArrowRight' || e.key === 'ArrowDown') ? Math.min(all.length - 1, i + 1) : Math.max(0, i - 1);
    all[next].focus();
    e.preventDefault();
  });
  if (typeof acquireVsCodeApi === 'function') {
    // The API can be acquired once per page: the overlay script reaches its state through this.
    var api = acquireVsCodeApi();
    window.rvnViewState = {
      get: function () { return api.getState() || {}; },
      set: function (patch) { api.setState(Object.assign({}, api.getState() || {}, patch)); }
    };
    doc.querySelectorAll('span[data-line]').forEach(function (el) {
      var b = doc.createElement('button');
      b.type = 'button';
      b.className = 'line-link';
      b.textContent = el.textContent;
      b.setAttribute('data-line', el.getAttribute('data-line'));
      var log = el.closest('[data-log]');
      b.setAttribute('data-log', log ? log.getAttribute('data-log') : '0');
      b.setAttribute('aria-label', 'Reveal line ' + el.textContent + ' in the log');
      el.replaceWith(b);
    });
    doc.addEventListener('click', function (e) {
      var b = e.target.closest('button.line-link');
      if (b) api.postMessage({ type: 'revealLine', log: Number(b.getAttribute('data-log')), line: Number(b.getAttribute('data-line')) - 1 });
    });
  }
})();
`;
