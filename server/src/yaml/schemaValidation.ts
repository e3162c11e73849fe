/**
 * JSON Schema checks of YAML documents (schemas/, compiled with ajv): LeaderWorkerSets,
 * PersistentVolumeClaims, pod and container `securityContext`s, the CNI JSON inside a
 * NetworkAttachmentDefinition's `spec.config` string, and `vllm serve --config` files. Every ajv
 * error is turned into one finding on the exact key (unknown or missing field) or value (wrong
 * type or value), inside the YAML string for the CNI JSON. Helm actions make a value unknown, so
 * anything they touch is never reported.
 */
import type { ErrorObject } from 'ajv';
import { isScalar, type Document } from 'yaml';
import { replaceFix, type FindingSink, type OffsetFix } from '../analysis/context';
import { chooseTarget, type VllmTarget } from '../analysis/vllmTarget';
import { closest } from '../knowledge/suggest';
import { lookupVllmFlag, removedVllmFlag } from '../knowledge/vllm';
import { presenceOfRemoval } from '../knowledge/vllmVersions';
import type { ParsedYaml } from './document';
import { scalarWord } from './scalarWords';
import { locateJson } from './locatedJson';
import { locatePointer, locateYaml, TooLarge, type Located, type Opaque } from './schemaTree';
import { rootSchema, validator, vllmKeyValidator, vllmNegatedKey, type JsonSchema } from './schemaStore';
import { isKubernetesObject, isVllmConfigFile, schemaTargets, type SchemaTarget } from './schemaTargets';
import { accepts, acceptsType, allowedValues, capital, describeValue, expectedText, fieldName, firstSegment, lastSegment, quantityHint, suggestValue, titleOf, unquotedValue, vllmExpected } from './schemaWording';
import { normaliseKey, unknownVllmKey } from './vllmConfigKeys';

export interface SchemaValidationOptions {
  /** The file name says `vllm serve --config` file: every document but a Kubernetes object is checked as one. */
  vllmConfig: boolean;
  /**
   * Another tool validates this vLLM config file against the same schema (Red Hat's YAML
   * extension, through `yamlValidation` or a `$schema` modeline): report nothing for it, so no
   * problem shows twice. The file is still not checked as a Kubernetes manifest.
   */
  skipVllmConfig?: boolean;
  /** The `rvn.vllmVersion` setting; else a `# rvn: vllm-version=X` comment, else the newest release. */
  vllmVersion?: string;
}

const VERSION_COMMENT = /#\s*rvn:\s*vllm-version\s*=\s*(\S+)/;

export function validateYamlSchemas(parsed: ParsedYaml, text: string, sink: FindingSink, options: SchemaValidationOptions): void {
  const said = isVllmConfigFile(parsed);
  // A file named like a config file (`*.vllm.yaml`) may hold Kubernetes objects instead: KubeRay's
  // own sample is `ray-service.vllm.yaml`. An object with apiVersion and kind is checked as one
  // (neither is a vLLM option); a comment or modeline saying "vLLM config" still wins.
  const asConfig = (doc: Document.Parsed) => said || (!!options.vllmConfig && !isKubernetesObject(doc));
  const templated = (start: number, end: number) => parsed.templates.some(([s, e]) => s < end && e > start);
  let chosen: VllmTarget | undefined;
  const vllmTarget = () => (chosen ??= chooseTarget(options.vllmVersion, parsed.comments.map((c) => VERSION_COMMENT.exec(c.text)?.[1]).find(Boolean), undefined));
  for (const doc of parsed.documents) {
    // A document that does not parse is reported as such; its half-built tree would only add noise.
    if (doc.errors.length > 0) continue;
    const vllmConfig = asConfig(doc);
    if (vllmConfig && options.skipVllmConfig) continue;
    for (const target of schemaTargets(doc, vllmConfig)) {
      const ctx: Ctx = { text, masked: parsed.masked, sink, templated, target, vllmTarget };
      try {
        if (target.schema === 'vllmConfig') checkVllmConfig(doc, ctx);
        else if (target.schema === 'cni') checkCniConfig(ctx);
        else checkYamlObject(doc, ctx);
      } catch (e) {
        if (!(e instanceof TooLarge)) throw e; // aliases expand too far: nothing sensible to say
      }
    }
  }
}

