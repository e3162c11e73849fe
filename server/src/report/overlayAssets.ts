/**
 * Style and script of the ring/tree path overlay (overlaySvg.ts), inlined after pageAssets.ts under
 * the same nonce. The control starts `hidden` and the script reveals it: without scripts the rings
 * and trees are still in the communicator tables. The script only toggles classes, copies an
 * attribute into `textContent` and compares option texts, so no log text is ever parsed as
 * markup. No log text is in here.
 */

export const OVERLAY_CSS = `
:root { --fb-overlay: #d1242f; }
@media (prefers-color-scheme: dark) { :root { --fb-overlay: #ff7b72; } }
:root { --overlay: var(--vscode-charts-red, var(--fb-overlay)); }
.overlay-ctl { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 12px; margin: 6px 0; }
.overlay-ctl[hidden] { display: none; }
.overlay-ctl .note, .overlay-ctl .overlay-desc { flex-basis: 100%; margin: 0; }
.overlay-ctl .overlay-desc:empty { display: none; }
.overlay-ctl select { font: inherit; max-width: min(100%, 720px); color: var(--vscode-dropdown-foreground, var(--fg)); background: var(--vscode-dropdown-background, var(--bg)); border: 1px solid var(--vscode-dropdown-border, var(--border)); border-radius: 4px; padding: 2px 6px; }
.overlay-ctl ul.legend { margin: 0; }
.overlay-ctl:not(.active) ul.legend { display: none; }
svg .overlay { display: none; pointer-events: none; }
svg .overlay.on { display: inline; }
svg.overlay-mode .link { opacity: 0.3; }
svg.overlay-mode .node.on-path rect { stroke: var(--overlay); stroke-width: 3; }
svg .ov-hop path { fill: none; }
svg .ov-hop path.halo { stroke: var(--bg); stroke-width: 7; opacity: 0.85; }
svg .ov-hop path.ov-line { stroke: var(--overlay); stroke-width: 3; }
svg .ov-hop.net path.ov-line { stroke-dasharray: 7 4; }
svg .ov-hop path.ov-head { fill: var(--overlay); stroke: none; }
svg .ov-hop text { fill: var(--overlay); font-size: 11px; font-weight: 700; paint-order: stroke; stroke: var(--bg); stroke-width: 3px; }
`;

export const OVERLAY_SCRIPT = `
(function () {
  'use strict';
  var doc = document;
  function each(list, fn) { Array.prototype.forEach.call(list, fn); }
  function show(ctl) {
    var host = ctl.closest('section.host');
    var svg = host && host.querySelector('svg.topo');
    var pick = ctl.querySelector('select.overlay-pick');
    var who = ctl.querySelector('select.overlay-host');
    var desc = ctl.querySelector('.overlay-desc');
    if (!svg || !pick || !desc) return;
    each(svg.querySelectorAll('.overlay.on'), function (g) { g.classList.remove('on'); });
    each(svg.querySelectorAll('.node.on-path'), function (n) { n.classList.remove('on-path'); });
    var opt = pick.options[pick.selectedIndex];
    var ids = opt && opt.value ? (opt.getAttribute('data-overlays') || '').split(' ') : [];
    var id = ids[who ? who.selectedIndex : 0];
    var g = null;
    each(svg.querySelectorAll('g.overlay'), function (x) { if (x.getAttribute('data-overlay') === id) g = x; });
    svg.classList.toggle('overlay-mode', !!g);
    ctl.classList.toggle('active', !!g);
    if (!opt || !opt.value) { desc.textContent = ''; return; }
    var comm = opt.parentNode && opt.parentNode.label ? opt.parentNode.label + ', ' : '';
    if (!g) { desc.textContent = comm + opt.textContent + ': no rank of this communicator runs on ' + (who ? who.options[who.selectedIndex].textContent : 'this host') + '.'; return; }
    g.classList.add('on');
    (g.getAttribute('data-nodes') || '').split(' ').forEach(function (n) { var el = n && svg.querySelector('#' + n); if (el) el.classList.add('on-path'); });
    var where = who ? ' (ranks of ' + who.options[who.selectedIndex].textContent + ')' : '';
    desc.textContent = comm + opt.textContent + where + '. ' + g.getAttribute('data-desc');
  }
  function ctlOf(t) { return t && t.closest ? t.closest('.overlay-ctl') : null; }
  // In VS Code the page is rebuilt when the log changes or the panel comes back: the picks are kept
  // in the webview state (pageAssets.ts), by communicator, entry and host name, not by position.
  var state = window.rvnViewState;
  function picked(c) {
    var pick = c.querySelector('select.overlay-pick');
    var who = c.querySelector('select.overlay-host');
    var opt = pick && pick.options[pick.selectedIndex];
    if (!opt || !opt.value) return null;
    return { comm: opt.parentNode.label || '', value: opt.value, host: who ? who.options[who.selectedIndex].textContent : '' };
  }
  function save() {
    if (!state) return;
    var all = [];
    each(doc.querySelectorAll('.overlay-ctl'), function (c) { all.push(picked(c)); });
    state.set({ overlays: all });
  }
  function restore(c, saved) {
    var pick = c.querySelector('select.overlay-pick');
    var who = c.querySelector('select.overlay-host');
    if (!saved || !pick) return;
    each(pick.options, function (o, i) { if (o.value === saved.value && (o.parentNode.label || '') === saved.comm) pick.selectedIndex = i; });
    if (who) each(who.options, function (o, i) { if (o.textContent === saved.host) who.selectedIndex = i; });
  }
  doc.addEventListener('change', function (e) { var c = ctlOf(e.target); if (c) { show(c); save(); } });
  doc.addEventListener('keydown', function (e) {
    // Escape on the picker clears the highlight (a closed <select> ignores Escape otherwise).
    if (e.key !== 'Escape' || !e.target.matches || !e.target.matches('select.overlay-pick') || e.target.selectedIndex === 0) return;
    e.target.selectedIndex = 0;
    show(ctlOf(e.target));
    save();
  });
  var saved = state ? state.get().overlays || [] : [];
  each(doc.querySelectorAll('.overlay-ctl'), function (c, i) { c.hidden = false; restore(c, saved[i]); show(c); });
})();
`;
