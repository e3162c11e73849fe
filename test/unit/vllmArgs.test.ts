import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brief, checkFlags as check, covered } from '../helpers';

test('a correct vllm serve line has no findings', () => {
  const text = 'vllm serve /models/llama --tensor-parallel-size 2 -tp 2 --max-model-len 32k --dtype bfloat16 --enforce-eager --no-enable-prefix-caching --port 8000';
  // -tp repeats --tensor-parallel-size: the only finding is the duplicate.
  assert.deepEqual(brief(check(text)), ['1:51 duplicate-flag']);
});

test('unknown flag: did-you-mean, exact range, quick fix', () => {
  const text = 'vllm serve /m --tensor-paralel-size 2';
  const [f] = check(text);
  assert.equal(f.rule, 'vllm/unknown-flag');
  assert.equal(covered(text, f), '--tensor-paralel-size');
  assert.match(f.message, /did you mean --tensor-parallel-size/);
  assert.equal(f.fixes![0].edits[0].newText, '--tensor-parallel-size');
});

test('underscores are normalised like vLLM does; unambiguous prefixes warn, ambiguous ones error', () => {
  assert.deepEqual(brief(check('vllm serve /m --max_model_len 4096')), []);
  const abbrev = check('vllm serve /m --max-model 4096');
  assert.deepEqual(brief(abbrev), ['1:15 vllm/abbreviated-flag']);
  assert.equal(abbrev[0].fixes![0].edits[0].newText, '--max-model-len');
  assert.deepEqual(brief(check('vllm serve /m --max 4096')), ['1:15 vllm/ambiguous-flag']);
});

test('values: choices, numbers, human-readable sizes, JSON, None', () => {
  const text = 'vllm serve /m --dtype bfloat --gpu-memory-utilization high --max-model-len 1M --compilation-config \'{"mode": 3\' --kv-cache-dtype auto --quantization None';
  const found = check(text);
  assert.deepEqual(
    found.map((f) => [f.rule, covered(text, f)]),
    [
      ['vllm/invalid-value', 'bfloat'],
      ['vllm/invalid-value', 'high'],
      ['vllm/invalid-value', '{"mode": 3'],
    ],
  );
});

test('values from shell expansions are never judged', () => {
  assert.deepEqual(brief(check('vllm serve "$MODEL" --dtype "$DTYPE" --tensor-parallel-size ${TP} $EXTRA --port $(get_port)')), []);
});

test('-O shorthand and dotted JSON keys', () => {
  assert.deepEqual(brief(check('vllm serve /m -O3 --compilation-config.mode 3 -cc.cudagraph_mode FULL')), []);
  assert.deepEqual(brief(check('vllm serve /m -O7')), ['1:17 vllm/invalid-value']);
  assert.deepEqual(brief(check('vllm serve /m --port.x 3')), ['1:15 vllm/invalid-value']);
});

test('a switch given true/false is caught: the word would become the model', () => {
  const text = 'vllm serve /m --enforce-eager false';
  const [f] = check(text);
  assert.equal(f.rule, 'vllm/unexpected-argument');
  assert.equal(covered(text, f), 'false');
  assert.equal(f.fixes![0].edits[0].newText, '--no-enforce-eager');
});

test('missing values and extra positionals', () => {
  assert.deepEqual(brief(check('vllm serve /m --port --dtype half')), ['1:15 missing-value']);
  assert.deepEqual(brief(check('vllm serve /m extra')), ['1:15 vllm/unexpected-argument']);
  assert.deepEqual(brief(check('vllm serve /m --seed -1')), []);
});

test('--model under vllm serve warns with a fix that moves it to the positional slot', () => {
  const text = 'vllm serve --model /data/m --port 8000';
  const [f] = check(text);
  assert.equal(f.rule, 'vllm/deprecated-flag');
  assert.equal(f.severity, 'warning');
  assert.equal(covered(text, f), '--model');
  const edit = f.fixes![0].edits[0];
  assert.equal(edit.newText, '/data/m');
  // For the api_server module --model is the normal way: no finding.
  assert.deepEqual(brief(check('python3 -m vllm.entrypoints.openai.api_server --model /data/m --port 8000')), []);
});

test('--model not first: the fix inserts the model first and deletes the flag with its continuation', () => {
  const text = 'vllm serve --port 8000 \\\n  --model /data/m';
  const [f] = check(text);
  const edits = f.fixes![0].edits;
  assert.equal(edits.length, 2);
  assert.equal(edits[0].newText, '/data/m ');
});

test('served-model-name without a model first is refused by vllm serve', () => {
  assert.deepEqual(brief(check('vllm serve -tp 2 --served-model-name x')), ['1:18 vllm/served-model-name-without-model']);
  assert.deepEqual(brief(check('vllm serve /m --served-model-name x')), []);
});

test('removed flags are errors for versions that dropped them, with the successor named', () => {
  const [f] = check('vllm serve /m --disable-log-requests');
  assert.equal(f.rule, 'vllm/removed-flag');
  assert.equal(f.severity, 'error');
  assert.match(f.message, /off by default/);
  // Its successor means the opposite, so no mechanical fix is offered; a plain rename gets one.
  assert.equal(f.fixes, undefined);
  const [renamed] = check('vllm serve /m --cuda-graph-sizes 1 2 4');
  assert.equal(renamed.fixes![0].edits[0].newText, '--cudagraph-capture-sizes');
  assert.equal(check('vllm serve /m --task embed')[0].fixes, undefined);
  // v0.6 still had --num-scheduler-steps' predecessor world: a flag removed later is fine there.
  assert.deepEqual(brief(check('# rvn: vllm-version=0.9.0\nvllm serve /m --num-scheduler-steps 8')), []);
  assert.deepEqual(brief(check('vllm serve /m --num-scheduler-steps 8', { vllmVersion: '0.28.0' })), ['1:15 vllm/removed-flag']);
});

