/** Completion lists on the wire: one shared edit range when the client takes it, never a changed edit. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CompletionItem, CompletionList } from 'vscode-languageserver-types';
import { completionResult } from '../../server/src/features/completionList';
import { completeShell } from '../../server/src/features/completion';
import { analyzeText } from '../../server/src/engine';

const range = (a: number, b: number) => ({ start: { line: 0, character: a }, end: { line: 0, character: b } });

test('a list with one edit range sends it once; each item keeps its own text', () => {
  const items: CompletionItem[] = [
    { label: '--dtype', textEdit: { range: range(3, 5), newText: '--dtype' } },
    { label: 'NCCL_DEBUG', textEdit: { range: range(3, 5), newText: 'NCCL_DEBUG=' } },
  ];
  const list = completionResult(items, true) as CompletionList;
  assert.deepEqual(list.itemDefaults, { editRange: range(3, 5) });
  assert.deepEqual(list.items, [{ label: '--dtype' }, { label: 'NCCL_DEBUG', textEditText: 'NCCL_DEBUG=' }]);
});

test('mixed ranges, plain items or a client without item defaults get the items unchanged', () => {
  const mixed: CompletionItem[] = [
    { label: 'a', textEdit: { range: range(0, 1), newText: 'a' } },
    { label: 'b', textEdit: { range: range(0, 2), newText: 'b' } },
  ];
  assert.equal(completionResult(mixed, true), mixed);
  const plain: CompletionItem[] = [{ label: 'x' }];
  assert.equal(completionResult(plain, true), plain);
  assert.equal(completionResult([mixed[0]], false).constructor, Array);
});

test('the vLLM flag list after `--` shrinks by more than a third on the wire', () => {
  const text = 'vllm serve /m --';
  const items = completeShell(analyzeText(text, 'shell').shell!, text.length);
  assert.ok(items.length > 200);
  const packed = JSON.stringify(completionResult(items, true)).length;
  const plain = JSON.stringify(items).length;
  assert.ok(packed < plain * 0.66, `${packed} vs ${plain} bytes`);
});
