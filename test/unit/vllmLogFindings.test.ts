/**
 * Findings on vLLM server logs: the seed's readings turned into advice (huge max_seq_len without
 * --max-model-len, the --model deprecation), KV cache too small, CUDA graphs off or failing, out of
 * memory, NCCL errors and other errors - and silence where the log is healthy.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseVllmLog, vllmLogFindings, VLLM_LOG_RULES } from '../../server/src/vllmLog/index';
import { repoRoot } from '../helpers';

const fixture = (name: string) => readFileSync(join(repoRoot, 'test/fixtures/vllm-log', name), 'utf8');
const findings = (text: string) => vllmLogFindings(parseVllmLog(text));
const brief = (text: string) => findings(text).map((f) => `${f.range.start.line + 1} ${f.rule} ${f.severity}`);

describe('fixtures', () => {
  it('seed log: the --model warning and the 1M context with no --max-model-len', () => {
    const f = findings(fixture('seed-v0.18-pixtral-tp2.log'));
    assert.deepEqual(f.map((x) => `${x.range.start.line + 1} ${x.rule} ${x.severity}`), [
      '1 vllm-log/model-flag-deprecated warning',
      '9 vllm-log/max-model-len-missing warning',
    ]);
    assert.match(f[1].message, /max_seq_len is 1,048,576 tokens and the non-default args have no max_model_len/);
    assert.match(f[1].message, /--max-model-len 32768/);
    assert.match(f[1].message, /fits 1\.26x such requests/);
    assert.match(f[0].message, /first positional argument/);
  });

  it('v0.6: enforce-eager and a 128K context from the model config (Namespace shows max_model_len=None)', () => {
    const f = findings(fixture('v0.6-ray-pp2-eager.log'));
    assert.deepEqual(f.map((x) => x.rule), ['vllm-log/cuda-graphs-disabled', 'vllm-log/max-model-len-missing']);
    assert.match(f[0].message, /enforce_eager=True/);
    assert.match(f[1].message, /max_model_len=None/);
  });

  it('v0.10: the KV cache refusal with vLLM\'s own estimate; the consequences are not reported again', () => {
    const f = findings(fixture('kv-cache-refused-v0.10.log'));
    assert.deepEqual(f.map((x) => `${x.range.start.line + 1} ${x.rule}`), ['7 vllm-log/max-model-len-missing', '18 vllm-log/kv-cache-too-small']);
    assert.match(f[1].message, /Set --max-model-len 88320 or lower/);
    assert.equal(f[1].range.start.character, '(EngineCore_DP0 pid=301) '.length);
  });

  it('v0.11: out of memory during CUDA graph capture gives both findings at the error line', () => {
    assert.deepEqual(brief(fixture('capture-oom-v0.11.log')), ['15 vllm-log/cuda-graph-capture-failed error', '15 vllm-log/out-of-memory error']);
    const oom = findings(fixture('capture-oom-v0.11.log')).find((x) => x.rule === 'vllm-log/out-of-memory')!;
    assert.match(oom.message, /during CUDA graph capture: torch\.OutOfMemoryError: CUDA out of memory\. Tried to allocate 1\.12 GiB/);
  });

  it('v0.9: NCCL errors from vLLM\'s wrapper and from PyTorch; the NCCL WARN line is not double-reported', () => {
    const f = findings(fixture('nccl-error-tp4-v0.9.log'));
    assert.deepEqual(f.map((x) => `${x.range.start.line + 1} ${x.rule}`), ['17 vllm-log/nccl-error']);
    assert.match(f[0].message, /RuntimeError: NCCL error: internal error .*\(1 more such line\(s\)\)/);
  });

  it('compose/ANSI log: --model warning and CUDA graphs disabled, nothing about the 16K context', () => {
    const f = findings(fixture('compose-colour-eager-v0.15.log'));
    assert.deepEqual(f.map((x) => `${x.range.start.line + 1} ${x.rule}`), ['1 vllm-log/model-flag-deprecated', '10 vllm-log/cuda-graphs-disabled']);
    assert.match(f[1].message, /enforce_eager=True; cudagraph_mode NONE; "Enforce eager set/);
  });
});

describe('synthetic', () => {
  const engine = (extra: string) =>
    `(EngineCore_DP0 pid=9) INFO 01-02 03:04:05 [core.py:77] Initializing a V1 LLM engine (v0.12.0) with config: model='m', dtype=torch.bfloat16, max_seq_len=262144, tensor_parallel_size=1, quantization=None, enforce_eager=False, ${extra}`;

  it('max-model-len: info when the log has no non-default args line, nothing when the arg was given or the context is short', () => {
    assert.deepEqual(brief(engine("enable_prefix_caching=True")), ['1 vllm-log/max-model-len-missing info']);
    assert.deepEqual(brief(`INFO 01-02 03:04:05 [utils.py:233] non-default args: {'model': 'm', 'max_model_len': 262144}\n${engine('x=1')}`), []);
    assert.deepEqual(brief(`INFO 01-02 03:04:05 [utils.py:233] non-default args: {'model': 'm'}\nINFO 01-02 03:04:05 [model.py:1510] Using max model len 32768`), []);
  });

  it('kv-cache-too-small from a maximum concurrency below 1', () => {
    const f = findings([
      'INFO 01-02 03:04:05 [kv_cache_utils.py:1087] GPU KV cache size: 98,304 tokens',
      'INFO 01-02 03:04:05 [kv_cache_utils.py:1091] Maximum concurrency for 131,072 tokens per request: 0.75x',
    ].join('\n'));
    assert.deepEqual(f.map((x) => `${x.range.start.line + 1} ${x.rule}`), ['2 vllm-log/kv-cache-too-small']);
    assert.match(f[0].message, /0\.75x \(GPU KV cache: 98,304 tokens\)/);
  });

  it('the older KV cache error and "No available memory for the cache blocks"', () => {
    assert.deepEqual(brief("ValueError: The model's max seq len (131072) is larger than the maximum number of tokens that can be stored in KV cache (50000). Try increasing `gpu_memory_utilization` or decreasing `max_model_len` when initializing the engine."), ['1 vllm-log/kv-cache-too-small error']);
    assert.deepEqual(brief('ValueError: No available memory for the cache blocks. Try increasing `gpu_memory_utilization` when initializing the engine.'), ['1 vllm-log/out-of-memory error']);
  });

  it('cuda-graphs-disabled: silent when graphs were captured after all', () => {
    const text = [
      'INFO 01-02 03:04:05 [vllm.py:1089] Cudagraph is disabled under eager mode',
      'INFO 01-02 03:04:15 [gpu_model_runner.py:3480] Graph capturing finished in 8 secs, took 0.31 GiB',
    ].join('\n');
    assert.deepEqual(brief(text), []);
    assert.deepEqual(brief('WARNING 01-02 03:04:05 [gpu_model_runner.py:3000] Skipping CUDA graph capture. To turn on CUDA graph capture, ensure `cudagraph_mode` was not manually set to `NONE`'), ['1 vllm-log/cuda-graphs-disabled warning']);
  });

  it('capture failure named by the error itself', () => {
    assert.deepEqual(brief('(EngineCore_DP0 pid=9) ERROR 01-02 03:04:05 [core.py:708] RuntimeError: CUDA error: operation not permitted when stream is capturing'), ['1 vllm-log/cuda-graph-capture-failed error']);
    assert.deepEqual(brief('RuntimeError: CUDA error: operation failed due to a previous error during capture'), ['1 vllm-log/cuda-graph-capture-failed error']);
  });

  it('an error after start-up is not a capture failure, even without a "finished" line', () => {
    const text = [
      'Capturing CUDA graph shapes: 100%|██████████| 35/35 [00:12<00:00,  2.81it/s]',
      'INFO 01-02 03:04:05 [api_server.py:1971] Starting vLLM API server 0 on http://0.0.0.0:8000',
      'ERROR 01-02 05:00:00 [serving_chat.py:228] ValueError: bad request',
    ].join('\n');
    assert.deepEqual(brief(text), ['3 vllm-log/error error']);
  });

  it('NCCL watchdog timeouts and PyTorch glog error lines', () => {
    assert.deepEqual(brief('[rank1]:[E1211 00:10:01.123456789 ProcessGroupNCCL.cpp:616] [Rank 1] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=5, OpType=ALLREDUCE, NumelIn=1, NumelOut=1, Timeout(ms)=600000) ran for 600012 milliseconds before timing out.'), ['1 vllm-log/nccl-error error']);
  });

  it('other errors: one finding at the exception line that says what went wrong, counting the rest; consequences alone are still reported', () => {
    const f = findings([
      '(APIServer pid=1) ERROR 05-02 14:10:08 [serving_chat.py:228] Error in preprocessing prompt inputs',
      '(APIServer pid=1) ERROR 05-02 14:10:08 [serving_chat.py:228] Traceback (most recent call last):',
      '(APIServer pid=1) ERROR 05-02 14:10:08 [serving_chat.py:228]   File "/usr/lib/x.py", line 1, in f',
      '(APIServer pid=1) ERROR 05-02 14:10:08 [serving_chat.py:228] jinja2.exceptions.TemplateError: Conversation roles must alternate user/assistant',
    ].join('\n'));
    assert.deepEqual(f.map((x) => `${x.range.start.line + 1} ${x.rule}`), ['4 vllm-log/error']);
    assert.match(f[0].message, /TemplateError: Conversation roles must alternate user\/assistant \(1 more such line\(s\)\)/);
    assert.deepEqual(brief('ERROR 01-02 03:04:05 [core.py:515] EngineCore failed to start.'), ['1 vllm-log/error error']);
  });

  it('a healthy, quiet log has no findings; INFO lines mentioning nccl or memory are not errors', () => {
    assert.deepEqual(brief([
      'INFO 01-02 03:04:05 [pynccl.py:70] vLLM is using nccl==2.26.2',
      'INFO 01-02 03:04:05 [gpu_worker.py:298] Available KV cache memory: 27.03 GiB',
      'WARNING 01-02 03:04:05 [config.py:1] To reduce memory usage and avoid OOM, consider --max-model-len',
    ].join('\n')), []);
    assert.deepEqual(brief(''), []);
  });

  it('every finding uses a declared rule id with its default severity (or info for the unknown case)', () => {
    const all = ['seed-v0.18-pixtral-tp2.log', 'v0.6-ray-pp2-eager.log', 'kv-cache-refused-v0.10.log', 'capture-oom-v0.11.log', 'nccl-error-tp4-v0.9.log', 'compose-colour-eager-v0.15.log'].flatMap((n) => findings(fixture(n)));
    for (const f of all) {
      const rule = VLLM_LOG_RULES.find((r) => r.id === f.rule);
      assert.ok(rule, f.rule);
      assert.equal(f.severity, rule.severity, f.rule);
    }
  });
});