interface Ctx {
  text: string;
  masked: string;
  sink: FindingSink;
  templated: (start: number, end: number) => boolean;
  target: SchemaTarget;
  /** The vLLM release a config file is checked against (computed on first use). */
  vllmTarget: () => VllmTarget;
}

type Kind = 'kubernetes' | 'cni' | 'vllm';

const WHY: Record<Kind, { unknown: string; value: string; missing: string }> = {
  kubernetes: {
    unknown: 'Kubernetes rejects unknown fields (kubectl validates strictly by default) or, without strict validation, silently drops them.',
    value: 'the API server rejects the object.',
    missing: 'the API server rejects the object without it.',
  },
  cni: {
    unknown: 'The plugin ignores keys it does not know, so this setting has no effect.',
    value: 'the plugin cannot use the configuration, and pods attached to this network fail to start.',
    missing: 'pods attached to this network fail to start without it.',
  },
  vllm: {
    unknown: 'vLLM turns every key into a command-line flag and exits with "unrecognized arguments" on this one.',
    value: 'vLLM exits before loading the model.',
    missing: '',
  },
};

// ------------------------------------------------------------------ the three kinds of target

/** What the Kubernetes schemas leave open, so it need not be converted. */
const OPAQUE: Partial<Record<SchemaTarget['schema'], Opaque>> = {
  lws: { metadata: true, status: true, spec: { leaderWorkerTemplate: { leaderTemplate: true, workerTemplate: true } } },
  pvc: { metadata: true, status: true },
};

function checkYamlObject(doc: Document.Parsed, ctx: Ctx): void {
  const root = locateYaml(ctx.target.node, doc, 'kubernetes', OPAQUE[ctx.target.schema]);
  const validate = validator(ctx.target.schema as Exclude<SchemaTarget['schema'], 'vllmConfig'>);
  validate(root.value);
  reportErrors(validate.errors ?? [], root, ctx, 'kubernetes');
}

function checkCniConfig(ctx: Ctx): void {
  const node = ctx.target.node;
  const range = (node as { range?: [number, number, number] }).range ?? [0, 0, 0];
  if (ctx.templated(range[0], range[2])) return;
  if (!isScalar(node) || typeof node.value !== 'string') {
    const [s, e] = range;
    ctx.sink.report('schema/invalid-field', s, Math.max(e, s + 1), '`spec.config` must be a string holding the CNI configuration as JSON (write it as a `|` block); the NetworkAttachmentDefinition schema accepts nothing else, so the API server rejects the object.');
    return;
  }
  const word = scalarWord(node, ctx.masked);
  if (!word) return;
  const last = word.offsets.length ? word.offsets[word.offsets.length - 1] : word.start;
  const map = (i: number) => word.offsets[i] ?? last + 1;
  const { root, errors } = locateJson(word.value, map);
  for (const e of errors) ctx.sink.report('schema/cni-config-json', e.start, Math.max(e.end, e.start + 1), `The CNI configuration in \`spec.config\` is not valid JSON: ${e.message}`);
  if (!root) return;
  const validate = validator('cni');
  validate(root.value);
  reportErrors(validate.errors ?? [], root, ctx, 'cni');
  if (root.children instanceof Map && !root.children.has('cniVersion')) {
    // On the opening `{`: a missing `type` already takes the first key.
    ctx.sink.report(
      'schema/invalid-field',
      root.start,
      root.start + 1,
      'The CNI configuration has no `cniVersion`, so libcni and the plugins read it as CNI 0.1.0: the oldest result format (no interface list), and plugins that only support newer versions refuse it. Write the version your plugins support, such as `"cniVersion": "0.3.1"` or `"1.0.0"`.',
      { severity: 'warning' },
    );
  }
}

