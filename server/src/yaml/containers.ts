/**
 * Finds the containers in a Kubernetes document, whatever object holds them: Pods, Deployments,
 * StatefulSets, Jobs, LeaderWorkerSet leader/worker templates, KServe runtimes and predictors,
 * Helm-rendered or not. A container is a map in a `containers`/`initContainers` list, a KServe
 * `model` map, or any map with an `image` next to `command`, `args` or `env`.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';

export interface ContainerNode {
  map: YAMLMap;
  /** Keys from the document root to the container, e.g. spec.leaderWorkerTemplate.workerTemplate.spec.containers. */
  path: string[];
  /** The document's `kind`, when it has one. */
  kind?: string;
  /** The pod spec map holding the container (for pod-level fields), when there is one. */
  podSpec?: YAMLMap;
  /** Maps from the document root down to the container's parent, for object-level fields. */
  ancestors: YAMLMap[];
  doc: Document.Parsed;
}

const MAX_DEPTH = 40;
const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

export function get(map: YAMLMap, key: string): unknown {
  const pair = map.items.find((p) => isScalar(p.key) && p.key.value === key);
  return pair?.value ?? undefined;
}

/** Follows an alias (`*name`) to its anchored node, one step: anchors are never expanded deeper. */
export function resolve(node: unknown, doc: Document.Parsed): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

export function getPair(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key) as Pair | undefined;
}

export function scalarString(node: unknown): string | undefined {
  return isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number') ? String(node.value) : undefined;
}

function looksLikeContainer(map: YAMLMap): boolean {
  return !!get(map, 'image') && ['command', 'args', 'env'].some((k) => get(map, k) !== undefined);
}

export function findContainers(doc: Document.Parsed): ContainerNode[] {
  const found: ContainerNode[] = [];
  const seen = new Set<YAMLMap>();
  const root = doc.contents;
  const kind = isMap(root) ? scalarString(get(root, 'kind')) : undefined;
  // One path and one ancestor stack, pushed and popped: copied only for the containers found.
  const path: string[] = [];
  const ancestors: YAMLMap[] = [];
  const add = (map: YAMLMap, podSpec: YAMLMap | undefined, ...last: string[]) => {
    if (seen.has(map)) return;
    seen.add(map);
    found.push({ map, path: [...path, ...last], kind, podSpec, ancestors: [...ancestors], doc });
  };
  const walk = (node: Node | null | undefined | unknown, depth: number, parent?: YAMLMap) => {
    if (depth > MAX_DEPTH || !node) return;
    if (isMap(node)) {
      if (looksLikeContainer(node)) add(node, parent);
      ancestors.push(node);
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : '';
        const value = pair.value;
        if (CONTAINER_LISTS.has(key) && isSeq(value)) {
          (value as YAMLSeq).items.forEach((item, i) => {
            if (isMap(item)) add(item, node, key, String(i));
          });
        } else if (key === 'model' && isMap(value) && (get(value, 'args') !== undefined || get(value, 'env') !== undefined)) {
          add(value, node, key); // KServe predictor.model: args/env for the runtime's container
        }
        path.push(key);
        walk(value, depth + 1, node);
        path.pop();
      }
      ancestors.pop();
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        path.push(String(i));
        walk(item, depth + 1, parent);
        path.pop();
      });
    }
  };
  walk(root, 0);
  return found;
}
