/**
 * LSP adapters for NCCL logs: an outline (communicators → ranks, warnings), folding of the
 * topology dumps and tracebacks, and a "Show topology" CodeLens. The model comes from the parser;
 * this file only translates it.
 */
import { FoldingRangeKind, SymbolKind, type CodeLens, type DocumentSymbol, type FoldingRange, type Range } from 'vscode-languageserver-types';
import type { NcclLogModel, SourceRef } from '../ncclLog/model';

const at = (ref: SourceRef | undefined): Range => {
  const line = ref?.line ?? 0;
  return { start: { line, character: ref?.start ?? 0 }, end: { line, character: ref?.end ?? 0 } };
};

export function logSymbols(log: NcclLogModel): DocumentSymbol[] {
  const symbols: DocumentSymbol[] = [];
  for (const comm of log.communicators) {
    const ranks = [...comm.ranks].sort((a, b) => a.rank - b.rank);
    const first = ranks.find((r) => r.initStart)?.initStart ?? ranks[0]?.initComplete;
    const last = ranks.map((r) => r.initComplete ?? r.initStart).filter((r): r is SourceRef => !!r).sort((a, b) => b.line - a.line)[0] ?? first;
    if (!first) continue;
    const range: Range = { start: at(first).start, end: at(last).end };
    symbols.push({
      name: `communicator ${comm.commId ?? comm.id}`,
      detail: `${comm.nRanks} ranks${comm.nNodes ? `, ${comm.nNodes} node(s)` : ''}`,
      kind: SymbolKind.Namespace,
      range,
      selectionRange: at(first),
      children: ranks
        .filter((r) => r.initStart ?? r.initComplete)
        .map((r) => ({
          name: `rank ${r.rank}`,
          detail: `${r.host} pid ${r.pid} · GPU ${r.cudaDev} · ${r.busId}${r.initComplete ? '' : ' · init not complete'}`,
          kind: SymbolKind.Object,
          range: at(r.initStart ?? r.initComplete),
          selectionRange: at(r.initStart ?? r.initComplete),
        })),
    });
  }
  for (const w of log.warnings.slice(0, 200)) {
    symbols.push({ name: `WARN ${w.text.slice(0, 80)}`, kind: SymbolKind.Event, range: at(w.ref), selectionRange: at(w.ref) });
  }
  return symbols.sort((a, b) => a.range.start.line - b.range.start.line);
}

/** Blocks worth folding: NCCL's `=== System` topology dumps and Python tracebacks. */
export function logFolding(text: string): FoldingRange[] {
  const ranges: FoldingRange[] = [];
  const lines = text.split(/\r?\n/);
  let start = -1;
  let kind: 'topology' | 'traceback' | undefined;
  const close = (end: number) => {
    if (start >= 0 && end > start) ranges.push({ startLine: start, endLine: end, kind: FoldingRangeKind.Region });
    start = -1;
    kind = undefined;
  };
  for (let i = 0; i < lines.length && ranges.length < 5000; i++) {
    const line = lines[i];
    if (/=== System : maxBw/.test(line)) {
      close(i - 1);
      start = i;
      kind = 'topology';
    } else if (/^Traceback \(most recent call last\):/.test(line.replace(/^\S*\s*/, '')) || /Traceback \(most recent call last\):$/.test(line)) {
      close(i - 1);
      start = i;
      kind = 'traceback';
    } else if (kind === 'topology' && !/(?:[+=]|CPU\/|NET\/|GPU\/|NIC\/|PCI\/|NVS\/|\(\d+\/)/.test(line)) {
      close(i - 1);
    } else if (kind === 'traceback' && /^\S*(?:Error|Exception)\b/.test(line.replace(/^\[[^\]]*\]:?\s*/, ''))) {
      close(i);
    }
  }
  close(lines.length - 1);
  return ranges;
}

export function logCodeLenses(uri: string): CodeLens[] {
  return [
    {
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      command: { title: 'Show topology', command: 'rvn.showTopology', arguments: [uri] },
    },
  ];
}
