/**
 * Every rule id the single-flag checks can report, with its default severity and a one-line
 * summary. docs/rules/<id>.md explains each one (a test keeps the two in step).
 */
import type { Severity } from '../protocol/findings';

export interface RuleInfo {
  id: string;
  severity: Severity;
  summary: string;
}

export const RULES: readonly RuleInfo[] = [
  { id: 'vllm/unknown-flag', severity: 'error', summary: 'vllm serve does not accept this option.' },
  { id: 'vllm/abbreviated-flag', severity: 'warning', summary: 'An abbreviated option works today but breaks when vLLM adds a flag with the same prefix.' },
  { id: 'vllm/ambiguous-flag', severity: 'error', summary: 'An abbreviated option matches several vLLM flags, so vLLM refuses it.' },
  { id: 'vllm/invalid-value', severity: 'error', summary: 'The value does not fit the option (type, choices, JSON).' },
  { id: 'vllm/unknown-value', severity: 'warning', summary: 'The value is not among the values vLLM knows for this option.' },
  { id: 'vllm/deprecated-value', severity: 'warning', summary: 'This value is deprecated for the option.' },
  { id: 'vllm/removed-flag', severity: 'error', summary: 'The option was removed from vLLM before the targeted version.' },
  { id: 'vllm/deprecated-flag', severity: 'warning', summary: 'The option still works but is deprecated.' },
  { id: 'vllm/flag-not-in-version', severity: 'error', summary: 'The option was added to vLLM after the targeted version.' },
  { id: 'vllm/unexpected-argument', severity: 'error', summary: 'vLLM would reject or misread this extra argument.' },
  { id: 'vllm/served-model-name-without-model', severity: 'error', summary: 'vllm serve refuses --served-model-name when no model comes first.' },
  { id: 'runai/unknown-command', severity: 'error', summary: 'The runai CLI has no such subcommand.' },
  { id: 'runai/unknown-flag', severity: 'error', summary: 'The runai command does not accept this flag.' },
  { id: 'runai/invalid-value', severity: 'error', summary: 'The flag value does not fit its type (number, duration, choice).' },
  { id: 'runai/malformed-value', severity: 'error', summary: 'A key=value list flag has an unknown, missing or invalid key.' },
  { id: 'runai/environment-asset', severity: 'warning', summary: '--environment names an environment asset; NAME=VALUE belongs in --environment-variable.' },
  { id: 'nccl/unknown-variable', severity: 'warning', summary: 'NCCL reads no variable of this name, so the setting has no effect.' },
  { id: 'nccl/invalid-value', severity: 'error', summary: 'NCCL cannot read the value as meant and silently uses something else (often 0 or its default).' },
  { id: 'nccl/removed-variable', severity: 'warning', summary: 'Current NCCL releases no longer read this variable.' },
  { id: 'nccl/renamed-variable', severity: 'warning', summary: 'The variable was renamed; the old name is ignored.' },
  { id: 'env/unknown-vllm-variable', severity: 'warning', summary: 'vLLM registers no environment variable of this name.' },
  { id: 'env/invalid-value', severity: 'error', summary: 'The value does not fit what vLLM or Hugging Face expect for this variable.' },
  { id: 'yaml/env-value-not-string', severity: 'error', summary: 'A container env value must be a string; Kubernetes rejects numbers and booleans.' },
  { id: 'yaml/syntax-error', severity: 'error', summary: 'The file is not valid YAML, so nothing in it can be applied or checked.' },
  { id: 'duplicate-flag', severity: 'warning', summary: 'The flag is given twice; only the last value counts.' },
  { id: 'missing-value', severity: 'error', summary: 'The flag needs a value and has none.' },
  { id: 'schema/invalid-field', severity: 'error', summary: 'A Kubernetes or CNI field is unknown, missing, or has a value of the wrong type or not among the allowed ones.' },
  { id: 'schema/cni-config-json', severity: 'error', summary: 'The CNI configuration string of a NetworkAttachmentDefinition is not valid JSON.' },
  { id: 'vllm-config/unknown-key', severity: 'error', summary: 'A key of a vllm serve --config file is not a vLLM option.' },
  { id: 'vllm-config/invalid-value', severity: 'error', summary: 'A value in a vllm serve --config file does not fit its option.' },
];

const byId = new Map(RULES.map((r) => [r.id, r]));

export function ruleInfo(id: string): RuleInfo | undefined {
  return byId.get(id);
}

/** Registers rules defined elsewhere (cross-flag rules, log findings) so configuration and docs see them. */
export function registerRules(rules: readonly RuleInfo[]): void {
  for (const r of rules) if (!byId.has(r.id)) byId.set(r.id, r);
}

export function allRules(): RuleInfo[] {
  return [...byId.values()];
}

export const DOCS_BASE = 'https://github.com/runai-vllm-nccl/runai-vllm-nccl/blob/main/docs/rules/';

export function ruleDocsPath(id: string): string {
  return `docs/rules/${id.replace(/\//g, '-')}.md`;
}
