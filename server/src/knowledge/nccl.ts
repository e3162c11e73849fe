/** Typed, indexed access to the NCCL environment variable knowledge. */
import type { NcclKnowledgeData, NcclVar } from './types';
import { lazy, loadKnowledge } from './load';

export const ncclData = lazy(() => loadKnowledge<NcclKnowledgeData>('nccl.json'));

const byName = lazy(() => new Map<string, NcclVar>(ncclData().vars.map((v) => [v.name, v])));

export function lookupNcclVar(name: string): NcclVar | undefined {
  return byName().get(name);
}

export function allNcclNames(): string[] {
  return [...byName().keys()];
}
