/**
 * Air-gapped deployments: both offline switches, a local model path on a mounted volume, and a
 * served model name for it. One switch alone, a hub id, or a path outside every volume means a
 * download attempt or a missing model, found only after the pod has started.
 */
import type { RuleFamily } from './types';
import { envName, envValue, hasVllmOption, isTruthy, type Deployment } from './deployment';
import type { OffsetFix } from '../analysis/context';

const OFFLINE = ['HF_HUB_OFFLINE', 'TRANSFORMERS_OFFLINE'] as const;
const HUB_ID = /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/;

function model(d: Deployment): { value: string; start: number; end: number } | undefined {
  const m = d.vllm?.model;
  if (!m || m.word.expansions.length > 0) return undefined;
  const value = m.word.value.slice(m.from);
  const start = m.word.offsets[m.from] ?? m.word.start;
  return { value, start, end: start + value.length };
}

/** Variables that place the Hugging Face cache (where an offline hub id is looked up). */
const CACHE_VARS = ['HF_HOME', 'HF_HUB_CACHE', 'HUGGINGFACE_HUB_CACHE', 'TRANSFORMERS_CACHE'] as const;

/**
 * The Hugging Face cache lies on a mounted volume (`--existing-pvc ...,path=/models -e
 * HF_HOME=/models/.cache/huggingface`): a hub id then resolves from that volume, like a local path.
 * A cache variable set from an expansion is not judged.
 */
function cacheOnVolume(d: Deployment): boolean {
  if (d.mountPaths.length === 0) return false;
  return CACHE_VARS.some((n) => {
    if (!d.env.has(n)) return false;
    const v = envValue(d, n)?.value;
    if (v === undefined) return true;
    return d.mountPaths.some((p) => v === p.value || v.startsWith(p.value.endsWith('/') ? p.value : `${p.value}/`));
  });
}

/** Adds the missing variable right after the one that is set, in the same style. */
function addVariableFix(d: Deployment, present: string, missing: string, text: string): OffsetFix[] {
  const a = d.env.get(present);
  if (!a) return [];
  const end = a.word.end;
  if (a.source === 'runai') {
    const flag = /--environment-variable|-e\b/.exec(text.slice(Math.max(0, a.word.start - 40), a.word.start))?.[0] ?? '--environment-variable';
    return [{ title: `Also set ${missing}=1`, preferred: true, edits: [{ start: end, end, newText: ` ${flag} ${missing}=1` }] }];
  }
  if (a.source === 'export' || a.source === 'prefix' || a.source === 'env') return [{ title: `Also set ${missing}=1`, preferred: true, edits: [{ start: end, end, newText: ` ${missing}=1` }] }];
  return [];
}

export const offline: RuleFamily = {
  rules: [
    { id: 'deploy/offline-partial', severity: 'warning', summary: 'Only one of HF_HUB_OFFLINE and TRANSFORMERS_OFFLINE is set.', needsAll: ['object'] },
    { id: 'deploy/offline-hub-model', severity: 'warning', summary: 'Offline mode with a Hugging Face hub id instead of a local model path.' },
    { id: 'deploy/model-not-mounted', severity: 'warning', summary: 'The model path is not under any volume mounted into the container.', needsAll: ['object'] },
    { id: 'deploy/served-model-name-missing', severity: 'info', summary: 'A model given as a path without --served-model-name: clients must use the full path as the model name.', needsAll: ['arguments', 'object'] },
  ],
  check(d, sink, text) {
    const set = OFFLINE.filter((n) => isTruthy(envValue(d, n)?.value));
    const unknown = OFFLINE.filter((n) => d.env.has(n) && !envValue(d, n));
    if (set.length === 1 && unknown.length === 0 && !d.env.has(OFFLINE.find((n) => n !== set[0])!)) {
      const present = set[0];
      const missing = OFFLINE.find((n) => n !== present)!;
      const at = envName(d, present)!;
      sink.report('deploy/offline-partial', at.start, at.end, `${present} is set but ${missing} is not. Set both: libraries that read only the other one may still try to reach the Hugging Face Hub, which fails (slowly) on an air-gapped cluster.`, {
        fixes: addVariableFix(d, present, missing, text),
      });
    }
    const m = model(d);
    if (!m) return;
    if (set.length > 0 && HUB_ID.test(m.value) && !m.value.startsWith('/') && !cacheOnVolume(d)) {
      sink.report('deploy/offline-hub-model', m.start, m.end, `Offline mode is on, but the model is the hub id \`${m.value}\`: vLLM can only use it if it is already in the Hugging Face cache (HF_HOME). Point to the model's local path on the mounted volume instead.`);
    }
    if (m.value.startsWith('/') && d.mountPaths.length > 0 && !d.mountPaths.some((p) => m.value === p.value || m.value.startsWith(p.value.endsWith('/') ? p.value : `${p.value}/`))) {
      sink.report('deploy/model-not-mounted', m.start, m.end, `The model path ${m.value} is under none of the mounted paths (${d.mountPaths.map((p) => p.value).join(', ')}); vLLM will not find the weights. Mount the volume that holds them, or fix the path.`);
    }
    // Headless multi-node workers serve no API, so they need no served name.
    if (m.value.startsWith('/') && !hasVllmOption(d, '--served-model-name') && !hasVllmOption(d, '--headless')) {
      sink.report('deploy/served-model-name-missing', m.start, m.end, `Without --served-model-name the API serves this model under its full path \`${m.value}\`, and clients must send that as the model name. Add --served-model-name with a short, stable name.`);
    }
  },
};
