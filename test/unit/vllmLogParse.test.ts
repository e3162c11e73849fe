/**
 * vLLM server logs written in vLLM's formats (test/fixtures/vllm-log): the readings the product
 * document takes from them, across releases 0.6 (V0 engine, `file.py:N]`) to 0.18 (worker
 * prefixes, dict-repr compilation config), with Ray, docker compose, ANSI colour and NCCL lines.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  createVllmLogParser,
  formatVllmLogSummary,
  looksLikeVllmLog,
  parsePyLiteral,
  parseVllmLog,
  parseVllmLogFile,
  splitVllmLine,
  summarizeVllmLog,
} from '../../server/src/vllmLog/index';
import { repoRoot } from '../helpers';

const path = (name: string) => join(repoRoot, 'test/fixtures/vllm-log', name);
const fixture = (name: string) => readFileSync(path(name), 'utf8');
const CAPTURE_SIZES = [1, 2, 4, ...Array.from({ length: 31 }, (_, i) => 8 + 8 * i), ...Array.from({ length: 17 }, (_, i) => 256 + 16 * i)];

describe("the seed's vLLM 0.18 log (Pixtral, TP=2)", () => {
  const m = parseVllmLog(fixture('seed-v0.18-pixtral-tp2.log'));
  const s = summarizeVllmLog(m);

  it("gives the seed's readings: what vLLM auto-detects", () => {
    assert.equal(s.version, '0.18.0');
    assert.equal(s.dtype, 'bfloat16');
    assert.equal(s.architecture, 'PixtralForConditionalGeneration');
    assert.equal(s.quantization, 'fp8');
    assert.equal(s.maxSeqLen, 1048576);
    assert.equal(s.chunkedPrefill, true);
    assert.equal(s.maxNumBatchedTokens, 8192);
    assert.equal(s.asyncScheduling, true);
    assert.equal(s.enablePrefixCaching, true);
    assert.equal(s.compilationMode, 'VLLM_COMPILE');
    assert.deepEqual(s.fusions, ['allreduce_rms']);
    assert.deepEqual(s.cudagraphCaptureSizes, CAPTURE_SIZES);
    assert.equal(s.cudagraphCaptureSizes?.[5], 24);
    assert.equal(s.cudagraphCaptureSizes?.at(-1), 512);
  });

  it('engine configuration, parallelism, KV cache and CUDA graphs', () => {
    const e = m.engine!;
    assert.equal(e.engine, 'V1');
    assert.equal(e.version, '0.18.0');
    assert.equal(e.model, '/data/input/Models/My-Model-119B');
    assert.equal(e.servedModelName, 'my-model');
    assert.deepEqual([e.tensorParallelSize, e.pipelineParallelSize, e.dataParallelSize], [2, 1, 1]);
    assert.equal(e.enforceEager, false);
    assert.equal(e.kvCacheDtype, 'auto');
    assert.deepEqual(e.compilation && { ...e.compilation, cudagraphCaptureSizes: undefined }, {
      mode: 3, modeName: 'VLLM_COMPILE', cudagraphMode: 'FULL_AND_PIECEWISE', cudagraphCaptureSizes: undefined,
      maxCaptureSize: 512, backend: 'inductor', customOps: ['none'], fusions: ['allreduce_rms'],
    });
    assert.equal(e.fields.load_format, 'mistral');
    assert.equal(e.ref.line, 8);
    assert.equal(e.ref.start, '(EngineCore_DP0 pid=211) '.length);
    assert.deepEqual(m.kvCache.gpuTokens.map((t) => t.value), [1319632]);
    assert.deepEqual(m.kvCache.maxConcurrency.map((c) => [c.tokensPerRequest, c.concurrency]), [[1048576, 1.26]]);
    assert.deepEqual(m.kvCache.availableGiB.map((x) => x.value), [60.41]);
    assert.deepEqual(m.modelLoad && [m.modelLoad.gib, m.modelLoad.seconds], [58.3125, 87.12239]);
    assert.deepEqual(m.cudaGraphs.finished.map((f) => [f.seconds, f.gib]), [[14, 1.21]]);
    assert.equal(m.cudaGraphs.captureStarted?.line, 24);
    assert.equal(s.cudaGraphsCaptured, true);
    assert.ok(m.serverReady);
  });

  it('non-default args as values, with the API key redacted', () => {
    assert.deepEqual(m.nonDefaultArgs?.args, {
      model_tag: null, port: 8000, model: '/data/input/Models/My-Model-119B', served_model_name: ['my-model'], tensor_parallel_size: 2, api_key: '***',
    });
    assert.ok(!JSON.stringify(m).includes('sk-not-a-real-key'));
  });

  it('the --model warning, the processes, NCCL lines skipped, levels counted', () => {
    assert.equal(m.modelFlagDeprecation?.line, 0);
    assert.deepEqual(m.processes, ['APIServer pid=1', 'EngineCore_DP0 pid=211', 'Worker_TP0 pid=245', 'Worker_TP1 pid=246']);
    assert.equal(m.lines.nccl, 2);
    assert.deepEqual(m.lines.byLevel, { WARNING: 1, INFO: 24 });
    assert.equal(m.firstTime, '03-20 10:00:01');
    assert.equal(m.lastTime, '03-20 10:03:13');
    assert.deepEqual(m.errors, []);
  });

  it('a readable summary in the order of the product document', () => {
    const text = formatVllmLogSummary(s);
    assert.match(text, /^vLLM version: 0\.18\.0$/m);
    assert.match(text, /^architecture: PixtralForConditionalGeneration$/m);
    assert.match(text, /^chunked prefill: true \(max_num_batched_tokens=8192\)$/m);
    assert.match(text, /^cudagraph capture sizes: 1, 2, 4, 8, 16, \.\.\., 512 \(51 sizes\)$/m);
    assert.match(text, /^maximum concurrency: 1\.26x at 1,048,576 tokens per request$/m);
  });
});

describe('older and other shapes', () => {
  it('v0.6 (V0 engine, `file.py:N]` without brackets, Ray workers, Namespace args)', () => {
    const m = parseVllmLog(fixture('v0.6-ray-pp2-eager.log'));
    const s = summarizeVllmLog(m);
    assert.equal(s.version, '0.6.3.post1');
    assert.equal(m.engine?.engine, 'V0');
    assert.deepEqual([s.tensorParallelSize, s.pipelineParallelSize, s.maxSeqLen, s.enforceEager, s.enablePrefixCaching], [4, 2, 131072, true, false]);
    // `chunked_prefill_enabled=True multi_step_stream_outputs=True`: a missing comma in that release's format.
    assert.equal(m.engine?.chunkedPrefill, true);
    assert.equal(m.nonDefaultArgs?.namespace, true);
    assert.equal(m.nonDefaultArgs?.args.max_model_len, null);
    assert.equal(m.nonDefaultArgs?.args.api_key, null);
    assert.deepEqual(m.kvCache.blocks.map((b) => [b.gpu, b.cpu]), [[11873, 6553]]);
    assert.deepEqual(m.kvCache.maxConcurrency.map((c) => [c.tokensPerRequest, c.concurrency]), [[131072, 1.45]]);
    assert.deepEqual(m.processes, ['RayWorkerWrapper pid=2817, ip=10.42.1.17']);
    assert.equal(s.cudaGraphsCaptured, false);
    assert.ok(m.serverReady);
  });

  it('v0.10: JSON compilation config (level 3, cudagraph_mode [2,1]) and the KV cache refusal', () => {
    const m = parseVllmLog(fixture('kv-cache-refused-v0.10.log'));
    const c = m.engine?.compilation;
    assert.deepEqual([c?.level, c?.mode, c?.modeName, c?.cudagraphMode, c?.useCudagraph, c?.maxCaptureSize, c?.cudagraphCaptureSizes?.length], [3, 3, 'VLLM_COMPILE', 'FULL_AND_PIECEWISE', true, 512, 67]);
    assert.deepEqual(m.errors.map((e) => [e.kind, e.ref.line + 1]), [['other', 11], ['kv-cache', 18], ['other', 27]]);
    assert.deepEqual(m.processes, ['APIServer pid=7', 'EngineCore_DP0 pid=301', 'VllmWorker TP0 pid=377']);
  });

  it('docker compose timestamps and ANSI colours, the banner version, enforce-eager', () => {
    const m = parseVllmLog(fixture('compose-colour-eager-v0.15.log'));
    assert.equal(m.version?.value, '0.15.1');
    assert.equal(m.version?.ref.line, 3);
    assert.equal(m.lines.records, 17);
    assert.deepEqual(m.lines.byLevel, { WARNING: 2, INFO: 15 });
    assert.equal(m.engine?.enforceEager, true);
    assert.deepEqual([m.engine?.compilation?.modeName, m.engine?.compilation?.cudagraphMode], ['NONE', 'NONE']);
    assert.deepEqual(m.cudaGraphs.disabled.map((d) => d.ref.line + 1), [10, 11]);
    assert.equal(m.nonDefaultArgs?.args.hf_token, '***');
    assert.equal(m.nonDefaultArgs?.args.max_model_len, 16384);
    assert.deepEqual(m.kvCache.maxConcurrency.map((c) => c.concurrency), [27.2]);
    assert.ok(m.serverReady);
  });

  it('v0.11 capture OOM: the error is marked as during capture', () => {
    const m = parseVllmLog(fixture('capture-oom-v0.11.log'));
    const oom = m.errors.find((e) => e.kind === 'oom');
    assert.equal(oom?.duringCapture, true);
    assert.match(oom!.text, /^torch\.OutOfMemoryError: CUDA out of memory\. Tried to allocate 1\.12 GiB/);
    assert.equal(m.cudaGraphs.finished.length, 0);
    assert.deepEqual([m.engine?.compilation?.level, m.engine?.compilation?.modeName], [3, 'VLLM_COMPILE']);
  });

  it('v0.9 NCCL failure: vLLM and PyTorch error lines, NCCL WARN left to the NCCL reader', () => {
    const m = parseVllmLog(fixture('nccl-error-tp4-v0.9.log'));
    assert.deepEqual(m.errors.filter((e) => e.kind === 'nccl').map((e) => e.ref.line + 1), [17, 19]);
    assert.equal(m.lines.nccl, 2);
    assert.deepEqual(m.processes, ['VllmWorker rank=0 pid=912', 'VllmWorker rank=2 pid=914']);
  });

  it('the streamed file reader and any chunking give the same model', async () => {
    for (const name of ['seed-v0.18-pixtral-tp2.log', 'compose-colour-eager-v0.15.log', 'v0.6-ray-pp2-eager.log']) {
      const whole = parseVllmLog(fixture(name));
      assert.deepEqual(await parseVllmLogFile(path(name)), whole, name);
      const text = fixture(name);
      const p = createVllmLogParser();
      for (let i = 0; i < text.length; i += 97) p.feed(text.slice(i, i + 97));
      assert.deepEqual(p.end(), whole, `${name} in chunks`);
    }
  });

  it('the model is plain JSON', () => {
    for (const name of ['seed-v0.18-pixtral-tp2.log', 'kv-cache-refused-v0.10.log', 'capture-oom-v0.11.log', 'v0.6-ray-pp2-eager.log']) {
      const m = parseVllmLog(fixture(name));
      assert.deepEqual(JSON.parse(JSON.stringify(m)), m, name);
    }
  });

  it('detection of vLLM logs', () => {
    assert.ok(looksLikeVllmLog(fixture('v0.6-ray-pp2-eager.log')));
    assert.ok(looksLikeVllmLog(fixture('compose-colour-eager-v0.15.log').replace(/\x1b\[[0-9;]*m/g, '')));
    assert.ok(!looksLikeVllmLog('node01:4242:4242 [0] NCCL INFO NCCL version 2.28.9+cuda13.0'));
  });
});

describe('line shapes', () => {
  const rec = (line: string) => {
    const l = splitVllmLine(line);
    return { level: l.record?.level, file: l.record?.file, processes: l.processes, message: l.message, start: l.start };
  };

  it('current, old and prefixed records', () => {
    assert.deepEqual(rec('INFO 05-01 17:08:28 [core.py:109] hello'), { level: 'INFO', file: 'core.py', processes: [], message: 'hello', start: 0 });
    assert.deepEqual(rec('WARNING 03-20 10:00:00 llm_engine.py:123] old'), { level: 'WARNING', file: 'llm_engine.py', processes: [], message: 'old', start: 0 });
    assert.deepEqual(rec('(VllmWorker rank=3 pid=77) ERROR 06-10 11:20:41 [multiproc_executor.py:487] boom').processes, ['VllmWorker rank=3 pid=77']);
    assert.deepEqual(rec('(Engine (DP0)) INFO 01-02 03:04:05 [core.py:1] x').processes, ['Engine (DP0)']);
    assert.deepEqual(rec('(pid=4242) INFO 01-02 03:04:05 [worker.py:1] x').processes, ['pid=4242']);
    assert.equal(rec('[vllm]                 | ERROR 06-02 05:17:18 [core.py:387] x').level, 'ERROR');
    assert.equal(rec('[rank0]: INFO 06-02 05:17:18 [core.py:387] x').level, 'INFO');
    assert.equal(rec('[1,0]<stdout>:(APIServer pid=1) INFO 06-02 05:17:18 [core.py:387] x').level, 'INFO');
    assert.equal(rec('2025-12-01T10:00:00.000000000Z (APIServer pid=1) DEBUG 12-01 10:00:00 [utils.py:1] x').level, 'DEBUG');
    assert.equal(rec('[vllm-rbln] INFO 12-01 10:00:00 [worker.py:10] plugin prefix').level, 'INFO');
    assert.equal(rec('INFO 12-01 10:00:00.123 [worker.py:10] ms').message, 'ms');
    assert.deepEqual(rec('vllm-1  | (APIServer pid=1) INFO 05-01 17:08:06 [utils.py:299] hi').processes, ['APIServer pid=1']);
    assert.deepEqual(rec('[pod/vllm-0/vllm] (APIServer pid=1) INFO 05-01 17:08:06 [utils.py:299] hi').processes, ['APIServer pid=1']);
    assert.deepEqual(rec('0: (RayWorkerWrapper pid=1234, ip=10.0.0.2) WARNING 05-01 17:08:06 [worker.py:1] hi'), {
      level: 'WARNING', file: 'worker.py', processes: ['RayWorkerWrapper pid=1234, ip=10.0.0.2'], message: 'hi', start: 44,
    });
    assert.equal(rec('May 01 17:08:06 host vllm[123]: INFO 05-01 17:08:06 [utils.py:299] journald').message, 'journald');
  });

  it('plain lines stay plain; parentheses in text are not process prefixes', () => {
    assert.deepEqual(rec('Traceback (most recent call last):'), { level: undefined, file: undefined, processes: [], message: 'Traceback (most recent call last):', start: 0 });
    assert.deepEqual(rec('(base) user@host:~$ vllm serve x').processes, []);
    assert.equal(splitVllmLine('(Worker_TP0 pid=245) my-model-0:245:245 [0] NCCL INFO Channel 00/0 : 0[0] -> 1[1] via P2P/CUMEM/read').nccl?.level, 'INFO');
  });
});

describe('Python literal reader', () => {
  const read = (s: string) => parsePyLiteral(s)?.value;
  it('dicts, lists, tuples, sets, strings, numbers, constants', () => {
    assert.deepEqual(read(`{'a': 1, "b": [1, 2.5, -3e2], 'c': (True, False, None), 'd': {1, 2}, 'e': 'it\\'s'}`), {
      a: 1, b: [1, 2.5, -300], c: [true, false, null], d: [1, 2], e: "it's",
    });
    assert.deepEqual(read('{"level":3,"use_cudagraph":true,"local_cache_dir":null}'), { level: 3, use_cudagraph: true, local_cache_dir: null });
  });
  it('enum reprs, calls, bare words', () => {
    assert.deepEqual(read("{'mode': <CompilationMode.VLLM_COMPILE: 3>, 'x': torch.bfloat16, 'p': PosixPath('/tmp/a'), 's': StructuredOutputsConfig(backend='auto')}"), {
      mode: 'CompilationMode.VLLM_COMPILE: 3', x: 'torch.bfloat16', p: { __type__: 'PosixPath', _0: '/tmp/a' }, s: { __type__: 'StructuredOutputsConfig', backend: 'auto' },
    });
    assert.deepEqual(read("Namespace(host=None, model='m', served_model_name=['a'], x=qwen3-8b)"), { __type__: 'Namespace', host: null, model: 'm', served_model_name: ['a'], x: 'qwen3-8b' });
  });
  it('cut-off or hostile input: undefined, never a throw', () => {
    assert.equal(read("{'a': [1, 2"), undefined);
    assert.equal(read("{'a': 'unterminated"), undefined);
    assert.equal(read('['.repeat(10000)), undefined);
    assert.equal(read(''), undefined);
  });
});
