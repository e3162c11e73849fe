/**
 * Host topology as NCCL prints it in the `=== System : maxBw ... ===` dump and the path matrix
 * (nccl-log-formats.md section 7), merged per host. Part of the JSON model (see model.ts).
 */
import type { ProcessKey, SourceRef } from './model';

export type TopoLinkType = 'LOC' | 'NVL' | 'C2C' | 'PCI' | 'SYS' | 'NET' | string;

export interface NcclTopoNode {
  /** `TYPE/id` as printed, e.g. `GPU/0-60`, `NVS/0-0`, `GPU/18000` (<= 2.20). */
  id: string;
  type: string;
  /** Normalised local id (lowercase hex, no leading zeros): the PCI bus id for GPU/PCI/NIC. */
  localId: string;
  systemId?: string;
  /** GPU: rank in the communicator whose topology this is. */
  rank?: number;
  /** The parenthesised details as printed (CPU arch/vendor/model, PCI ids, NET dev/guid/port/bw). */
  detail?: string;
  /** NET nodes: bandwidth in GB/s from the details. */
  bw?: number;
  ref: SourceRef;
}

export interface NcclTopoLink {
  from: string;
  to: string;
  type: TopoLinkType;
  /** GB/s */
  bw: number;
  ref: SourceRef;
}

export interface NcclPath {
  from: string;
  to: string;
  hops: number;
  bw: number;
  /** LOC NVL NVB C2C PIX PXB P2C PXN PHB SYS NET DIS */
  type: string;
  ref: SourceRef;
}

/** One host's topology: the `=== System : maxBw ... ===` tree(s) merged over its processes. */
export interface NcclTopology {
  maxBw: number;
  totalBw: number;
  nodes: NcclTopoNode[];
  links: NcclTopoLink[];
  paths: NcclPath[];
  ref: SourceRef;
}

export interface NcclHost {
  name: string;
  hostnames: string[];
  processes: ProcessKey[];
  topology?: NcclTopology;
}
