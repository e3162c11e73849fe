/** Memory is handed back once, after the server goes quiet following large analyses. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { idleCollector, LARGE_DOCUMENT_CHARS } from '../../server/src/memory';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a burst of large analyses collects once, after the quiet period; small ones never', async () => {
  let collections = 0;
  const after = idleCollector(() => collections++, 30);
  after(LARGE_DOCUMENT_CHARS - 1);
  await sleep(60);
  assert.equal(collections, 0, 'a small document is not worth a collection');
  for (let i = 0; i < 5; i++) {
    after(LARGE_DOCUMENT_CHARS * 2);
    await sleep(5);
  }
  assert.equal(collections, 0, 'not while analyses keep coming');
  await sleep(60);
  assert.equal(collections, 1);
});

test('without --expose-gc there is nothing to call, and nothing fails', () => {
  assert.doesNotThrow(() => idleCollector(undefined)(LARGE_DOCUMENT_CHARS * 10));
});
