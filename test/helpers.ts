/** Shared test helpers: paths to the repo and ../shared, and a one-call analysis. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { analyzeText } from '../server/src/engine';
import type { AnalysisSettings } from '../server/src/analysis/context';
import type { Finding } from '../server/src/protocol/findings';

/** The repo root: the nearest folder up from here whose package.json is ours (works bundled too). */
function findRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'runai-vllm-nccl') return dir;
  }
  return resolve(from, '..');
}

export const repoRoot = findRoot(__dirname);
/** ../shared beside the clone (CI lays a copy there). */
export const sharedDir = resolve(repoRoot, '..', 'shared');
export const hasShared = existsSync(join(sharedDir, 'reference'));

export function check(text: string, settings: AnalysisSettings = {}, kind: 'shell' | 'yaml' = 'shell'): Finding[] {
  return analyzeText(text, kind, settings).findings;
}

export function checkYaml(text: string, settings: AnalysisSettings = {}): Finding[] {
  return check(text, settings, 'yaml');
}

/**
 * Only the single-flag checks (the issue-2 tests): the cross-flag `deploy/` rules are switched
 * off so that a test about one flag does not also see, say, a missing --max-model-len.
 */
export function checkFlags(text: string, settings: AnalysisSettings = {}, kind: 'shell' | 'yaml' = 'shell'): Finding[] {
  return check(text, settings, kind).filter((f) => !f.rule.startsWith('deploy/'));
}

/** Findings as `line:col rule` strings (1-based), compact for assertions. */
export function brief(findings: Finding[]): string[] {
  return findings.map((f) => `${f.range.start.line + 1}:${f.range.start.character + 1} ${f.rule}`);
}

/** The text a finding's range covers. */
export function covered(text: string, f: Finding): string {
  const lines = text.split('\n');
  if (f.range.start.line === f.range.end.line) return lines[f.range.start.line].slice(f.range.start.character, f.range.end.character);
  return [lines[f.range.start.line].slice(f.range.start.character), ...lines.slice(f.range.start.line + 1, f.range.end.line), lines[f.range.end.line].slice(0, f.range.end.character)].join('\n');
}