test('version from the image tag: a flag newer than the image is an error', () => {
  // --numa-bind was added in 2026 (after v0.19); a v0.9.0 image cannot know it.
  const text = 'docker run --gpus all vllm/vllm-openai:v0.9.0 --model /m --numa-bind';
  const found = check(text);
  assert.ok(found.some((f) => f.rule === 'vllm/flag-not-in-version'), JSON.stringify(brief(found)));
});

test('an image newer than the knowledge base downgrades unknown flags to warnings', () => {
  const [f] = check('docker run vllm/vllm-openai:v0.40.0 /m --brand-new-flag');
  assert.equal(f.rule, 'vllm/unknown-flag');
  assert.equal(f.severity, 'warning');
});

test('--model is refused (error) by vllm serve releases before the 2025-10 change', () => {
  const [f] = check('# rvn: vllm-version=0.9.0\nvllm serve --model /m');
  assert.equal(f.rule, 'vllm/deprecated-flag');
  assert.equal(f.severity, 'error');
});

test('old vLLM images ran the api_server module: --model is normal there, a positional model is ignored', () => {
  assert.deepEqual(brief(check('docker run vllm/vllm-openai:v0.8.5 --model /data/m --port 8000')), []);
  assert.deepEqual(brief(check('docker run vllm/vllm-openai:v0.8.5 /data/m --port 8000')), ['1:36 vllm/unexpected-argument']);
  // Recent images run `vllm serve`: the positional form is right and --model warns.
  assert.deepEqual(brief(check('docker run vllm/vllm-openai:v0.18.0 /data/m --port 8000')), []);
});

test('deprecated values: a refused quantization is an error; an old spec method gets a fix', () => {
  assert.equal(check('vllm serve /m --quantization fbgemm_fp8')[0].severity, 'error');
  assert.deepEqual(brief(check('vllm serve /m --quantization fbgemm_fp8 --allow-deprecated-quantization')), []);
  assert.equal(check('vllm serve /m --spec-method deepseek_mtp')[0].fixes![0].edits[0].newText, 'mtp');
});

test('JSON options must hold JSON', () => {
  assert.deepEqual(brief(check('vllm serve /m --structured-outputs-config xgrammar')), ['1:43 vllm/invalid-value']);
  assert.deepEqual(brief(check(`vllm serve /m --structured-outputs-config '{"backend": "xgrammar"}'`)), []);
});

test('--limit-mm-per-prompt key=value form: the only form before JSON, deprecated in between, an error after its removal', () => {
  // Before 2025-04-17 (#16789) the option read only key=value pairs and rejected JSON.
  assert.deepEqual(brief(check('# rvn: vllm-version=0.8.0\nvllm serve /m --limit-mm-per-prompt image=4,video=1')), []);
  const json = check('# rvn: vllm-version=0.6.6\nvllm serve /m --limit-mm-per-prompt \'{"image": 4}\'');
  assert.deepEqual(brief(json), ['2:38 vllm/invalid-value']);
  assert.match(json[0].message, /key=value pairs/);
  // Between #16789 and #20969 (2025-07-15) any dict-typed JSON option fell back to pairs, with a warning.
  const mid = check('# rvn: vllm-version=0.9.2\nvllm serve /m --limit-mm-per-prompt image=4 --mm-processor-kwargs num_crops=16');
  assert.deepEqual(mid.map((f) => [f.rule, f.severity]), [['vllm/deprecated-value', 'warning'], ['vllm/deprecated-value', 'warning']]);
  assert.match(mid[1].message, /'\{"num_crops": 16\}'/);
  // After the removal: an error that gives the JSON to write (keys lower-cased like vLLM did).
  const text = 'vllm serve /m --limit-mm-per-prompt Image=5,video=1';
  const [f] = check(text);
  assert.equal(f.rule, 'vllm/invalid-value');
  assert.equal(covered(text, f), 'Image=5,video=1');
  assert.match(f.message, /removed from vLLM on 2025-07-15.*'\{"image": 5, "video": 1\}'/);
  // JSON is fine from 0.9 on; other JSON options never read pairs before the fallback existed.
  assert.deepEqual(brief(check('# rvn: vllm-version=0.9.2\nvllm serve /m --limit-mm-per-prompt \'{"image": 4}\'')), []);
  assert.deepEqual(brief(check('# rvn: vllm-version=0.6.6\nvllm serve /m --mm-processor-kwargs num_crops=16')), ['2:37 vllm/invalid-value']);
});

test('--omni hands the command to vllm-omni (since 2026-04-24, #40744): it and vllm-omni options are not unknown flags', () => {
  assert.deepEqual(brief(check('vllm serve /m --omni --stage-configs-path stages.yaml --port 8091')), []);
  // Known options are still checked; the api_server module and older releases do not delegate.
  assert.deepEqual(brief(check('vllm serve /m --omni --port http')), ['1:29 vllm/invalid-value']);
  assert.deepEqual(brief(check('# rvn: vllm-version=0.19.0\nvllm serve /m --omni')), ['2:15 vllm/unknown-flag']);
  assert.deepEqual(brief(check('python -m vllm.entrypoints.openai.api_server --model /m --omni')), ['1:57 vllm/unknown-flag']);
});
