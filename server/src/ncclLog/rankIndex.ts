/**
 * "Which ranks does this concern?" for findings: NCCL's prefix names a process and the CUDA device
 * of the printing thread, never a rank, so a line is mapped to the ranks that process holds on
 * that device (the rank in the largest communicator, i.e. the world rank, when it holds several).
 */
import type { NcclLogModel, NcclRank, ProcessKey } from './model';

const MAX_LISTED = 8;

export interface RankSource {
  process: ProcessKey;
  cudaDev?: number;
}

export class RankIndex {
  /** `process|cudaDev` and `process|` -> the rank of the largest communicator. */
  private readonly byDevice = new Map<string, { rank: NcclRank; size: number }>();

  constructor(model: NcclLogModel) {
    for (const comm of model.communicators) {
      if (comm.id === 'unknown' || comm.id === 'overflow') continue;
      for (const rank of comm.ranks) {
        for (const key of [`${rank.process}|${rank.cudaDev}`, `${rank.process}|`]) {
          const known = this.byDevice.get(key);
          if (!known || comm.nRanks > known.size || (comm.nRanks === known.size && rank.rank < known.rank.rank)) this.byDevice.set(key, { rank, size: comm.nRanks });
        }
      }
    }
  }

  rankOf(source: RankSource): NcclRank | undefined {
    return this.byDevice.get(`${source.process}|${source.cudaDev ?? ''}`)?.rank ?? this.byDevice.get(`${source.process}|`)?.rank;
  }

  /** `rank 3 (node01, GPU 3), rank 11 (node02, GPU 3) and 4 more`, or processes when ranks are unknown. */
  describe(sources: RankSource[]): string {
    const ranks = new Map<number, string>();
    const processes: string[] = [];
    for (const s of sources) {
      const rank = this.rankOf(s);
      if (rank) ranks.set(rank.rank, `rank ${rank.rank} (${rank.host}, GPU ${rank.cudaDev})`);
      else {
        const label = `process ${s.process}${s.cudaDev !== undefined ? ` (GPU ${s.cudaDev})` : ''}`;
        if (!processes.includes(label)) processes.push(label);
      }
    }
    const ordered = [...ranks.entries()].sort((a, b) => a[0] - b[0]).map(([, label]) => label);
    return listOf([...ordered, ...processes]);
  }
}

/** `a, b, c and 3 more`. */
export function listOf(items: string[], max = MAX_LISTED): string {
  if (items.length <= 1) return items.join('');
  const shown = items.slice(0, max);
  if (items.length > max) return `${shown.join(', ')} and ${items.length - max} more`;
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

/** `rank 3` / `ranks 0 and 1` / `ranks 0, 1 and 2`. */
export function ranksText(ranks: number[]): string {
  const sorted = [...ranks].sort((a, b) => a - b).map(String);
  return sorted.length === 1 ? `rank ${sorted[0]}` : `ranks ${listOf(sorted, 16)}`;
}
