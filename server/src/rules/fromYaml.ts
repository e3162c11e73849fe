/**
 * Deployments of a Kubernetes manifest: one per container that runs something, with the pod-level
 * facts around it (annotations of its pod template, security context, LeaderWorkerSet size).
 */
import { isMap, isScalar, isSeq, type YAMLMap } from 'yaml';
import type { YamlContainer, YamlModel } from '../yaml/yamlAnalysis';
import { get, scalarString } from '../yaml/containers';
import { scalarWord } from '../yaml/scalarWords';
import { emptyDeployment, intFact, wordFact, type Deployment, type Fact } from './deployment';

const KSERVE_KINDS = new Set(['ServingRuntime', 'ClusterServingRuntime', 'InferenceService', 'LLMInferenceService', 'LLMInferenceServiceConfig']);

export function yamlDeployments(model: YamlModel): Deployment[] {
  return model.containers.map((c) => containerDeployment(c, model.parsed.masked));
}

function fact(node: unknown, masked: string): Fact<string> | undefined {
  const w = scalarWord(node, masked);
  return w ? wordFact(w) : undefined;
}

function boolFact(node: unknown): Fact<boolean> | undefined {
  if (!isScalar(node) || typeof node.value !== 'boolean' || !node.range) return undefined;
  return { value: node.value, start: node.range[0], end: node.range[1] };
}

/** The value under a path of keys, or undefined. */
function at(map: YAMLMap | undefined, ...keys: string[]): unknown {
  let node: unknown = map;
  for (const k of keys) {
    if (!isMap(node)) return undefined;
    node = get(node, k);
  }
  return node;
}

function containerDeployment(c: YamlContainer, masked: string): Deployment {
  const map = c.node.map;
  const range = map.range ?? [0, 0, 0];
  const d = emptyDeployment('yaml', { value: c.node.kind ?? 'container', start: range[0], end: range[0] + 1 });
  d.vllm = c.analyzed.vllm ?? c.analyzed.nested.find((n) => n.vllm)?.vllm;
  for (const a of c.env) d.env.set(a.name, a);
  const image = get(map, 'image');
  d.image = fact(image, masked);
  // Kubernetes requires a container's image and an object's kind: without them this is a piece
  // merged into (or rendered by) something else - a Helm values file, a kustomize patch, a
  // KServe predictor or LLMInferenceService container completed from its runtime.
  d.partial = !c.node.kind || image === undefined;

  const limits = at(map, 'resources', 'limits');
  const requests = at(map, 'resources', 'requests');
  d.gpusPerPod = intFact(fact(at(map, 'resources', 'limits', 'nvidia.com/gpu') ?? at(map, 'resources', 'requests', 'nvidia.com/gpu'), masked));
  for (const list of [limits, requests]) {
    if (!isMap(list)) continue;
    for (const pair of list.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (key.includes('/') && key !== 'nvidia.com/gpu' && isScalar(pair.key) && pair.key.range) {
        d.resources.push({ value: key, start: pair.key.range[0], end: pair.key.range[1] });
      }
    }
  }
  const ports = get(map, 'ports');
  if (isSeq(ports)) for (const p of ports.items) if (isMap(p)) {
    const port = intFact(fact(get(p, 'containerPort'), masked));
    if (port) d.servingPorts.push(port);
  }
  const mounts = get(map, 'volumeMounts');
  if (isSeq(mounts)) for (const m of mounts.items) if (isMap(m)) {
    const path = fact(get(m, 'mountPath'), masked);
    if (path) d.mountPaths.push(path);
  }
  // KServe mounts the model it downloaded (storageUri) at /mnt/models in its runtime's container.
  if (d.mountPaths.length > 0 && [c.node.kind, ...c.node.ancestors.map((a) => scalarString(get(a, 'kind')))].some((k) => k && KSERVE_KINDS.has(k))) {
    d.mountPaths.push({ value: '/mnt/models', start: d.anchor.start, end: d.anchor.end });
  }

  // Pod-level facts: the pod template holds metadata (annotations) next to the pod spec.
  const podSpec = c.node.podSpec;
  const template = [...c.node.ancestors].reverse().find((a) => podSpec && get(a, 'spec') === podSpec) ?? c.node.ancestors[0];
  const annotations = at(template, 'metadata', 'annotations');
  if (isMap(annotations)) for (const pair of annotations.items) {
    const value = fact(pair.value, masked);
    if (isScalar(pair.key) && value) d.annotations.set(String(pair.key.value), value);
  }
  for (const context of [at(podSpec, 'securityContext'), get(map, 'securityContext')]) {
    if (!isMap(context)) continue;
    d.runAsUser = intFact(fact(get(context, 'runAsUser'), masked)) ?? d.runAsUser;
    d.runAsGroup = intFact(fact(get(context, 'runAsGroup'), masked)) ?? d.runAsGroup;
    d.runAsNonRoot = boolFact(get(context, 'runAsNonRoot')) ?? d.runAsNonRoot;
  }

  // A LeaderWorkerSet group is `size` pods (leader included) running one model together.
  const lws = c.node.ancestors.find((a) => isMap(get(a, 'leaderWorkerTemplate')));
  if (lws) {
    const size = intFact(fact(at(lws, 'leaderWorkerTemplate', 'size'), masked));
    if (size) {
      d.pods = size;
      d.podsNote = `LeaderWorkerSet size ${size.value}`;
    }
  } else if (c.node.ancestors.some((a) => get(a, 'headGroupSpec') !== undefined || get(a, 'workerGroupSpecs') !== undefined)) {
    // A KubeRay cluster (RayCluster, RayService, RayJob, AIBrix fleets): vLLM on the head uses the
    // GPUs of every worker group too, whose replicas may scale between limits.
    d.inCluster = true;
  } else if (podSpec) {
    d.pods = { value: 1, start: d.anchor.start, end: d.anchor.end };
    d.podsNote = 'one pod';
  }
  return d;
}
