/**
 * Line shapes met in real vLLM logs pasted in issues, docs and worklogs (0.2 to 0.23, V0 and V1,
 * CUDA, ROCm, TPU, Gaudi, Ascend, CPU), each written here as a short excerpt of our own: the
 * readings and findings they must give.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseVllmLog, splitVllmLine, summarizeVllmLog, formatVllmLogSummary, vllmLogFindings } from '../../server/src/vllmLog/index';

const lines = (...l: string[]) => l.join('\n');
const findings = (text: string) => vllmLogFindings(parseVllmLog(text));
const brief = (text: string) => findings(text).map((f) => `${f.range.start.line + 1} ${f.rule} ${f.severity}`);
const summary = (text: string) => summarizeVllmLog(parseVllmLog(text));

describe('engine configuration lines', () => {
  it('releases before 0.3.3 logged the engine line without a version', () => {
    const m = parseVllmLog("INFO 11-02 09:00:01 llm_engine.py:72] Initializing an LLM engine with config: model='acme/tiny-7b', tokenizer='acme/tiny-7b', tokenizer_mode=auto, trust_remote_code=False, dtype=torch.float16, max_seq_len=4096, download_dir=None, load_format=auto, tensor_parallel_size=2, quantization=None, seed=0)");
    assert.equal(m.engine?.engine, 'V0');
    assert.equal(m.engine?.version, undefined);
    assert.equal(m.engine?.model, 'acme/tiny-7b');
    assert.equal(m.engine?.maxSeqLen, 4096);
    assert.equal(m.engine?.tensorParallelSize, 2);
    assert.equal(m.engine?.fields.seed, '0');
  });
});

describe('the configuration summary', () => {
  it('V0 and plugin engines: KV cache blocks on the accelerator and the CPU (# GPU / # HPU blocks)', () => {
    const s = summary(lines(
      'INFO 02-01 10:00:00 gpu_executor.py:114] # GPU blocks: 2300, # CPU blocks: 1024',
    ));
    assert.deepEqual([s.gpuBlocks, s.cpuBlocks], [2300, 1024]);
    assert.match(formatVllmLogSummary(s), /^KV cache blocks: 2,300 on the accelerator, 1,024 on the CPU$/m);
    assert.equal(summary('INFO 02-01 10:00:00 habana_executor.py:87] # HPU blocks: 800, # CPU blocks: 64').gpuBlocks, 800);
  });

  it('the attention backend, as each generation of vLLM names it; other "Using ... backend" lines are not it', () => {
    assert.equal(summary('INFO 02-01 10:00:00 selector.py:51] Using XFormers backend.').attentionBackend, 'XFormers');
    assert.equal(summary('INFO 02-01 10:00:00 [cuda.py:221] Using Flash Attention backend on V1 engine.').attentionBackend, 'Flash Attention');
    assert.equal(summary(lines(
      "(Worker_TP0 pid=5) INFO 02-01 10:00:00 [cuda_communicator.py:264] Using ['CUSTOM', 'PYNCCL'] all-reduce backends (in dispatch order) for group 'tp:0'",
      '(Worker_TP0 pid=5) INFO 02-01 10:00:00 [cuda.py:433] Using backend AttentionBackendEnum.FLASH_ATTN for vit attention',
      '(Worker_TP0 pid=5) INFO 02-01 10:00:00 [mla.py:10] Using FLASH_ATTN MLA prefill backend',
      "(Worker_TP0 pid=5) INFO 02-01 10:00:00 [fused_moe.py:10] Using 'MARLIN' WNA16 MoE backend",
      "(Worker_TP0 pid=5) INFO 02-01 10:00:00 [cuda.py:483] Using FLASHINFER attention backend out of potential backends: ['FLASHINFER', 'TRITON_ATTN'].",
    )).attentionBackend, 'FLASHINFER');
  });

  it('without an engine line: model from the banner or the arguments, parallelism, dtype and quantization from the arguments', () => {
    const s = summary(lines(
      '(APIServer pid=7) INFO 03-01 08:00:00 [api_utils.py:345]  ▄▄ ▄█ █     █     █ ▀▄▀ █  version 0.21.0',
      '(APIServer pid=7) INFO 03-01 08:00:00 [api_utils.py:345]   █▄█▀ █     █     █     █  model   /models/acme-20b',
      "(APIServer pid=7) INFO 03-01 08:00:00 [api_utils.py:273] non-default args: {'model_tag': '/models/acme-20b', 'max_model_len': 32768, 'quantization': 'fp8', 'pipeline_parallel_size': 2}",
    ));
    assert.equal(s.model, '/models/acme-20b');
    assert.equal(s.quantization, 'fp8');
    assert.deepEqual([s.tensorParallelSize, s.pipelineParallelSize], [undefined, 2]);
    assert.match(formatVllmLogSummary(s), /^tensor \/ pipeline \/ data parallel: 1 \/ 2 \/ 1$/m);
    const ns = summary("INFO 02-07 18:06:00 api_server.py:841] args: Namespace(subparser='serve', model_tag='acme/tiny', model='acme/tiny', dtype='auto', max_model_len=None, tensor_parallel_size=8, quantization=None)");
    assert.deepEqual([ns.model, ns.tensorParallelSize, ns.dtype, ns.quantization], ['acme/tiny', 8, undefined, undefined]);
  });

  it('"Graph capturing finished" wrapped by the terminal before "secs" still counts', () => {
    const m = parseVllmLog(lines(
      '(EngineCore_0 pid=2) (RayWorkerWrapper pid=3) INFO 09-03 04:42:58 [gpu_model_runner.py:2708] Graph capturing finished in 11',
      ' secs, took 1.00 GiB',
    ));
    assert.deepEqual(m.cudaGraphs.finished.map((f) => f.seconds), [11]);
  });
});

describe('wrappers around the records', () => {
  it('ANSI colour pasted in caret notation, with ^M line ends', () => {
    const l = splitVllmLine('^[[1;36m(EngineCore_DP0 pid=44)^[[0;0m ERROR 12-23 07:23:11 [core.py:708] RuntimeError: boom^M');
    assert.deepEqual(l.processes, ['EngineCore_DP0 pid=44']);
    assert.equal(l.record?.level, 'ERROR');
    assert.equal(l.message, 'RuntimeError: boom');
  });

  it("Ray's deduplication suffix is not part of the message", () => {
    const l = splitVllmLine('(VllmWorker pid=9) INFO 02-28 03:54:16 [cuda.py:427] Using FLASHINFER backend. [repeated 7x across cluster]');
    assert.equal(l.message, 'Using FLASHINFER backend.');
  });

  it('indented pastes (a code block in a Markdown list) are records; indented tracebacks stay plain', () => {
    const l = splitVllmLine('    (EngineCore pid=970) INFO 05-12 11:36:00 [core.py:1201] Shutdown initiated (timeout=0)');
    assert.equal(l.record?.file, 'core.py');
    assert.deepEqual(l.processes, ['EngineCore pid=970']);
    assert.equal(splitVllmLine('    INFO 05-27 11:40:38 [__init__.py:44] Available plugins').record?.line, 44);
    const tb = splitVllmLine('  File "/usr/lib/x.py", line 3, in f');
    assert.equal(tb.record, undefined);
    assert.equal(tb.message, '  File "/usr/lib/x.py", line 3, in f');
  });
});

describe('failures', () => {
  it("NCCL watchdog lines of c10's own logger (month not zero-padded: [E517 ...])", () => {
    assert.deepEqual(brief('[rank0]:[E517 20:17:34.985814210 ProcessGroupNCCL.cpp:689] [Rank 0] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=12, OpType=_ALLGATHER_BASE, Timeout(ms)=600000) ran for 600001 milliseconds before timing out.'), ['1 vllm-log/nccl-error error']);
  });

  it('the exception line is quoted, not the record that announces the traceback', () => {
    const f = findings(lines(
      '(Worker_TP1 pid=43) ERROR 07-16 19:47:26 [multiproc_executor.py:1007] WorkerProc hit an exception.',
      '(Worker_TP1 pid=43) ERROR 07-16 19:47:26 [multiproc_executor.py:1007] Traceback (most recent call last):',
      '(Worker_TP1 pid=43) ERROR 07-16 19:47:26 [multiproc_executor.py:1007]   File "/opt/vllm/worker.py", line 9, in run',
      '(Worker_TP1 pid=43) ERROR 07-16 19:47:26 [multiproc_executor.py:1007] torch.AcceleratorError: CUDA error: an illegal memory access was encountered',
      "(APIServer pid=1) ERROR 07-16 19:47:26 [async_llm.py:704] vllm.v1.engine.exceptions.EngineDeadError: EngineCore encountered an issue. See stack trace (above) for the root cause.",
    ));
    assert.deepEqual(f.map((x) => `${x.range.start.line + 1} ${x.rule} ${x.severity}`), ['4 vllm-log/error error']);
    assert.match(f[0].message, /^vLLM logged an error: torch\.AcceleratorError: CUDA error: an illegal memory access was encountered \(2 more such line\(s\)\)\.$/);
  });

  it('capture failures worded "operation not supported when stream is capturing"', () => {
    const f = findings(lines(
      '(Worker_TP1 pid=15) ERROR 05-08 19:06:38 [multiproc_executor.py:962] WorkerProc hit an exception.',
      '(Worker_TP1 pid=15) ERROR 05-08 19:06:38 [multiproc_executor.py:962] torch.AcceleratorError: CUDA error: operation not supported when stream is capturing',
      "(Worker_TP1 pid=15) ERROR 05-08 19:06:38 [multiproc_executor.py:962] Search for `cudaErrorStreamCaptureUnsupported' in https://docs.nvidia.com/cuda/ for more information.",
    ));
    assert.deepEqual(f.map((x) => `${x.range.start.line + 1} ${x.rule}`), ['2 vllm-log/cuda-graph-capture-failed']);
  });

  it('out of memory on other accelerators: NPU, HPU, XLA RESOURCE_EXHAUSTED', () => {
    assert.deepEqual(brief('ERROR 12-23 07:23:11 [core.py:708] RuntimeError: NPU out of memory. Tried to allocate 2.00 GiB (NPU 0; 60.96 GiB total capacity)'), ['1 vllm-log/out-of-memory error']);
    assert.deepEqual(brief('jaxlib.xla_extension.XlaRuntimeError: RESOURCE_EXHAUSTED: Error allocating device buffer: Attempting to allocate 1.50G.'), ['1 vllm-log/out-of-memory error']);
  });

  it('one KV cache finding when the log shows both the concurrency below 1 and the refusal', () => {
    const f = findings(lines(
      'INFO 12-02 10:00:03 gpu_executor.py:113] # GPU blocks: 1400, # CPU blocks: 2048',
      'INFO 12-02 10:00:03 gpu_executor.py:117] Maximum concurrency for 30000 tokens per request: 0.75x',
      "ERROR 12-02 10:00:03 engine.py:366] The model's max seq len (30000) is larger than the maximum number of tokens that can be stored in KV cache (22400). Try increasing `gpu_memory_utilization` or decreasing `max_model_len` when initializing the engine.",
    ));
    assert.deepEqual(f.map((x) => `${x.range.start.line + 1} ${x.rule}`), ['3 vllm-log/kv-cache-too-small']);
    assert.match(f[0].message, /maximum concurrency 0\.75x at 30,000 tokens per request/);
  });

  it('an error the server got past during start-up is a warning; the same error after start-up stays an error', () => {
    const startup = [
      "(APIServer pid=10) ERROR 09-10 23:26:29 [config.py:130] Error retrieving safetensors: 'acme-20b' is not a safetensors repo., retrying 1 of 2",
      '(APIServer pid=10) INFO 09-10 23:30:00 [api_server.py:1880] Starting vLLM API server 0 on http://0.0.0.0:8000',
    ];
    const f = findings(lines(...startup));
    assert.deepEqual(f.map((x) => `${x.range.start.line + 1} ${x.rule} ${x.severity}`), ['1 vllm-log/error warning']);
    assert.match(f[0].message, /server started after it \(line 2\)/);
    assert.deepEqual(brief(lines(...startup.reverse())), ['2 vllm-log/error error']);
  });

  it('"died unexpectedly" after an orderly shutdown is not a failure; before one it is still reported', () => {
    const died = 'ERROR 05-12 11:36:01 [core_client.py:704] Engine core proc EngineCore died unexpectedly, shutting down client.';
    assert.deepEqual(brief(lines(
      '(EngineCore pid=97) INFO 05-12 11:36:00 [core.py:1201] Shutdown initiated (timeout=0)',
      '(EngineCore pid=97) INFO 05-12 11:36:00 [core.py:1224] Shutdown complete',
      died,
    )), []);
    assert.deepEqual(brief(died), ['1 vllm-log/error error']);
  });

  it('no cuda-graphs-disabled on devices without CUDA graphs (CPU, TPU); on CUDA it stays', () => {
    const engine = (device: string) => `INFO 04-07 08:49:47 [llm_engine.py:241] Initializing a V0 LLM engine (v0.8.1) with config: model='acme/tiny', dtype=torch.bfloat16, max_seq_len=16000, tensor_parallel_size=1, enforce_eager=True, kv_cache_dtype=auto,  device_config=${device}, seed=0`;
    assert.deepEqual(brief(engine('cpu')), []);
    assert.deepEqual(brief(lines('INFO 03-09 06:41:00 [__init__.py:239] Automatically detected platform tpu.', engine('None'))), []);
    assert.deepEqual(brief(engine('cuda')), ['1 vllm-log/cuda-graphs-disabled warning']);
  });
});
