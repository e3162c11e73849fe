/** Shapes of the generated knowledge base (server/src/knowledge/generated/*.json). */

export interface VllmFlag {
  name: string;
  aliases: string[];
  group: string;
  /** Normalised type from the extracted parser: str, bool, int, float, json, json|str, list[...], bool|str. */
  type: string;
  /** How many values the flag takes on the command line. */
  takes: 'none' | 'one' | 'optional' | 'list';
  negated?: string;
  /** Values argparse enforces. */
  choices?: string[];
  /** Values vLLM knows but does not enforce at parse time (plugins may add more). */
  knownValues?: string[];
  /** The value is lower-cased and `-` becomes `_` before the choices check. */
  normaliseValue?: boolean;
  valueFormat?: string;
  deprecatedValues?: string[];
  /** The strings `None` and `""` mean "unset". */
  acceptsNone?: boolean;
  jsonClass?: string;
  repeatable?: boolean;
  default?: string;
  /** The newest history sample without the flag, and the first with it. */
  addedAfter?: string;
  addedBy?: string;
  description: string;
  docs: string;
}

export interface RemovedVllmFlag {
  name: string;
  firstSeen?: string;
  lastSeen?: string;
  goneBy: string;
  replacement?: string;
  /** The successor takes the same value: replacing the name is a safe fix. */
  rename?: boolean;
  why?: string;
  pr?: number;
  description: string;
}

export interface VllmDeprecation {
  flag: string;
  entries?: string[];
  since?: string;
  pr?: number;
  errorSince?: string;
  errorBefore?: string;
  replacement?: string;
  why: string;
}

export interface VllmKeyValueJson {
  /** From this date on main, a dict-typed JSON option that is not a `{…}` object is read as `key=int,…` (deprecated). */
  fallbackSince: string;
  fallbackPr?: number;
  /** The key=value fallback was removed on this date. */
  removed: string;
  removedPr?: number;
  /** Options that read only key=value pairs (no JSON) until fallbackSince. */
  keyValueOnlyBefore: Array<{ flag: string; since?: string; pr?: number }>;
}

export interface VllmVersionAnchor {
  version: string;
  date: string;
  kind: 'anchor' | 'release';
}

export interface VllmKnowledgeData {
  snapshot: string;
  newestKnown: string;
  docs: string;
  versions: VllmVersionAnchor[];
  samples: Array<{ label: string; date: string }>;
  deprecated: VllmDeprecation[];
  /** Since this date on main the vllm/vllm-openai image runs `vllm serve` (before: the api_server module). */
  imageEntrypointServeSince: string;
  /** JSON options and the older `key=value,…` form (see scripts/facts/vllm-flag-events.json). */
  keyValueJson?: VllmKeyValueJson;
  /** Since this date on main, `vllm … --omni` hands the command to the vllm-omni package. */
  omniDelegationSince?: string;
  knownValues: Record<string, unknown>;
  flags: VllmFlag[];
  removed: RemovedVllmFlag[];
}

export interface CompoundKey {
  key: string;
  required: boolean;
  placeholder: string;
  values?: string[];
}

export interface CompoundSpec {
  keys: CompoundKey[];
  switches: string[];
  /** The first comma item is a free `NAME=VALUE` pair (`--env-secret VAR=secret,key=k`). */
  freeFirst?: boolean;
  /** A bare number is accepted instead of the key list (`--serving-port 8000`). */
  bareNumber?: boolean;
}

export interface RunaiFlag {
  name: string;
  short?: string;
  /** pflag type name: string, stringArray, strings, ints, bool, int, int32, positiveInt, float, positiveFloat, duration, or an enum type. */
  type: string;
  repeatable?: boolean;
  syntax?: string;
  choices?: string[];
  default?: string;
  appliesTo?: 'workload' | 'leader' | 'workers';
  workerCounterpart?: string;
  compound?: CompoundSpec;
  description: string;
}

export interface RunaiCommand {
  key: string;
  path: string[];
  legacy: boolean;
  docs?: string;
  flags: RunaiFlag[];
}

export interface RunaiKnowledgeData {
  about: string;
  commandTree: Record<string, string[]>;
  commands: RunaiCommand[];
  global: RunaiFlag[];
}

export interface NcclVar {
  name: string;
  type: 'int' | 'bool(0/1)' | 'enum' | 'list' | 'size' | 'string';
  choices?: string[];
  default?: string;
  syntax?: string;
  scope: string;
  documented: boolean;
  since?: string;
  removedAfter?: string;
  aliasOf?: string;
  renamedTo?: string;
  description: string;
  docs: string;
}

export interface NcclKnowledgeData {
  version: string;
  vars: NcclVar[];
}

export interface EnvVar {
  name: string;
  owner: 'vllm' | 'huggingface' | 'runtime';
  type: string;
  choices?: string[];
  caseInsensitive?: boolean;
  default?: string;
  description: string;
  docs: string;
}

export interface EnvKnowledgeData {
  vllmSnapshot: string;
  vars: EnvVar[];
}
