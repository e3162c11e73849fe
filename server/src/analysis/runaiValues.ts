/** Value checks for Run:ai flags: pflag scalar types, enums and `key=value,...` lists. */
import { valueRange, type Word } from '../shell/lexer';
import { closest } from '../knowledge/suggest';
import type { RunaiFlag } from '../knowledge/types';
import { replaceFix, type FindingSink } from './context';

export interface ScalarProblem {
  message: string;
  suggestion?: string;
}

const INT = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** Go's time.ParseDuration: a sequence of decimal numbers with units, or a bare 0. */
const DURATION = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$|^[+-]?0$/;
/** Kubernetes resource quantity: `500M`, `1Gi`, `0.5`, `1e3`. */
const QUANTITY = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+|[numkMGTPE]|[KMGTPE]i)?$/;

export function checkRunaiScalar(flag: RunaiFlag, value: string): ScalarProblem | undefined {
  if (flag.choices) {
    if (flag.choices.includes(value)) return undefined;
    const suggestion = closest(value, flag.choices);
    return { message: `${flag.name} accepts ${flag.choices.join(', ')}; \`${value}\` is none of them${suggestion ? ` (did you mean \`${suggestion}\`?)` : ''}.`, suggestion };
  }
  switch (flag.type) {
    case 'int':
    case 'int32':
      return INT.test(value) ? undefined : { message: `${flag.name} takes a whole number; \`${value}\` is not one.` };
    case 'positiveInt':
      return INT.test(value) && Number(value) > 0 ? undefined : { message: `${flag.name} takes a whole number above 0; \`${value}\` is not one.` };
    case 'float':
    case 'float32':
      return FLOAT.test(value) ? undefined : { message: `${flag.name} takes a number; \`${value}\` is not one.` };
    case 'positiveFloat': {
      if (!FLOAT.test(value) || Number(value) <= 0) return { message: `${flag.name} takes a number above 0; \`${value}\` is not one.` };
      if (/portion/.test(flag.name) && Number(value) > 1) return { message: `${flag.name} is a fraction of one GPU, in (0, 1]; \`${value}\` is larger. Use -g/--gpu-devices-request for whole GPUs.` };
      return undefined;
    }
    case 'duration':
      return DURATION.test(value) ? undefined : { message: `${flag.name} takes a Go duration such as 30s, 5m or 1h30m; \`${value}\` is not one (a unit is required).` };
    case 'ints':
      return value.split(',').every((v) => INT.test(v)) ? undefined : { message: `${flag.name} takes comma-separated whole numbers; \`${value}\` is not.` };
    case 'string':
      if (/QUANTITY/.test(flag.syntax ?? '') && !QUANTITY.test(value)) return { message: `${flag.name} takes a Kubernetes quantity such as 500M or 1Gi; \`${value}\` is not one.` };
      return undefined;
    default:
      return undefined;
  }
}

