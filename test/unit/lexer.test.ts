import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasExpansion, lexShell, valueRange } from '../../server/src/shell/lexer';
import { relexWord } from '../../server/src/shell/relex';

const values = (src: string) => lexShell(src).commands.map((c) => c.words.map((w) => w.value));

test('splits commands on newlines, ; && || | and keeps continuations in one command', () => {
  assert.deepEqual(values('a b; c && d || e | f\ng \\\n  h'), [['a', 'b'], ['c'], ['d'], ['e'], ['f'], ['g', 'h']]);
});

test('removes quotes the way bash does, including $\'...\' and escapes', () => {
  assert.deepEqual(values(`echo 'a b' "c \\"d\\"" $'e\\tf' g\\ h`), [['echo', 'a b', 'c "d"', 'e\tf', 'g h']]);
});

test('maps every value character back to its source offset', () => {
  const src = `x "NCCL_DEBUG_SUBSYS=INIT,FOO"`;
  const word = lexShell(src).commands[0].words[1];
  const from = word.value.indexOf('FOO');
  const [s, e] = valueRange(word, from, from + 3);
  assert.equal(src.slice(s, e), 'FOO');
});

test('marks expansions as dynamic and keeps $(...) with nested quotes in one word', () => {
  const [cmd] = lexShell(`run --model "$(cat "/x y")"/m --port $PORT \${A:-b} \`date\``).commands;
  const words = cmd.words;
  assert.equal(words.length, 7);
  assert.equal(words[2].value, '$(cat "/x y")/m');
  assert.ok(hasExpansion(words[2]));
  assert.ok(!hasExpansion(words[2], 13));
  for (const i of [4, 5, 6]) assert.ok(hasExpansion(words[i]));
  assert.ok(!hasExpansion(words[1]));
});

test('comments, heredocs and redirections are not arguments', () => {
  const src = 'cat <<EOF > out.txt 2>&1 # note\n--not-a-flag\nEOF\nnext cmd';
  const lexed = lexShell(src);
  assert.deepEqual(lexed.commands.map((c) => c.words.map((w) => w.value)), [['cat'], ['next', 'cmd']]);
  assert.equal(lexed.comments[0].text, '# note');
  assert.equal(src.slice(lexed.hereDocs[0].start, lexed.hereDocs[0].end), '--not-a-flag\n');
});

test('a # inside a word is not a comment; array assignments stay one word', () => {
  assert.deepEqual(values('echo a#b\narr=(x y z) next'), [['echo', 'a#b'], ['arr=(x y z)', 'next']]);
});

test('relexing a quoted command string maps offsets into the outer text', () => {
  const src = `runai submit --command "sh -c 'vllm serve /m --port 8000'"`;
  const outer = lexShell(src).commands[0].words[3];
  const inner = relexWord(outer);
  const script = inner.commands[0].words[2];
  assert.equal(script.value, 'vllm serve /m --port 8000');
  const deeper = relexWord(script).commands[0].words;
  const port = deeper.find((w) => w.value === '--port')!;
  assert.equal(src.slice(port.start, port.end), '--port');
});

test('survives unbalanced quotes, lone backslashes and junk without throwing', () => {
  for (const src of [`echo "unterminated`, `echo 'open`, 'a \\', '$(', '`', '${', '<<', 'x=(', '\u0000\u0001\uffff', '"$(echo "$(echo ")")"']) {
    assert.doesNotThrow(() => lexShell(src), src);
  }
});
