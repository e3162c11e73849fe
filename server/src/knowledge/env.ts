/** Typed access to the vLLM, Hugging Face and runtime environment variables. */
import type { EnvKnowledgeData, EnvVar } from './types';
import { lazy, loadKnowledge } from './load';

export const envData = lazy(() => loadKnowledge<EnvKnowledgeData>('env.json'));

const byName = lazy(() => new Map<string, EnvVar>(envData().vars.map((v) => [v.name, v])));

export function lookupEnvVar(name: string): EnvVar | undefined {
  return byName().get(name);
}

export function vllmEnvNames(): string[] {
  return envData().vars.filter((v) => v.owner === 'vllm').map((v) => v.name);
}
