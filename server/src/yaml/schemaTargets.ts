/**
 * Which JSON Schema applies where in a YAML file: the whole document for a LeaderWorkerSet,
 * PersistentVolumeClaim or vLLM config file, the `spec.config` string of a NetworkAttachmentDefinition,
 * and every `securityContext` map found anywhere (pod-level or container-level, told apart by
 * where it sits). Shared by validation, completion and hover.
 */
import { isMap, isScalar, isSeq, type Document, type YAMLMap } from 'yaml';
import type { ParsedYaml } from './document';
import { get, getPair, scalarString } from './containers';
import type { SchemaName } from './schemaStore';

export interface SchemaTarget {
  schema: SchemaName;
  /** The YAML node the schema describes; for the CNI config, the string scalar holding the JSON. */
  node: unknown;
  /** Keys from the document root to the node ('0', '1', ... for list items). */
  path: string[];
  /** How messages name the object: "PersistentVolumeClaim", "CNI configuration", ... */
  owner: string;
}

const VLLM_CONFIG_COMMENT = /#\s*rvn:\s*vllm-config\b/;
const VLLM_CONFIG_MODELINE = /#\s*yaml-language-server:\s*\$schema=\S*vllm-config/;
const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);
const MAX_DEPTH = 40;

/**
 * File names taken for vLLM config files. The same globs go into package.json
 * `contributes.yamlValidation`, so Red Hat's YAML extension validates such files too.
 */
export const VLLM_CONFIG_FILE_GLOBS = ['*.vllm.yaml', '*.vllm.yml', 'vllm-config*.yaml', 'vllm-config*.yml', 'vllm_config*.yaml', 'vllm_config*.yml'];
const VLLM_CONFIG_FILE_NAME = /(?:^|[\\/])(?:[^\\/]*\.vllm|vllm[-_]config[^\\/]*)\.ya?ml$/i;

/** The path's file name is one of VLLM_CONFIG_FILE_GLOBS. */
export function isVllmConfigFileName(path: string): boolean {
  return VLLM_CONFIG_FILE_NAME.test(path);
}

/** The file has a `# yaml-language-server: $schema=` modeline naming the vLLM config schema. */
export function hasVllmConfigModeline(parsed: ParsedYaml): boolean {
  return parsed.comments.some((c) => VLLM_CONFIG_MODELINE.test(c.text));
}

/** The file says it is a `vllm serve --config` file: `# rvn: vllm-config` or a `$schema` modeline. */
export function isVllmConfigFile(parsed: ParsedYaml): boolean {
  return parsed.comments.some((c) => VLLM_CONFIG_COMMENT.test(c.text) || VLLM_CONFIG_MODELINE.test(c.text));
}

/** The document is a Kubernetes object: a map with both `apiVersion` and `kind`. */
export function isKubernetesObject(doc: Document.Parsed): boolean {
  return isMap(doc.contents) && get(doc.contents, 'apiVersion') !== undefined && get(doc.contents, 'kind') !== undefined;
}

export function documentKind(doc: Document.Parsed): string | undefined {
  return isMap(doc.contents) ? scalarString(get(doc.contents, 'kind')) : undefined;
}

export const OWNERS: Record<SchemaName, string> = {
  vllmConfig: 'vLLM config file',
  cni: 'CNI configuration',
  lws: 'LeaderWorkerSet',
  pvc: 'PersistentVolumeClaim',
  podSecurityContext: 'pod securityContext',
  containerSecurityContext: 'container securityContext',
  anySecurityContext: 'securityContext',
};

/** Pod-level or container-level, from where the map sits (the path ends with `securityContext`). */
export function securityContextSchema(path: string[], parent?: YAMLMap): SchemaName {
  const up = path[path.length - 2] ?? '';
  const upup = path[path.length - 3] ?? '';
  if ((up === '*' || /^\d+$/.test(up)) && CONTAINER_LISTS.has(upup)) return 'containerSecurityContext';
  if (parent && get(parent, 'image') !== undefined) return 'containerSecurityContext';
  if (parent && [...CONTAINER_LISTS].some((k) => get(parent, k) !== undefined)) return 'podSecurityContext';
  if (up === 'spec') return 'podSecurityContext';
  return 'anySecurityContext';
}

/**
 * Where a `securityContext` is checked: anywhere in a Kubernetes object (a document with a
 * `kind`), but in a document without one only at the top (the snippet form). Helm values files
 * have no `kind`, and their security settings are the chart's own format, not the API's.
 */
export function securityContextIndex(path: string[], hasKind: boolean): number {
  if (!hasKind) return path[0] === 'securityContext' ? 0 : -1;
  return path.lastIndexOf('securityContext');
}

export function schemaTargets(doc: Document.Parsed, vllmConfig: boolean): SchemaTarget[] {
  const root = doc.contents;
  if (vllmConfig) return root ? [{ schema: 'vllmConfig', node: root, path: [], owner: OWNERS.vllmConfig }] : [];
  if (!isMap(root)) return [];
  const targets: SchemaTarget[] = [];
  const kind = documentKind(doc);
  if (kind === 'LeaderWorkerSet') targets.push({ schema: 'lws', node: root, path: [], owner: OWNERS.lws });
  if (kind === 'PersistentVolumeClaim') targets.push({ schema: 'pvc', node: root, path: [], owner: OWNERS.pvc });
  if (kind === 'NetworkAttachmentDefinition') {
    const spec = get(root, 'spec');
    const config = isMap(spec) ? getPair(spec, 'config') : undefined;
    if (config && config.value !== null && config.value !== undefined) targets.push({ schema: 'cni', node: config.value, path: ['spec', 'config'], owner: OWNERS.cni });
  }
  if (kind === undefined) {
    const sc = get(root, 'securityContext');
    if (isMap(sc)) targets.push({ schema: 'anySecurityContext', node: sc, path: ['securityContext'], owner: OWNERS.anySecurityContext });
    return targets;
  }
  // One path stack for the whole walk: copied only where a securityContext is found.
  const path: string[] = [];
  const walk = (node: unknown, depth: number): void => {
    if (depth > MAX_DEPTH) return;
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isScalar(pair.key)) continue;
        const value = pair.value;
        if (!isMap(value) && !isSeq(value)) continue;
        const key = String(pair.key.value);
        path.push(key);
        if (key === 'securityContext' && isMap(value)) {
          const schema = securityContextSchema(path, node);
          targets.push({ schema, node: value, path: [...path], owner: OWNERS[schema] });
        } else {
          walk(value, depth + 1);
        }
        path.pop();
      }
    } else if (isSeq(node)) {
      for (let i = 0; i < node.items.length; i++) {
        const item = node.items[i];
        if (!isMap(item) && !isSeq(item)) continue;
        path.push(String(i));
        walk(item, depth + 1);
        path.pop();
      }
    }
  };
  walk(root, 0);
  return targets;
}
