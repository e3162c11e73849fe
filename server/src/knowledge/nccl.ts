/** Typed, indexed access to the NCCL environment variable knowledge. */
import data from './generated/nccl.json';
import type { NcclKnowledgeData, NcclVar } from './types';

export const ncclData = data as NcclKnowledgeData;

const byName = new Map<string, NcclVar>(ncclData.vars.map((v) => [v.name, v]));

export function lookupNcclVar(name: string): NcclVar | undefined {
  return byName.get(name);
}

/** Variables a user would want offered: core ones first, plugin/contrib ones after. */
export function ncclCompletionVars(): NcclVar[] {
  return ncclData.vars;
}

export function allNcclNames(): string[] {
  return [...byName.keys()];
}
