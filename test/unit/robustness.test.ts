/**
 * Bad input never crashes or hangs the engine: seeded random scripts built from shell fragments
 * (unbalanced quotes, half-typed flags, junk bytes, CRLF, BOM, NUL), analysed, completed and hovered
 * at many offsets. Bounded in count and time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../server/src/engine';
import { completeShell } from '../../server/src/features/completion';
import { hoverShell } from '../../server/src/features/hover';
import { rng } from '../bench/workloads';

const FRAGMENTS = [
  'runai ', 'inference ', 'distributed ', 'submit ', 'm ', '-- ', 'vllm ', 'serve ', '/m ', '--tensor-parallel-size ', '2 ', '-tp', '=', '--',
  '-e ', 'NCCL_DEBUG', '=INFO', 'NCCL_DEBUG_SUBSYS=INIT,', '--serving-port ', 'container=8000,', 'authorization-type=', '--existing-pvc ',
  '"', "'", '$(', ')', '${', '}', '`', '\\', '\\\n', '\n', '\r\n', ';', '&&', '|', '<<EOF\n', 'EOF\n', '#', ' # rvn-disable ', 'export ', '\u0000',
  '\ufeff', '\uffff', 'é', '-O', '3', '--max-model-len ', '32k ', '--compilation-config.', 'mode ', '{"a":', '(', 'x=(', 'docker run -e ', 'mpirun -x ',
  'python -m vllm.entrypoints.openai.api_server ', '--model ', '--no-', 'sh -c ', '--command ', '--arguments ', '-g', '--preemptibility ',
];

test('random scripts: analysis, completion and hover never throw and stay fast', () => {
  // ROUNDS=5000 SEED=n npm test runs a longer fuzz locally; CI keeps the default.
  const random = rng(Number(process.env.SEED ?? 7));
  for (let round = 0; round < Number(process.env.ROUNDS ?? 400); round++) {
    let text = '';
    const parts = 1 + Math.floor(random() * 60);
    for (let i = 0; i < parts; i++) text += FRAGMENTS[Math.floor(random() * FRAGMENTS.length)];
    const started = Date.now();
    const result = analyzeText(text, 'shell');
    if (result.shell) {
      for (let k = 0; k < 8; k++) {
        const offset = Math.floor(random() * (text.length + 1));
        completeShell(result.shell, offset);
        hoverShell(result.shell, offset);
      }
    }
    assert.ok(Date.now() - started < 1000, `round ${round} took too long: ${JSON.stringify(text)}`);
    for (const f of result.findings) {
      assert.ok(f.range.start.line <= f.range.end.line, JSON.stringify(text));
      assert.ok(f.message.length > 0);
    }
  }
});

test('a 1 MB single line and deep $( nesting finish quickly', () => {
  const t0 = Date.now();
  analyzeText(`vllm serve /m --served-model-name ${'x'.repeat(1_000_000)}`, 'shell');
  analyzeText(`echo ${'$('.repeat(5000)}${')'.repeat(5000)}`, 'shell');
  analyzeText(`echo ${'"'.repeat(100_000)}`, 'shell');
  assert.ok(Date.now() - t0 < 2000);
});
