/** What a cross-flag rule family is: its rule ids and one check over a deployment. */
import type { FindingSink } from '../analysis/context';
import type { RuleInfo } from '../analysis/rules';
import type { Deployment } from './deployment';

/**
 * What a rule must see whole to be right. Rules about something *missing* (a flag, a variable, an
 * annotation) or about counts are unsound when part of the picture is elsewhere: `arguments` —
 * vLLM's arguments come partly from an expansion (`"${ARGS[@]}"`, `$EXTRA`: Deployment.opaque);
 * `object` — the object is a fragment completed elsewhere (Helm values, a kustomize patch:
 * Deployment.partial). checkDeployments drops such a rule's findings when that part is unseen.
 */
export type Completeness = 'arguments' | 'object';

export interface DeployRuleInfo extends RuleInfo {
  needsAll?: readonly Completeness[];
}

export interface RuleFamily {
  rules: readonly DeployRuleInfo[];
  check(d: Deployment, sink: FindingSink, text: string): void;
}
