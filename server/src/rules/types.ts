/** What a cross-flag rule family is: its rule ids and one check over a deployment. */
import type { FindingSink } from '../analysis/context';
import type { RuleInfo } from '../analysis/rules';
import type { Deployment } from './deployment';

export interface RuleFamily {
  rules: readonly RuleInfo[];
  check(d: Deployment, sink: FindingSink, text: string): void;
}
