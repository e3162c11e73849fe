/**
 * Network facts of the JSON model (see model.ts): bootstrap, net plugins, IB/RoCE and Socket
 * devices, GPU Direct RDMA, DMA-BUF, missing rdma-core symbols, NVLS support, disabled P2P pairs.
 */
import type { ProcessKey, SourceRef } from './model';

/** A line kind seen on many processes, kept once: plugin lines, GDR lines, dlvsym lines. */
export interface NcclAggregatedLine {
  text: string;
  count: number;
  processes: ProcessKey[];
  ref: SourceRef;
}

export interface NcclPluginLine extends NcclAggregatedLine {
  /** NET, TUNER, PROFILER, ENV, GIN, RMA */
  pluginType: string;
  status: 'missing' | 'loaded' | 'internal' | 'error' | 'other';
  name?: string;
}

export interface NcclIbDevice {
  index: number;
  name: string;
  port: number;
  /** IB, RoCE, UNSPECIFIED */
  linkLayer: string;
}

export interface NcclNetwork {
  bootstrap: NcclAggregatedLine[];
  plugins: NcclPluginLine[];
  /** `Initialized NET plugin X`, `Failed to initialize NET plugin X`, `Assigned ...`, `Using network X`. */
  netPluginEvents: Array<NcclAggregatedLine & { event: 'initialized' | 'failed' | 'assigned' | 'using' | 'failed-all'; name?: string }>;
  ib: Array<NcclAggregatedLine & { devices: NcclIbDevice[]; relaxedOrdering: boolean; oob?: string }>;
  ibNoDevice: NcclAggregatedLine[];
  socket: Array<NcclAggregatedLine & { devices: Array<{ index: number; ifname: string; address: string }> }>;
  /** `NET/IB : GPU Direct RDMA Enabled for HCA 0 'mlx5_0'` and per GPU/HCA decisions. */
  gdr: Array<NcclAggregatedLine & { net?: string; enabled: boolean; hca?: string }>;
  dmaBuf: NcclAggregatedLine[];
  /** `dlvsym failed on mlx5dv_reg_dmabuf_mr - /lib/.../libmlx5.so: ...` */
  missingSymbols: Array<NcclAggregatedLine & { symbol: string; library: string }>;
  nvlsSupport: Array<NcclAggregatedLine & { available: boolean }>;
  /** `P2P is disabled between connected GPUs a and b` (NVLINK variant is a WARN). */
  p2pDisabledPairs: Array<NcclAggregatedLine & { nvlink: boolean }>;
}
