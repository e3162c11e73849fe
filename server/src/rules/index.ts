/**
 * The cross-flag rules: each family checks one deployment (a Run:ai command, a container, a
 * vLLM command line with its exported variables). Adding a rule = one family file entry, one docs
 * page, its tests.
 */
import type { FindingSink } from '../analysis/context';
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

export function checkDeployments(deployments: Deployment[], sink: FindingSink, text: string): void {
  for (const d of deployments) for (const family of RULE_FAMILIES) family.check(d, sink, text);
}