function checkVllmConfig(doc: Document.Parsed, ctx: Ctx): void {
  const root = locateYaml(ctx.target.node, doc, 'python');
  if (!(root.children instanceof Map)) {
    if (root.empty || ctx.templated(root.start, root.extentEnd)) return;
    ctx.sink.report('vllm-config/invalid-value', root.start, Math.max(root.end, root.start + 1), 'A vLLM config file must be a map of option names to values (`tensor-parallel-size: 2`); vLLM cannot read anything else.');
    return;
  }
  for (const [key, child] of root.children) {
    if (child.keyStart === undefined || ctx.templated(child.keyStart, child.keyEnd ?? child.keyStart)) continue;
    const entry = vllmKeyValidator(key) ?? vllmKeyValidator(normaliseKey(key));
    if (!entry) {
      // A removed option is still a key for a release that had it (`# rvn: vllm-version=0.10.2`).
      const removed = removedVllmFlag(`--${normaliseKey(key)}`);
      const release = removed ? ctx.vllmTarget().release : undefined;
      const presence = removed && release ? presenceOfRemoval(removed.lastSeen, removed.goneBy, release) : 'absent';
      if (presence === 'present') continue;
      unknownVllmKey(key, child, root.children, presence === 'unknown' ? asWarnings(ctx.sink) : ctx.sink);
      continue;
    }
    if (entry.definition.startsWith('pattern:')) continue; // a dotted JSON key: any value
    // `no-x: true` passes --no-x; `no-x: false` is dropped without a word, which is worth saying.
    if (child.value === false && vllmNegatedKey(entry.definition)) {
      unknownVllmKey(key, child, root.children, ctx.sink);
      continue;
    }
    entry.validate(child.value);
    const prefix = `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    const errors = (entry.validate.errors ?? []).map((e) => ({ ...e, instancePath: prefix + e.instancePath }));
    reportErrors(errors, root, ctx, 'vllm');
  }
}

/** The same sink, every finding a warning (an option removed around the target release). */
function asWarnings(sink: FindingSink): FindingSink {
  return { findings: sink.findings, report: (rule, start, end, message, options = {}) => sink.report(rule, start, end, message, { ...options, severity: 'warning' }) };
}

// ------------------------------------------------------------------ ajv errors → findings

function reportErrors(all: ErrorObject[], root: Located, ctx: Ctx, kind: Kind): void {
  const errors = collapseAlternatives(all.filter((e) => e.keyword !== 'if'));
  const required = errors.filter((e) => e.keyword === 'required');
  const merged = new Set<ErrorObject>();
  for (const e of errors) {
    if (e.keyword === 'additionalProperties') {
      const used = unknownField(e, required, root, ctx, kind);
      if (used) merged.add(used);
    }
  }
  // Everything missing from one object becomes one finding (they would share its range).
  const missing = new Map<string, { first: ErrorObject; parts: string[] }>();
  for (const e of errors) {
    if (e.keyword === 'additionalProperties' || merged.has(e)) continue;
    const part =
      e.keyword === 'required'
        ? `\`${(e.params as { missingProperty: string }).missingProperty}\``
        : e.keyword === 'anyOf' && isRequiredChoice(e)
          ? (e.schema as JsonSchema[]).flatMap((a) => a.required as string[]).map((n) => `\`${n}\``).join(' or ')
          : undefined;
    if (part === undefined) {
      badValue(e, root, ctx, kind);
      continue;
    }
    const entry = missing.get(e.instancePath) ?? { first: e, parts: [] };
    entry.parts.push(part);
    missing.set(e.instancePath, entry);
  }
  for (const { first, parts } of missing.values()) missingFields(first, parts, root, ctx, kind);
}

/**
 * For `anyOf`/`oneOf`: when a branch got further into the value (an item of a list), its deeper
 * errors say more; otherwise the branches' own errors are noise and the alternative speaks for them.
 */
function collapseAlternatives(errors: ErrorObject[]): ErrorObject[] {
  const dropped = new Set<ErrorObject>();
  for (const a of errors) {
    if (a.keyword !== 'anyOf' && a.keyword !== 'oneOf') continue;
    const prefix = `${a.schemaPath}/`;
    const branch = errors.filter((e) => e !== a && e.schemaPath.startsWith(prefix) && (e.instancePath === a.instancePath || e.instancePath.startsWith(`${a.instancePath}/`)));
    const deeper = branch.filter((e) => e.instancePath !== a.instancePath);
    if (deeper.length > 0) {
      dropped.add(a);
      for (const e of branch) if (e.instancePath === a.instancePath) dropped.add(e);
    } else {
      for (const e of branch) dropped.add(e);
    }
  }
  return errors.filter((e) => !dropped.has(e));
}

function objectName(e: ErrorObject, ctx: Ctx): string {
  const seg = lastSegment(e.instancePath);
  return titleOf(e.parentSchema, seg && !/^\d+$/.test(seg) ? `\`${seg}\`` : ctx.target.owner);
}

