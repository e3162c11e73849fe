/** Typed, indexed access to the `vllm serve` flag knowledge. Built once, on first use. */
import type { RemovedVllmFlag, VllmDeprecation, VllmFlag, VllmKnowledgeData } from './types';
import { parseVersion, type Version } from './vllmVersions';
import { lazy, loadKnowledge } from './load';

export const vllmData = lazy(() => loadKnowledge<VllmKnowledgeData>('vllm.json'));

export interface FlagLookup {
  flag: VllmFlag;
  /** The spelling was the `--no-x` form of a boolean flag. */
  negated: boolean;
}

let index: Map<string, FlagLookup> | undefined;
let removedIndex: Map<string, RemovedVllmFlag> | undefined;

function build(): Map<string, FlagLookup> {
  const map = new Map<string, FlagLookup>();
  for (const flag of vllmData().flags) {
    map.set(flag.name, { flag, negated: false });
    for (const a of flag.aliases) map.set(a, { flag, negated: false });
    if (flag.negated) map.set(flag.negated, { flag, negated: true });
  }
  return map;
}

/** Looks a spelling up exactly (after vLLM's own `_` → `-` rewrite of long options). */
export function lookupVllmFlag(spelling: string): FlagLookup | undefined {
  index ??= build();
  return index.get(normaliseVllmOption(spelling));
}

/** vLLM rewrites underscores to dashes in long options, before any `.` (JSON key) part. */
export function normaliseVllmOption(spelling: string): string {
  if (!spelling.startsWith('--')) return spelling;
  const dot = spelling.indexOf('.');
  const head = dot < 0 ? spelling : spelling.slice(0, dot);
  return head.replace(/_/g, '-') + (dot < 0 ? '' : spelling.slice(dot));
}

export function removedVllmFlag(spelling: string): RemovedVllmFlag | undefined {
  removedIndex ??= new Map(vllmData().removed.map((r) => [r.name, r]));
  return removedIndex.get(normaliseVllmOption(spelling));
}

export function vllmDeprecation(flagName: string): VllmDeprecation | undefined {
  return vllmData().deprecated.find((d) => d.flag === flagName);
}

/** Every long option spelling, for completion and did-you-mean. */
export function allVllmSpellings(): string[] {
  index ??= build();
  return [...index.keys()];
}

/** Long options that start with `prefix`: what argparse's abbreviation matching would consider. */
export function vllmFlagsWithPrefix(prefix: string): VllmFlag[] {
  index ??= build();
  const seen = new Set<VllmFlag>();
  for (const [spelling, { flag }] of index) {
    if (spelling.startsWith('--') && spelling.startsWith(prefix)) seen.add(flag);
  }
  return [...seen];
}

export const newestKnownVllm = lazy((): Version => parseVersion(vllmData().newestKnown)!);
