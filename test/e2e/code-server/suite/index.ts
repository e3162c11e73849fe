/**
 * The extension-host suite. Each *.suite.ts registers its tests on import; they run in this order.
 * ── To extend: add a file next to these and import it below. ──
 *
 * runSuite() is what the code-server harness calls; run() is the @vscode/test-electron contract
 * (extensionTestsPath), which rejects when a test fails.
 */
import { runRegistered, type SuiteResult } from './framework';
import './shell.suite';
import './yaml.suite';
import './log.suite';

export function runSuite(log: (line: string) => void): Promise<SuiteResult> {
  return runRegistered(log);
}

export async function run(): Promise<void> {
  const result = await runRegistered((line) => console.log(line));
  console.log(`${result.passed} passed, ${result.failed} failed`);
  if (result.failed > 0 || result.passed === 0) throw new Error(`${result.failed} extension-host test(s) failed`);
}