function unknownField(e: ErrorObject, required: ErrorObject[], root: Located, ctx: Ctx, kind: Kind): ErrorObject | undefined {
  const key = String((e.params as { additionalProperty: string }).additionalProperty);
  const chain = locatePointer(root, e.instancePath);
  const owner = chain[chain.length - 1];
  const child = owner.children instanceof Map ? owner.children.get(key) : undefined;
  if (!child || child.keyStart === undefined || child.keyEnd === undefined) return undefined;
  if (ctx.templated(child.keyStart, child.keyEnd)) return undefined;
  const present = owner.children instanceof Map ? new Set(owner.children.keys()) : new Set<string>();
  const missing = required.find((r) => r.instancePath === e.instancePath && closest(key, [String((r.params as { missingProperty: string }).missingProperty)]));
  const props = Object.keys(((e.parentSchema as JsonSchema | undefined)?.properties ?? {}) as Record<string, unknown>).filter((p) => !present.has(p));
  const suggestion = missing ? String((missing.params as { missingProperty: string }).missingProperty) : suggestValue(key, props);
  const fixes = suggestion && !child.viaAlias ? [replaceFix(`Rename to ${suggestion}`, child.keyStart, child.keyEnd, suggestion)] : [];
  const name = objectName(e, ctx);
  const elsewhere = suggestion ? undefined : misplacedSecurityField(key, ctx);
  const message = `\`${key}\` is not a ${name} field${suggestion ? `; did you mean \`${suggestion}\`?` : '.'}${missing ? ` The ${name} needs \`${suggestion}\`.` : ''}${elsewhere ? ` ${elsewhere}` : ''} ${WHY[kind].unknown}`;
  ctx.sink.report('schema/invalid-field', child.keyStart, child.keyEnd, message, { fixes });
  return missing;
}

/** A pod-level field in a container's securityContext (or the other way round) says where it belongs. */
function misplacedSecurityField(key: string, ctx: Ctx): string | undefined {
  const schema = ctx.target.schema;
  if (schema !== 'podSecurityContext' && schema !== 'containerSecurityContext') return undefined;
  const other = schema === 'podSecurityContext' ? 'containerSecurityContext' : 'podSecurityContext';
  const props = (rootSchema(other).schema.properties ?? {}) as Record<string, unknown>;
  if (!(key in props)) return undefined;
  return schema === 'podSecurityContext'
    ? `It is a container-level field: set it in each container's \`securityContext\`.`
    : `It is a pod-level field: set it in the pod's \`spec.securityContext\`.`;
}

/** Where to point for something missing from an object: the key that holds it, else its `kind`, else its start. */
function objectAnchor(node: Located): [number, number] {
  if (node.keyStart !== undefined && node.keyEnd !== undefined) return [node.keyStart, node.keyEnd];
  const kind = node.children instanceof Map ? node.children.get('kind') : undefined;
  if (kind && !kind.empty) return [kind.start, kind.end];
  const first = node.children instanceof Map ? [...node.children.values()][0] : undefined;
  if (first?.keyStart !== undefined && first.keyEnd !== undefined) return [first.keyStart, first.keyEnd];
  return [node.start, node.start + 1];
}

function missingFields(e: ErrorObject, parts: string[], root: Located, ctx: Ctx, kind: Kind): void {
  const chain = locatePointer(root, e.instancePath);
  const node = chain[chain.length - 1];
  if (ctx.templated(node.start, node.extentEnd)) return;
  const [s, end] = objectAnchor(node);
  const list = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : parts[0];
  ctx.sink.report('schema/invalid-field', s, Math.max(end, s + 1), `The ${objectName(e, ctx)} needs ${list}: ${WHY[kind].missing}`);
}

function isRequiredChoice(e: ErrorObject): boolean {
  const alts = (e.schema as unknown[] | undefined) ?? [];
  return Array.isArray(alts) && alts.length > 0 && alts.every((a) => Array.isArray((a as JsonSchema).required) && Object.keys(a as object).length === 1);
}

/**
 * A value filled in before the file is applied: a masked Helm action (`${hh}`), or an envsubst /
 * Flux `${NAME}` placeholder (`${SIZE:-10Gi}` too). Like shell expansions, never judged.
 */
const PLACEHOLDER = /\$\{(?:h*|[A-Za-z_][A-Za-z0-9_]*(?:[:?+=-][^}]*)?)\}/;

