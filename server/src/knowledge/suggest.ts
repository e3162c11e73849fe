/** "Did you mean" suggestions: the closest known name by edit distance, if close enough. */

export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      // A swap of two neighbours counts as one edit (a common typo).
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) cur[j] = Math.min(cur[j], prev[j - 1]);
      rowMin = Math.min(rowMin, cur[j]);
    }
    if (rowMin > limit) return limit + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

/**
 * The closest candidate within a distance that grows with the name's length, or undefined. A
 * candidate that the typed text begins (`bfloat` → `bfloat16`) counts as one edit away; ties go to
 * such prefix matches, then to the shorter name.
 */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(1, Math.min(4, Math.floor(name.length / 4)));
  const lower = name.toLowerCase();
  let best: { name: string; distance: number; prefix: boolean } | undefined;
  for (const c of candidates) {
    const cl = c.toLowerCase();
    const prefix = lower.length >= 3 && cl.startsWith(lower);
    const distance = prefix ? Math.min(1, editDistance(lower, cl, limit)) : editDistance(lower, cl, limit);
    if (distance > limit) continue;
    const better =
      !best ||
      distance < best.distance ||
      (distance === best.distance && prefix && !best.prefix) ||
      (distance === best.distance && prefix === best.prefix && c.length < best.name.length);
    if (better) best = { name: c, distance, prefix };
  }
  return best?.name;
}
