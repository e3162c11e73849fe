/**
 * Network facts (bootstrap interface, net plugins, IB/Socket devices, GPU Direct RDMA, DMA-BUF,
 * missing mlx5 symbols, NVLS support, disabled P2P pairs), aggregated by line text.
 */
import { LineAggregator } from './aggregate';
import type { MessageRecord } from './lines';
import type { NcclAggregatedLine, NcclNetwork, ProcessKey, SourceRef } from './model';

type Item<K extends keyof NcclNetwork> = NcclNetwork[K][number];

export class NetworkState {
  private readonly bootstrap = new LineAggregator<NcclAggregatedLine>();
  private readonly plugins = new LineAggregator<Item<'plugins'>>();
  private readonly netPluginEvents = new LineAggregator<Item<'netPluginEvents'>>();
  private readonly ib = new LineAggregator<Item<'ib'>>();
  private readonly ibNoDevice = new LineAggregator<NcclAggregatedLine>();
  private readonly socket = new LineAggregator<Item<'socket'>>();
  private readonly gdr = new LineAggregator<Item<'gdr'>>();
  private readonly dmaBuf = new LineAggregator<NcclAggregatedLine>();
  private readonly missingSymbols = new LineAggregator<Item<'missingSymbols'>>();
  private readonly nvlsSupport = new LineAggregator<Item<'nvlsSupport'>>();
  private readonly p2pDisabledPairs = new LineAggregator<Item<'p2pDisabledPairs'>>();

  /** Records a network-related message; returns false when the record is not one. */
  add(record: MessageRecord, message: string, process: ProcessKey | undefined, ref: SourceRef): boolean {
    const text = message.trim();
    switch (record.kind) {
      case 'bootstrap':
        this.bootstrap.add(record.text, process, ref, (b) => b);
        return true;
      case 'plugin':
        this.plugins.add(text, process, ref, (b) => ({ ...b, pluginType: record.pluginType, status: record.status, name: record.name }));
        return true;
      case 'netPlugin':
        this.netPluginEvents.add(text, process, ref, (b) => ({ ...b, event: record.event, name: record.name }));
        return true;
      case 'ibDevices':
        this.ib.add(text, process, ref, (b) => ({ ...b, devices: record.devices, relaxedOrdering: record.relaxedOrdering, oob: record.oob }));
        return true;
      case 'ibNoDevice':
        this.ibNoDevice.add(text, process, ref, (b) => b);
        return true;
      case 'socketDevices':
        this.socket.add(text, process, ref, (b) => ({ ...b, devices: record.devices }));
        return true;
      case 'gdr':
        this.gdr.add(text, process, ref, (b) => ({ ...b, net: record.net, enabled: record.enabled, hca: record.hca }));
        return true;
      case 'dmaBuf':
        this.dmaBuf.add(text, process, ref, (b) => b);
        return true;
      case 'missingSymbol':
        // Aggregate by symbol: the library path is the same on every rank of one image.
        this.missingSymbols.add(record.symbol, process, ref, (b) => ({ ...b, text, symbol: record.symbol, library: record.library }));
        return true;
      case 'nvlsSupport':
        this.nvlsSupport.add(text, process, ref, (b) => ({ ...b, available: record.available }));
        return true;
      case 'p2pDisabledPair':
        this.p2pDisabledPairs.add(text, process, ref, (b) => ({ ...b, nvlink: record.nvlink }));
        return true;
      default:
        return false;
    }
  }

  dropped(): number {
    return [this.bootstrap, this.plugins, this.netPluginEvents, this.ib, this.ibNoDevice, this.socket, this.gdr, this.dmaBuf, this.missingSymbols, this.nvlsSupport, this.p2pDisabledPairs]
      .map((a) => a.dropped)
      .reduce((x, y) => x + y, 0);
  }

  toModel(): NcclNetwork {
    return {
      bootstrap: this.bootstrap.values(),
      plugins: this.plugins.values(),
      netPluginEvents: this.netPluginEvents.values(),
      ib: this.ib.values(),
      ibNoDevice: this.ibNoDevice.values(),
      socket: this.socket.values(),
      gdr: this.gdr.values(),
      dmaBuf: this.dmaBuf.values(),
      missingSymbols: this.missingSymbols.values(),
      nvlsSupport: this.nvlsSupport.values(),
      p2pDisabledPairs: this.p2pDisabledPairs.values(),
    };
  }
}
