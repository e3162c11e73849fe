/**
 * Reads vLLM's engine configuration line. The V1 engine core logs
 * `Initializing a V1 LLM engine (v%s) with config: %s` with VllmConfig's `__str__`:
 * `model='...', speculative_config=None, tokenizer='...', ..., dtype=torch.bfloat16, max_seq_len=N,
 * ..., tensor_parallel_size=N, pipeline_parallel_size=N, data_parallel_size=N, ..., quantization=fp8,
 * enforce_eager=False, kv_cache_dtype=auto, ..., enable_prefix_caching=True,
 * chunked_prefill_enabled=True (later enable_chunked_prefill=True), ..., compilation_config={...}`.
 * The compilation config is a Python dict repr in current releases (`'mode': <CompilationMode.
 * VLLM_COMPILE: 3>`, `'cudagraph_mode': <CUDAGraphMode.FULL_AND_PIECEWISE: (2, 1)>`) and JSON in
 * older ones (`"level":3, "use_cudagraph":true, "cudagraph_capture_sizes":[512,...]`). The V0 engine
 * logged `Initializing an LLM engine (v%s) with config: model=%r, ...)` with a closing parenthesis; releases
 * before 0.3.3 logged no version at all (`Initializing an LLM engine with config: model=...`).
 */
import type { SourceRef, VllmCompilation, VllmEngineConfig } from './model';
import { parsePyLiteral, splitKeyValues, type PyValue } from './pyLiteral';

const ENGINE_LINE = /^Initializing an? (?:(V\d) )?LLM engine (?:\(v?([^)\s]{1,64})\) )?with config: /;
const MAX_FIELD = 512;
const MODE_NAMES = ['NONE', 'STOCK_TORCH_COMPILE', 'DYNAMO_TRACE_ONCE', 'VLLM_COMPILE'];
const CUDAGRAPH_NAMES: Record<string, string> = { '0': 'NONE', '1': 'PIECEWISE', '2': 'FULL', '2,0': 'FULL_DECODE_ONLY', '2,1': 'FULL_AND_PIECEWISE' };

export function isEngineConfigLine(message: string): boolean {
  return ENGINE_LINE.test(message);
}

function unquote(v: string): string {
  const p = /^['"]/.test(v) ? parsePyLiteral(v) : undefined;
  return p && typeof p.value === 'string' ? p.value : v;
}

/** The first word of a value: some releases' format strings miss a comma (`=True multi_step...`). */
const head = (v: string | undefined) => v?.split(/\s/, 1)[0];

function int(v: string | undefined): number | undefined {
  const h = head(v);
  return h !== undefined && /^-?\d{1,15}$/.test(h) ? Number(h) : undefined;
}

function bool(v: string | undefined): boolean | undefined {
  const h = head(v);
  if (h === 'True' || h === 'true') return true;
  if (h === 'False' || h === 'false') return false;
  return undefined;
}

export function readEngineConfig(message: string, ref: SourceRef): VllmEngineConfig | undefined {
  const m = ENGINE_LINE.exec(message);
  if (!m) return undefined;
  const pairs = splitKeyValues(message.slice(m[0].length));
  const raw: Record<string, string> = {};
  for (const p of pairs) if (!(p.key in raw)) raw[p.key] = p.value;
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) fields[k] = v.length > MAX_FIELD ? `${v.slice(0, MAX_FIELD)}…` : v;
  const cfg: VllmEngineConfig = { engine: m[1] ?? 'V0', version: m[2], fields, ref };
  if (raw.model !== undefined) cfg.model = unquote(raw.model);
  if (raw.tokenizer !== undefined) cfg.tokenizer = unquote(raw.tokenizer);
  if (raw.served_model_name !== undefined) cfg.servedModelName = unquote(raw.served_model_name);
  if (raw.dtype !== undefined) cfg.dtype = raw.dtype.replace(/^torch\./, '');
  if (raw.quantization !== undefined) cfg.quantization = raw.quantization === 'None' ? null : unquote(raw.quantization);
  cfg.maxSeqLen = int(raw.max_seq_len);
  cfg.tensorParallelSize = int(raw.tensor_parallel_size);
  cfg.pipelineParallelSize = int(raw.pipeline_parallel_size);
  cfg.dataParallelSize = int(raw.data_parallel_size);
  cfg.enforceEager = bool(raw.enforce_eager);
  if (raw.kv_cache_dtype !== undefined) cfg.kvCacheDtype = unquote(raw.kv_cache_dtype);
  cfg.enablePrefixCaching = bool(raw.enable_prefix_caching);
  cfg.chunkedPrefill = bool(raw.chunked_prefill_enabled ?? raw.enable_chunked_prefill);
  cfg.trustRemoteCode = bool(raw.trust_remote_code);
  if (raw.load_format !== undefined) cfg.loadFormat = unquote(raw.load_format);
  if (raw.compilation_config !== undefined) cfg.compilation = readCompilation(raw.compilation_config);
  for (const k of Object.keys(cfg) as (keyof VllmEngineConfig)[]) if (cfg[k] === undefined) delete cfg[k];
  return cfg;
}

