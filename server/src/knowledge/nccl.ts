/** Typed, indexed access to the NCCL environment variable knowledge. */
import type { NcclKnowledgeData, NcclVar } from './types';
import { lazy, loadKnowledge } from './load';

/**
 * Who reads an `NCCL_*` name that core NCCL does not: a net or tuner plugin (GPUDirect-TCPX/TCPXO,
 * Google's tuner), a setup script, nccl-tests or PyTorch. From scripts/facts/nccl-third-party-vars.json.
 */
export interface NcclThirdPartyReader {
  reader: string;
  what: 'net plugin' | 'tuner plugin' | 'setup script' | 'tool' | 'framework';
  source: string;
  prefixes?: string[];
  names?: string[];
  /** The reader's current spelling, where the NCCL_ one is its deprecated alias. */
  renamedTo?: Record<string, string>;
}

export const ncclData = lazy(() => loadKnowledge<NcclKnowledgeData & { thirdParty?: NcclThirdPartyReader[] }>('nccl.json'));

const byName = lazy(() => new Map<string, NcclVar>(ncclData().vars.map((v) => [v.name, v])));

export function lookupNcclVar(name: string): NcclVar | undefined {
  return byName().get(name);
}

export function allNcclNames(): string[] {
  return [...byName().keys()];
}

/** The plugin, tool or framework that reads an `NCCL_*` name core NCCL does not, if one is known. */
export function lookupNcclThirdParty(name: string): NcclThirdPartyReader | undefined {
  const readers = ncclData().thirdParty ?? [];
  return readers.find((r) => r.names?.includes(name)) ?? readers.find((r) => r.prefixes?.some((p) => name.startsWith(p) && name.length > p.length));
}
