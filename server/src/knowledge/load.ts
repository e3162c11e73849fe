/**
 * Loads a generated knowledge file on first use. The files are read from disk rather than bundled:
 * the server answers `initialize` before it has parsed half a megabyte of facts, and the CLI and
 * server bundles share one copy.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const PLACES = [
  ['knowledge'], // bundled: dist/server/knowledge/
  ['generated'], // from source: server/src/knowledge/generated/
  ['..', 'server', 'knowledge'], // other bundles under dist/ (benchmarks)
];

export function loadKnowledge<T>(file: string): T {
  for (const place of PLACES) {
    const path = join(__dirname, ...place, file);
    if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as T;
  }
  throw new Error(`knowledge file ${file} is missing (run npm run build)`);
}

/** A value computed once, on first call. */
export function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  let made = false;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value as T;
  };
}
