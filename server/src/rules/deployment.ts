/**
 * One deployment as the cross-flag rules see it, whatever it was written in: a `runai ... -- vllm`
 * command, a Kubernetes container, or a `vllm serve` line with the variables exported before it.
 * Every fact carries the source range it came from, and a fact whose value comes from an
 * expansion (`${TP}`, `$(LWS_GROUP_SIZE)`, a Helm action) is simply absent: rules never guess.
 */
import type { EnvAssignment } from '../shell/invocations';
import { hasExpansion, valueRange, type Word } from '../shell/lexer';
import type { VllmParse } from '../analysis/vllmArgs';

export interface Fact<T> {
  value: T;
  start: number;
  end: number;
}

export interface Deployment {
  kind: 'runai' | 'yaml' | 'shell';
  /** The vLLM server this deployment runs, when there is one. */
  vllm?: VllmParse;
  /** Where the deployment starts (for findings about something missing). */
  anchor: Fact<string>;
  env: Map<string, EnvAssignment>;
  image?: Fact<string>;
  /** GPUs each pod gets (`-g`, `nvidia.com/gpu`). */
  gpusPerPod?: Fact<number>;
  /** Pods that run one model instance together (Run:ai leader + workers, LWS size). */
  pods?: Fact<number>;
  /** One pod of a cluster whose size rules cannot count (a KubeRay head or worker group). */
  inCluster?: boolean;
  /** What `pods` was derived from, for messages. */
  podsNote?: string;
  /** GPUs of all pods of one model instance, when they differ per pod (Run:ai worker GPUs). */
  gpusTotal?: number;
  /** The port the platform sends traffic to (`--serving-port`, `containerPort`). */
  servingPorts: Fact<number>[];
  mountPaths: Fact<string>[];
  annotations: Map<string, Fact<string>>;
  /** Extended resources requested (`openshift.io/mellanoxnics`, `rdma/...`). */
  resources: Fact<string>[];
  runAsUser?: Fact<number>;
  /** A user id is set without a literal number (Run:ai --run-as-user takes it from the login token). */
  runAsUserImplicit?: boolean;
  runAsGroup?: Fact<number>;
  runAsNonRoot?: Fact<boolean>;
  preemptibility?: Fact<string>;
  /** vLLM's arguments come partly from an expansion (`"${ARGS[@]}"`, `$EXTRA_ARGS`): rules whose `needsAll` includes `arguments` stay quiet. */
  opaque: boolean;
  /**
   * True when the object is a fragment completed elsewhere: a Helm values file or snippet (no
   * `kind`), a kustomize strategic-merge patch or a KServe/Dynamo container merged into its
   * runtime's (a container without `image`). What it says is judged; what it lacks may be in the
   * part rvn does not see, so rules about something missing stay quiet (their `needsAll`
   * includes `object`; checkDeployments drops their findings).
   */
  partial: boolean;
}

export function emptyDeployment(kind: Deployment['kind'], anchor: Fact<string>): Deployment {
  return { kind, anchor, env: new Map(), servingPorts: [], mountPaths: [], annotations: new Map(), resources: [], opaque: false, partial: false };
}

/** A literal word value as a fact (undefined when any part of it is an expansion). */
export function wordFact(word: Word, from = 0): Fact<string> | undefined {
  if (hasExpansion(word, from)) return undefined;
  const value = word.value.slice(from);
  const [start, end] = value.length ? valueRange(word, from, word.value.length) : [word.start, word.end];
  return { value, start, end };
}

export function intFact(f: Fact<string> | undefined): Fact<number> | undefined {
  if (!f || !/^\d+$/.test(f.value)) return undefined;
  return { ...f, value: Number(f.value) };
}

/** The literal value of a variable the deployment sets, with the range of the value. */
export function envValue(d: Deployment, name: string): Fact<string> | undefined {
  const a = d.env.get(name);
  if (!a || a.eq < 0) return undefined;
  return wordFact(a.word, a.eq + 1);
}

/** The range of a variable's name, for findings about the variable as a whole. */
export function envName(d: Deployment, name: string): Fact<string> | undefined {
  const a = d.env.get(name);
  if (!a) return undefined;
  const [start, end] = valueRange(a.word, 0, a.eq >= 0 ? a.eq : a.name.length);
  return { value: name, start, end };
}

/** The last value of a vLLM option, with its range; undefined when absent or unknown. */
export function vllmOption(d: Deployment, name: string): Fact<string> | undefined {
  const options = d.vllm?.options.filter((o) => o.flag?.name === name) ?? [];
  const o = options[options.length - 1];
  if (!o) return undefined;
  if (o.valueFrom !== undefined) return wordFact(o.word, o.valueFrom);
  return o.values[0] ? wordFact(o.values[0]) : undefined;
}

/** Whether a vLLM option is present at all (even with an unknown value). */
export function hasVllmOption(d: Deployment, name: string): boolean {
  return !!d.vllm?.options.some((o) => o.flag?.name === name);
}

export function isTruthy(value: string | undefined): boolean {
  return value !== undefined && /^(?:1|true|yes|on)$/i.test(value);
}
