// Bundles the three faces of the one engine: the VS Code client, the language server and the CLI.
// Each bundle is a single CommonJS file for Node, so the VSIX ships no node_modules.
import * as esbuild from 'esbuild';
import { cpSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** @type {esbuild.BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  // Minified even in development: parse time is most of the server's cold start.
  minify: true,
  logLevel: 'warning',
  legalComments: 'none',
  // `yaml`'s ES module build: bundled as ESM its functions are called directly, where the CommonJS
  // build would reach every `isScalar`/`new Scalar` through an interop getter (a few % of a large
  // manifest's analysis), and unused parts are dropped.
  alias: { yaml: './node_modules/yaml/browser/index.js' },
};

const builds = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client/extension.js', external: ['vscode'] },
  { entryPoints: ['server/src/server.ts'], outfile: 'dist/server/server.js' },
  { entryPoints: ['server/src/cli.ts'], outfile: 'dist/server/cli.js' },
];

// `--bench` bundles the benchmark too, so it measures the same code that ships.
if (process.argv.includes('--bench')) {
  builds.push({ entryPoints: ['test/bench/bench.ts'], outfile: 'dist/bench/bench.js' });
  builds.push({ entryPoints: ['test/bench/ncclLogBench.ts'], outfile: 'dist/bench/ncclLogBench.js' });
}

// The knowledge base is read from disk at run time (see server/src/knowledge/load.ts).
cpSync('server/src/knowledge/generated', 'dist/server/knowledge', { recursive: true });

if (watch) {
  for (const b of builds) await (await esbuild.context({ ...common, ...b })).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build({ ...common, ...b })));
}
