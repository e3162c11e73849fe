/**
 * The cross-flag rules: each family checks one deployment (a Run:ai command, a container, a
 * vLLM command line with its exported variables). Adding a rule = one family file entry, one docs
 * page, its tests.
 */
import { FindingSink } from '../analysis/context';
import { registerRules } from '../analysis/rules';
import type { Deployment } from './deployment';
import type { RuleFamily } from './types';
import { parallelism } from './parallelism';
import { ports } from './ports';
import { offline } from './offline';
import { ncclNetworking } from './ncclNetworking';
import { security } from './security';
import { images } from './images';
import { serving } from './serving';

export const RULE_FAMILIES: readonly RuleFamily[] = [parallelism, ports, offline, ncclNetworking, security, images, serving];

registerRules(RULE_FAMILIES.flatMap((f) => f.rules));

const NEEDS = new Map(RULE_FAMILIES.flatMap((f) => f.rules).flatMap((r) => (r.needsAll ? [[r.id, r.needsAll] as const] : [])));

/** Whether the deployment shows everything `rule` must see (see Completeness). */
function seenWhole(d: Deployment, rule: string): boolean {
  const needs = NEEDS.get(rule);
  return !needs || !((d.opaque && needs.includes('arguments')) || (d.partial && needs.includes('object')));
}

export function checkDeployments(deployments: Deployment[], sink: FindingSink, text: string): void {
  for (const d of deployments) {
    // Rules run the same way on every deployment; what they cannot know here is dropped in one place.
    const out = d.opaque || d.partial ? new FindingSink() : sink;
    for (const family of RULE_FAMILIES) family.check(d, out, text);
    if (out !== sink) sink.findings.push(...out.findings.filter((f) => seenWhole(d, f.rule)));
  }
}
