/** Typed access to the vLLM, Hugging Face and runtime environment variables. */
import data from './generated/env.json';
import type { EnvKnowledgeData, EnvVar } from './types';

export const envData = data as EnvKnowledgeData;

const byName = new Map<string, EnvVar>(envData.vars.map((v) => [v.name, v]));

export function lookupEnvVar(name: string): EnvVar | undefined {
  return byName.get(name);
}

export function allEnvNames(): string[] {
  return [...byName.keys()];
}

export function vllmEnvNames(): string[] {
  return envData.vars.filter((v) => v.owner === 'vllm').map((v) => v.name);
}
