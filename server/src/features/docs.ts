/** Markdown documentation for flags and variables, shared by hover and completion. */
import type { EnvVar, NcclVar, RunaiCommand, RunaiFlag, VllmFlag } from '../knowledge/types';
import { removedVllmFlag, vllmData, vllmDeprecation } from '../knowledge/vllm';
import { versionAround } from '../knowledge/vllmVersions';

const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

function list(values: string[], max = 24): string {
  const shown = values.slice(0, max).map(code).join(', ');
  return values.length > max ? `${shown}, … (${values.length} in all)` : shown;
}

export function vllmFlagDoc(flag: VllmFlag): string {
  const names = [flag.name, ...flag.aliases, ...(flag.negated ? [flag.negated] : [])].map(code).join(' · ');
  const lines = [`**${flag.name}** — vLLM serve${flag.group !== '(top-level)' ? ` · ${flag.group}` : ''}`, '', flag.description, ''];
  const facts: string[] = [`Spellings: ${names}`];
  const valueKind = flag.takes === 'none' ? 'switch (no value)' : flag.takes === 'list' ? `one or more ${flag.type.replace(/^list\[(.*)\]$/, '$1')} values` : flag.takes === 'optional' ? `optional ${flag.type} value` : flag.type;
  facts.push(`Takes: ${valueKind}${flag.valueFormat?.startsWith('human_readable') ? ' (sizes such as `32k` accepted)' : ''}`);
  if (flag.default !== undefined) facts.push(`Default: ${code(flag.default)}`);
  if (flag.choices) facts.push(`Choices: ${list(flag.choices)}`);
  if (flag.knownValues) facts.push(`Known values: ${list(flag.knownValues)} (not enforced at parse time)`);
  if (flag.addedBy && flag.addedAfter) facts.push(`Added to vLLM between ${flag.addedAfter} and ${flag.addedBy} (${versionAround(flag.addedBy, vllmData().versions) ?? 'recent'} or later)`);
  const dep = vllmDeprecation(flag.name);
  if (dep) facts.push(`Deprecated: ${dep.why}${dep.replacement ? `; use ${dep.replacement}` : ''}`);
  if (flag.jsonClass) facts.push(`JSON object (${flag.jsonClass}); dotted keys such as ${code(`${flag.name}.key value`)} work too`);
  lines.push(facts.map((f) => `- ${f}`).join('\n'), '', `[vLLM documentation](${flag.docs})`);
  return lines.join('\n');
}

export function removedVllmFlagDoc(name: string): string | undefined {
  const r = removedVllmFlag(name);
  if (!r) return undefined;
  const around = versionAround(r.goneBy, vllmData().versions);
  return [
    `**${r.name}** — removed vLLM option`,
    '',
    r.description,
    '',
    `- Removed from vLLM main by ${r.goneBy}${around ? ` (releases from about ${around} reject it)` : ''}${r.pr ? `, PR #${r.pr}` : ''}`,
    ...(r.replacement ? [`- Use instead: ${code(r.replacement)}`] : []),
    ...(r.why ? [`- Why: ${r.why}`] : []),
  ].join('\n');
}

export function runaiFlagDoc(flag: RunaiFlag, command?: RunaiCommand): string {
  const title = `**${flag.name}**${flag.short ? ` (${code(flag.short)})` : ''} — runai${command ? ` ${command.path.join(' ')}` : ''}`;
  const facts: string[] = [`Type: ${flag.type}${flag.repeatable ? ' (repeatable)' : ''}`];
  if (flag.syntax) facts.push(`Value: ${code(flag.syntax)}`);
  if (flag.choices) facts.push(`Choices: ${list(flag.choices)}`);
  if (flag.default !== undefined) facts.push(`Default: ${code(flag.default)}`);
  if (flag.appliesTo) facts.push(`Applies to: ${flag.appliesTo === 'leader' ? 'the leader pod (copied to workers unless overridden)' : flag.appliesTo === 'workers' ? 'worker pods only' : 'the whole workload'}`);
  if (flag.workerCounterpart) facts.push(`Worker counterpart: ${code(flag.workerCounterpart)}`);
  if (command?.legacy) facts.push('From the legacy (2.19–2.20) CLI reference');
  return [title, '', flag.description, '', facts.map((f) => `- ${f}`).join('\n'), ...(command?.docs ? ['', `[Run:ai CLI reference](${command.docs})`] : [])].join('\n');
}

export function runaiCommandDoc(command: RunaiCommand): string {
  return [`**runai ${command.path.join(' ')}**${command.legacy ? ' (legacy CLI)' : ''}`, '', `${command.flags.length} documented flags.`, ...(command.docs ? ['', `[Run:ai CLI reference](${command.docs})`] : [])].join('\n');
}

export function ncclVarDoc(v: NcclVar): string {
  const facts: string[] = [`Type: ${v.type}`];
  if (v.default !== undefined) facts.push(`Default: ${code(v.default)}`);
  if (v.choices) facts.push(`Values: ${list(v.choices)}`);
  if (v.syntax) facts.push(`Syntax: ${v.syntax}`);
  if (v.since) facts.push(`Since NCCL ${v.since}`);
  if (v.removedAfter) facts.push(`No longer read after NCCL ${v.removedAfter}`);
  if (v.renamedTo ?? v.aliasOf) facts.push(`Renamed: use ${code((v.renamedTo ?? v.aliasOf)!)}`);
  if (!v.documented) facts.push('Not in NVIDIA’s documented list: an internal knob that may change between releases');
  if (v.scope !== 'core') facts.push(`Read by ${v.scope.replace(/^(\w+):/, '$1 ')} (not core libnccl)`);
  return [`**${v.name}** — NCCL`, '', v.description, '', facts.map((f) => `- ${f}`).join('\n'), '', `[NCCL documentation](${v.docs})`].join('\n');
}

export function envVarDoc(v: EnvVar): string {
  const owner = v.owner === 'vllm' ? 'vLLM' : v.owner === 'huggingface' ? 'Hugging Face' : 'runtime';
  const facts: string[] = [`Type: ${v.type}`];
  if (v.default !== undefined) facts.push(`Default: ${code(v.default)}`);
  if (v.choices) facts.push(`Values: ${list(v.choices)}`);
  return [`**${v.name}** — ${owner} environment variable`, '', v.description, '', facts.map((f) => `- ${f}`).join('\n'), '', `[Documentation](${v.docs})`].join('\n');
}