function asObject(v: PyValue | undefined): Record<string, PyValue> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
}

/** `CompilationMode.VLLM_COMPILE: 3` (an enum repr read as text) -> name and value. */
function enumParts(v: PyValue | undefined): { name?: string; value?: string } {
  if (typeof v === 'number') return { value: String(v) };
  if (Array.isArray(v)) return { value: v.join(',') };
  if (typeof v !== 'string') return {};
  const m = /^(?:[A-Za-z_]\w*\.)?([A-Z_][A-Z0-9_]*)(?::\s*\(?([\d, ]*)\)?)?$/.exec(v.trim());
  return m ? { name: m[1], value: m[2]?.replace(/\s/g, '') || undefined } : {};
}

export function readCompilation(text: string): VllmCompilation {
  const out: VllmCompilation = { fusions: [] };
  const obj = asObject(parsePyLiteral(text)?.value);
  if (!obj) {
    // Cut off or unreadable: take what the common keys say.
    const mode = /['"](?:mode|level)['"]:\s*(?:<CompilationMode\.(\w+): (\d)>|(\d))/.exec(text);
    if (mode) out.mode = Number(mode[2] ?? mode[3]);
    const sizes = /['"]cudagraph_capture_sizes['"]:\s*\[([\d,\s]*)\]/.exec(text);
    if (sizes) out.cudagraphCaptureSizes = sizes[1].split(',').map((s) => s.trim()).filter(Boolean).map(Number);
    if (out.mode !== undefined) out.modeName = MODE_NAMES[out.mode];
    return out;
  }
  const mode = enumParts(obj.mode);
  const level = typeof obj.level === 'number' ? obj.level : undefined;
  if (level !== undefined) out.level = level;
  const modeValue = mode.value !== undefined ? Number(mode.value) : level;
  if (modeValue !== undefined && Number.isFinite(modeValue)) out.mode = modeValue;
  const modeName = mode.name ?? (out.mode !== undefined ? MODE_NAMES[out.mode] : undefined);
  if (modeName) out.modeName = modeName;
  const cg = enumParts(obj.cudagraph_mode);
  const cgName = cg.name ?? (cg.value !== undefined ? CUDAGRAPH_NAMES[cg.value] : undefined);
  if (cgName) out.cudagraphMode = cgName;
  if (Array.isArray(obj.cudagraph_capture_sizes)) {
    out.cudagraphCaptureSizes = obj.cudagraph_capture_sizes.filter((x): x is number => typeof x === 'number').sort((a, b) => a - b);
  }
  const max = obj.max_cudagraph_capture_size ?? obj.max_capture_size;
  if (typeof max === 'number') out.maxCaptureSize = max;
  if (typeof obj.use_cudagraph === 'boolean') out.useCudagraph = obj.use_cudagraph;
  if (typeof obj.backend === 'string' && obj.backend) out.backend = obj.backend;
  if (Array.isArray(obj.custom_ops)) out.customOps = obj.custom_ops.filter((x): x is string => typeof x === 'string');
  const pass = asObject(obj.pass_config);
  if (pass) {
    for (const [k, v] of Object.entries(pass)) {
      if (v !== true) continue;
      const name = k.replace(/^(?:fuse|enable)_/, '');
      if (!/noop|^sp$|sequence_parallelism/.test(name) && k !== name) out.fusions.push(name);
    }
  }
  return out;
}
