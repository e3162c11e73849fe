/**
 * One result line per check (`ok - name (ms)` / `not ok - name: why` / `skip - name: why`) and a
 * closing `N passed, N failed` line, the format every e2e runner prints and run.sh adds up.
 */
export class Report {
  passed = 0;
  failed = 0;
  skipped = 0;

  private blocked: string | undefined;

  constructor(private readonly onFailure?: (name: string) => Promise<void>) {}

  /**
   * Runs one check; a failure is recorded (with `onFailure`, e.g. a screenshot) and does not throw.
   * After a failed `critical` check, the remaining checks are reported as failed without running.
   */
  async check<T>(name: string, fn: () => Promise<T>, options: { critical?: boolean } = {}): Promise<T | undefined> {
    if (this.blocked) {
      this.failed++;
      console.log(`not ok - ${name}: not run (${this.blocked})`);
      return undefined;
    }
    const t0 = Date.now();
    try {
      const detail = await fn();
      this.passed++;
      const shown = detail === undefined ? '' : ` # ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`;
      console.log(`ok - ${name} (${Date.now() - t0} ms)${shown.slice(0, 300)}`);
      return detail;
    } catch (e) {
      this.failed++;
      console.log(`not ok - ${name} (${Date.now() - t0} ms): ${firstLine(e)}`);
      await this.onFailure?.(name).catch(() => undefined);
      if (options.critical) this.blocked = `\`${name}\` failed`;
      return undefined;
    }
  }

  skip(name: string, reason: string): void {
    this.skipped++;
    console.log(`skip - ${name}: ${reason}`);
  }

  /** Prints the closing line; returns the process exit code. */
  finish(): number {
    console.log(`${this.passed} passed, ${this.failed} failed${this.skipped ? ` (${this.skipped} skipped)` : ''}`);
    return this.failed === 0 && this.passed > 0 ? 0 : 1;
  }
}

export function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n')[0] ?? text;
}