function badValue(e: ErrorObject, root: Located, ctx: Ctx, kind: Kind): void {
  const chain = locatePointer(root, e.instancePath);
  const node = chain[chain.length - 1];
  if (chain.length - 1 !== (e.instancePath ? e.instancePath.split('/').length - 1 : 0)) return; // path not found
  if (ctx.templated(node.keyStart ?? node.start, node.extentEnd)) return;
  if (typeof node.value === 'string' && PLACEHOLDER.test(node.value)) return;
  const [s, end] = node.empty && node.keyStart !== undefined ? [node.keyStart, node.keyEnd!] : [node.start, node.end];
  // The quotes around a string, when they are plain quote characters right around it in the file.
  const quotes = !!node.quoted && node.editable && /^["']$/.test(ctx.text[node.start - 1] ?? '') && ctx.text[node.end] === ctx.text[node.start - 1];
  const shown = node.empty ? undefined : quotes ? ctx.text.slice(node.start - 1, node.end + 1) : ctx.text.slice(node.start, node.end);
  const flag = kind === 'vllm' ? lookupVllmFlag(`--${normaliseKey(firstSegment(e.instancePath))}`)?.flag : undefined;
  const rule = kind === 'vllm' ? 'vllm-config/invalid-value' : 'schema/invalid-field';
  const field = fieldName(e.instancePath);
  const fixes: OffsetFix[] = [];
  let message: string;

  const allowed = allowedValues(e);
  if (allowed) {
    const candidates = allowed.filter((v): v is string | number => v !== null).map(String);
    const suggestion = typeof node.value === 'string' || typeof node.value === 'number' ? suggestValue(String(node.value), candidates) : undefined;
    if (suggestion && node.editable) fixes.push(replaceFix(`Change to ${suggestion}`, node.start, node.end, suggestion));
    const list = candidates.slice(0, 12).join(', ') + (candidates.length > 12 ? ', …' : '');
    const what = shown === undefined ? `${field} has no value` : `\`${shown}\` is not a valid value for ${field}`;
    message = `${what}${suggestion ? `; did you mean \`${suggestion}\`?` : '.'} Accepted: ${list}. ${kind === 'vllm' ? `Otherwise ${WHY.vllm.value}` : `Anything else and ${WHY[kind].value}`}`;
  } else if (e.keyword === 'minimum' || e.keyword === 'maximum' || e.keyword === 'exclusiveMinimum' || e.keyword === 'exclusiveMaximum') {
    const limit = (e.params as { limit: number }).limit;
    const bound = e.keyword === 'minimum' ? `at least ${limit}` : e.keyword === 'maximum' ? `at most ${limit}` : e.keyword === 'exclusiveMinimum' ? `more than ${limit}` : `less than ${limit}`;
    message = `${capital(field)} must be ${bound}; \`${shown}\` is out of range, so ${WHY[kind].value}`;
  } else if (['type', 'anyOf', 'oneOf', 'pattern', 'format'].includes(e.keyword)) {
    const item = e.instancePath.split('/').length > 2;
    const expected = flag ? vllmExpected(flag, item) : expectedText(e.parentSchema);
    // A value of an accepted type in the wrong form (`500GB` for a quantity) "is not one".
    const rightType = e.keyword !== 'type' && typeof node.value === 'string' && acceptsType(e, 'string');
    const actual = shown === undefined ? 'it has no value' : `\`${shown}\` is ${rightType ? 'not one' : describeValue(node)}`;
    const subject = flag && field === `\`${firstSegment(e.instancePath)}\`` ? `${field} (${flag.name})` : field;
    const hint = typeof node.value === 'string' ? quantityHint(node.value, e) : undefined;
    const consequence = kind === 'vllm' && node.empty ? 'vLLM would receive the text `None` and exit before loading the model.' : WHY[kind].value;
    message = `${capital(subject)} must be ${expected}, but ${actual}${hint ? ` (${hint.text})` : ''}: ${consequence}`;
    if (hint && node.editable) fixes.push(replaceFix(`Change to ${hint.fix}`, node.start, node.end, hint.fix));
    const unquoted = node.quoted && typeof node.value === 'string' ? unquotedValue(node.value) : undefined;
    if (unquoted !== undefined && quotes && accepts(e, unquoted)) fixes.push(replaceFix('Remove the quotes', node.start - 1, node.end + 1, node.value as string));
  } else {
    message = `${capital(field)} ${e.message ?? 'is not valid'}: ${WHY[kind].value}`;
  }
  ctx.sink.report(rule, s, Math.max(end, s + 1), message, { fixes });
}

