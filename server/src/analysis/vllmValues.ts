/** Checks one value given to a `vllm serve` option against what vLLM's parser accepts. */
import { closest } from '../knowledge/suggest';
import type { VllmFlag } from '../knowledge/types';
import { vllmData } from '../knowledge/vllm';
import { includesChange, versionAround, type ReleaseDate } from '../knowledge/vllmVersions';

export interface ValueProblem {
  rule: 'vllm/invalid-value' | 'vllm/unknown-value' | 'vllm/deprecated-value';
  message: string;
  suggestion?: string;
  /** Overrides the rule's default severity (a deprecated value vLLM refuses is an error). */
  severity?: 'error';
}

const INT = /^[+-]?\d+$/;
/** vLLM's human-readable integers: `32k`, `1.5M`, `80g`, `2Gi`-style suffixes. */
const HUMAN_INT = /^\d+(?:\.\d+)?[kKmMgGtT]i?$/;
const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$|^[+-]?(?:inf|infinity|nan)$/i;

function isInt(value: string, flag: VllmFlag): boolean {
  if (INT.test(value)) return true;
  if (flag.valueFormat?.startsWith('human_readable_int') && HUMAN_INT.test(value)) return true;
  if (flag.valueFormat === 'human_readable_int_or_auto' && value === 'auto') return true;
  return false;
}

/** JSON options parse their whole value as JSON (`json|str` ones also take a plain string). */
function checkJson(value: string): string | undefined {
  const t = value.trim();
  try {
    JSON.parse(t);
    return undefined;
  } catch (e) {
    return (e as Error).message.replace(/^JSON\.parse: /, '');
  }
}

/** vLLM's old `nullable_kvs` syntax: comma-separated `key=integer` pairs (`image=4,video=1`). */
const KEY_VALUE_PAIRS = /^\s*[^=,{}\s][^=,]*=\s*[+-]?\d+\s*(?:,\s*[^=,{}\s][^=,]*=\s*[+-]?\d+\s*)*$/;

function pairsAsJson(value: string): string {
  const entries = value.split(',').map((item) => {
    const [k, v] = item.split('=').map((p) => p.trim());
    return `${JSON.stringify(k.toLowerCase())}: ${Number(v)}`;
  });
  return `{${entries.join(', ')}}`;
}

function around(date: string): string {
  const v = versionAround(date, vllmData().versions);
  return v ? ` (≈${v})` : '';
}

/**
 * JSON options and the older `key=value,…` form, by release: --limit-mm-per-prompt read only
 * key=value pairs at first; then every dict-typed JSON option accepted them as a deprecated
 * fallback; then the fallback was removed. Returns undefined when the value is not a question of
 * form (the plain JSON check then applies), `null` when the form is fine for the release.
 */
function checkKeyValueForm(flag: VllmFlag, value: string, release: ReleaseDate | undefined): ValueProblem | null | undefined {
  const facts = vllmData().keyValueJson;
  if (!facts || !release || flag.type !== 'json') return undefined;
  const onlyPairs = facts.keyValueOnlyBefore.some((f) => f.flag === flag.name);
  const isObject = /^\s*\{[\s\S]*\}\s*$/.test(value);
  const jsonEra = includesChange(facts.fallbackSince, release);
  if (onlyPairs && isObject && jsonEra === 'absent') {
    return {
      rule: 'vllm/invalid-value',
      message: `This vLLM reads ${flag.name} as comma-separated key=value pairs (e.g. image=4,video=1) and rejects JSON, which it accepts only since ${facts.fallbackSince}${around(facts.fallbackSince)}.`,
    };
  }
  if (!KEY_VALUE_PAIRS.test(value) || (!onlyPairs && flag.jsonClass)) return undefined;
  // Before the fallback, only --limit-mm-per-prompt read pairs; the others ran json.loads.
  if (jsonEra === 'absent') return onlyPairs ? null : undefined;
  if (jsonEra === 'unknown') return null;
  const gone = includesChange(facts.removed, release);
  const json = pairsAsJson(value);
  if (gone === 'present') {
    return {
      rule: 'vllm/invalid-value',
      message: `${flag.name} takes JSON: the key=value form \`${value.trim()}\` was removed from vLLM on ${facts.removed}${around(facts.removed)}, so this version exits with "cannot be converted". Write '${json}'.`,
    };
  }
  return {
    rule: 'vllm/deprecated-value',
    message: `The key=value form of ${flag.name} is deprecated (JSON since ${facts.fallbackSince}) and was removed on ${facts.removed}${around(facts.removed)}${gone === 'unknown' ? ', about when this version was released' : ''}. Write '${json}'.`,
  };
}