/** Checks a `key=value,key2=value2,switch` list against its spec, with ranges on the exact item. */
export function checkCompound(word: Word, from: number, flag: RunaiFlag, sink: FindingSink): void {
  const spec = flag.compound!;
  const value = word.value.slice(from);
  if (spec.bareNumber && /^\d+$/.test(value)) return;
  const seen = new Set<string>();
  let offset = from;
  const items = value.split(',');
  items.forEach((item, index) => {
    const start = offset;
    offset += item.length + 1;
    if (index === 0 && spec.freeFirst) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(item)) {
        const [s, e] = valueRange(word, start, start + Math.max(item.length, 1));
        sink.report('runai/malformed-value', s, e, `${flag.name} starts with NAME=VALUE (${flag.syntax}); \`${item}\` is not.`);
      }
      return;
    }
    if (item === '') {
      const [s, e] = valueRange(word, Math.max(from, start - 1), start);
      sink.report('runai/malformed-value', s, e, `${flag.name} has an empty item (two commas or a trailing comma).`);
      return;
    }
    const eq = item.indexOf('=');
    const key = eq >= 0 ? item.slice(0, eq) : item;
    const [ks, ke] = valueRange(word, start, start + key.length);
    if (eq < 0) {
      if (spec.switches.includes(key)) {
        seen.add(key);
        return;
      }
      const keyed = spec.keys.find((k) => k.key === key);
      const suggestion = closest(key, [...spec.keys.map((k) => k.key), ...spec.switches]);
      sink.report('runai/malformed-value', ks, ke, keyed ? `${flag.name}: \`${key}\` needs a value (\`${key}=${keyed.placeholder}\`).` : `${flag.name} has no option \`${key}\`${suggestion ? `; did you mean \`${suggestion}\`?` : '.'} Syntax: ${flag.syntax}.`, {
        fixes: suggestion && !keyed ? [replaceFix(`Change to ${suggestion}`, ks, ke, suggestion)] : [],
      });
      return;
    }
    const keySpec = spec.keys.find((k) => k.key === key);
    if (!keySpec) {
      const suggestion = closest(key, spec.keys.map((k) => k.key));
      sink.report('runai/malformed-value', ks, ke, `${flag.name} has no key \`${key}\`${suggestion ? `; did you mean \`${suggestion}\`?` : '.'} Syntax: ${flag.syntax}.`, {
        fixes: suggestion ? [replaceFix(`Change to ${suggestion}`, ks, ke, suggestion)] : [],
      });
      return;
    }
    if (seen.has(key)) {
      sink.report('runai/malformed-value', ks, ke, `${flag.name} sets \`${key}\` twice.`);
    }
    seen.add(key);
    const v = item.slice(eq + 1);
    const vStart = start + eq + 1;
    const [vs, ve] = v.length ? valueRange(word, vStart, vStart + v.length) : [ks, ke];
    if (v === '') {
      sink.report('runai/malformed-value', ks, ke, `${flag.name}: \`${key}=\` has an empty value.`);
    } else if (keySpec.values && !keySpec.values.includes(v)) {
      const suggestion = closest(v, keySpec.values);
      sink.report('runai/malformed-value', vs, ve, `${flag.name}: \`${key}\` accepts ${keySpec.values.join(', ')}; \`${v}\` is none of them.`, {
        fixes: suggestion ? [replaceFix(`Change to ${suggestion}`, vs, ve, suggestion)] : [],
      });
    } else if (isPortPlaceholder(keySpec.placeholder) && !(/^\d+$/.test(v) && +v > 0 && +v < 65536)) {
      sink.report('runai/malformed-value', vs, ve, `${flag.name}: \`${key}\` is a port number (1–65535); \`${v}\` is not.`);
    } else if (isMountPath(flag.name, keySpec.key, keySpec.placeholder) && !v.startsWith('/')) {
      sink.report('runai/malformed-value', vs, ve, `${flag.name}: \`${key}\` is a mount path inside the container and must be absolute; \`${v}\` is not.`);
    }
  });
  for (const k of spec.keys) {
    if (k.required && !seen.has(k.key)) {
      sink.report('runai/malformed-value', word.offsets[from] ?? word.start, word.end, `${flag.name} is missing \`${k.key}=${k.placeholder}\` (${flag.syntax}).`);
    }
  }
}

/** `PORT`, `CONTAINER_PORT`: a port number; not `EXPORT_PATH` (--nfs path=EXPORT_PATH is a directory). */
function isPortPlaceholder(placeholder: string): boolean {
  return /(?:^|_)PORT$/.test(placeholder);
}

/** Keys that name where a volume appears inside the container (these must be absolute paths). */
function isMountPath(flagName: string, key: string, placeholder: string): boolean {
  if (/MOUNT_PATH|CONTAINER_PATH/.test(placeholder)) return true;
  return key === 'path' && /existing-pvc|new-pvc|secret-volume|configmap-map-volume|empty-dir-volume/.test(flagName);
}
