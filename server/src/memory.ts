/**
 * Gives memory back after large analyses. Analysing a large manifest or script builds tens of
 * megabytes of short-lived structures; V8 keeps the pages it grew into until it decides to
 * shrink, so a server that once opened a big file would sit at its peak. Once the server has been
 * quiet for a moment after such an analysis, one full collection returns them.
 *
 * Needs Node's `--expose-gc` (set by bin/rvn-language-server and the VS Code client); without
 * it this does nothing.
 */

/** Documents smaller than this leave too little behind to be worth a collection. */
export const LARGE_DOCUMENT_CHARS = 64 * 1024;
const QUIET_MS = 400;

/**
 * Returns `afterAnalysis(chars)`: after a large analysis, runs `collect` once the server has been
 * quiet for `quietMs` (a burst of edits collects once, after the burst).
 */
export function idleCollector(collect: (() => void) | undefined, quietMs = QUIET_MS): (chars: number) => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (chars) => {
    if (!collect || chars < LARGE_DOCUMENT_CHARS) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      collect();
    }, quietMs);
    timer.unref?.();
  };
}

const gc = (globalThis as { gc?: () => void }).gc;

/**
 * Call after analysing a document of `chars` characters. Two collections: the second finds the
 * pages the first one freed already swept, and returns them to the system at once.
 */
export const afterAnalysis = idleCollector(gc && (() => (gc(), gc())));