function checkScalar(flag: VllmFlag, value: string, itemType: string): ValueProblem | undefined {
  switch (itemType) {
    case 'int':
      if (!isInt(value, flag)) {
        const extra = flag.valueFormat === 'human_readable_int_or_auto' ? ' (or `auto`, or a size such as `32k`)' : flag.valueFormat?.startsWith('human_readable') ? ' (or a size such as `32k`)' : '';
        return { rule: 'vllm/invalid-value', message: `${flag.name} takes a whole number${extra}; \`${value}\` is not one, so vLLM exits before loading the model.` };
      }
      return undefined;
    case 'float':
      if (!FLOAT.test(value)) return { rule: 'vllm/invalid-value', message: `${flag.name} takes a number; \`${value}\` is not one, so vLLM exits before loading the model.` };
      return undefined;
    case 'json': {
      const error = checkJson(value);
      if (error) return { rule: 'vllm/invalid-value', message: `${flag.name} takes JSON, and this value does not parse: ${error}.` };
      return undefined;
    }
    default:
      return undefined;
  }
}

function matchChoice(flag: VllmFlag, value: string, list: string[]): boolean {
  if (list.includes(value)) return true;
  if (flag.normaliseValue) return list.includes(value.toLowerCase().replace(/-/g, '_'));
  return false;
}

/** Returns the problem with a single value (one item of a list option), if any. */
/** `release` is the targeted release, for value forms that changed over time. */
export function checkVllmValue(flag: VllmFlag, value: string, release?: ReleaseDate): ValueProblem | undefined {
  if (flag.acceptsNone && (value === 'None' || value === '')) return undefined;
  const form = checkKeyValueForm(flag, value, release);
  if (form !== undefined) return form ?? undefined;
  if (flag.choices) {
    if (matchChoice(flag, value, flag.choices)) {
      if (flag.deprecatedValues?.includes(value)) return deprecatedValue(flag, value);
      return undefined;
    }
    const suggestion = closest(value, flag.choices);
    return {
      rule: 'vllm/invalid-value',
      message: `${flag.name} does not accept \`${value}\`${suggestion ? `; did you mean \`${suggestion}\`?` : '.'} Accepted: ${flag.choices.filter((c) => c !== 'None').join(', ')}.`,
      suggestion,
    };
  }
  const itemType = flag.type.replace(/^list\[(.*)\]$/, '$1');
  const scalar = checkScalar(flag, value, itemType === 'json|str' ? 'str' : itemType);
  if (scalar) return scalar;
  if (flag.knownValues && !matchChoice(flag, value, flag.knownValues)) {
    const suggestion = closest(value, flag.knownValues);
    return {
      rule: 'vllm/unknown-value',
      message: `\`${value}\` is not a value vLLM knows for ${flag.name}${suggestion ? `; did you mean \`${suggestion}\`?` : '.'} Known: ${flag.knownValues.slice(0, 12).join(', ')}${flag.knownValues.length > 12 ? ', …' : ''}. A plugin may add more.`,
      suggestion,
    };
  }
  if (flag.deprecatedValues?.includes(value)) return deprecatedValue(flag, value);
  return undefined;
}

function deprecatedValue(flag: VllmFlag, value: string): ValueProblem {
  if (flag.name === '--quantization') {
    return { rule: 'vllm/deprecated-value', severity: 'error', message: `\`${value}\` is a deprecated quantization method: vLLM refuses to start with it unless --allow-deprecated-quantization is also given.` };
  }
  if (flag.name === '--spec-method') {
    return { rule: 'vllm/deprecated-value', message: `\`${value}\` is an old per-model name: vLLM rewrites it to \`mtp\` and logs a warning. Use \`mtp\`.`, suggestion: 'mtp' };
  }
  return { rule: 'vllm/deprecated-value', message: `\`${value}\` is deprecated for ${flag.name}.` };
}
