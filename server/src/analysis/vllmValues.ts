/** Checks one value given to a `vllm serve` option against what vLLM's parser accepts. */
import { closest } from '../knowledge/suggest';
import type { VllmFlag } from '../knowledge/types';

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
export function checkVllmValue(flag: VllmFlag, value: string): ValueProblem | undefined {
  if (flag.acceptsNone && (value === 'None' || value === '')) return undefined;
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
