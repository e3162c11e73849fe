/**
 * JSON Schema checks of YAML (schemas/ with ajv): PersistentVolumeClaims, LeaderWorkerSets, pod and
 * container securityContexts, the CNI JSON inside a NetworkAttachmentDefinition string, and vLLM
 * config files; findings land on the exact key or value (inside the JSON string too). Plus schema
 * completion and hover. The pipeline here is the one the engine runs: the YAML pass for the parse
 * and the suppression comments, then validateYamlSchemas, then the usual finalisation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../server/src/engine';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { covered, hasShared, repoRoot, sharedDir } from '../helpers';
import { FindingSink } from '../../server/src/analysis/context';
import { finalizeFindings } from '../../server/src/analysis/finalize';
import { ruleDocsPath } from '../../server/src/analysis/rules';
import type { Finding } from '../../server/src/protocol/findings';
import { parseYaml } from '../../server/src/yaml/document';
import { analyzeYaml } from '../../server/src/yaml/yamlAnalysis';
import { validateYamlSchemas, type SchemaValidationOptions } from '../../server/src/yaml/schemaValidation';
import { schemaCompletions, schemaHover } from '../../server/src/yaml/schemaCompletion';
import { isVllmConfigFileName, VLLM_CONFIG_FILE_GLOBS } from '../../server/src/yaml/schemaTargets';

const SCHEMA_RULES = ['schema/invalid-field', 'schema/cni-config-json', 'vllm-config/unknown-key', 'vllm-config/invalid-value'];

function schemaCheck(text: string, options: SchemaValidationOptions = { vllmConfig: false }): Finding[] {
  const model = analyzeYaml(text, {}, new FindingSink());
  const sink = new FindingSink();
  validateYamlSchemas(model.parsed, text, sink, options);
  return finalizeFindings(sink.findings, model.lines, model.directives, {});
}

/** [rule, covered text, 1-based line] of each finding. */
function where(text: string, options?: SchemaValidationOptions): Array<[string, string, number]> {
  return schemaCheck(text, options).map((f) => [f.rule, covered(text, f), f.range.start.line + 1]);
}

// The seed's manifests, exactly as written (inline copies when ../shared is not beside the repo).
const SEED_PVC = `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: my-project-pvc
spec:
  accessModes: [ReadWriteMany]
  storageClassName: nfs-client
  resources:
    requests:
      storage: 500Gi
`;
const SEED_SECURITY = `securityContext:
  runAsUser: 2000
  runAsGroup: 2000
  runAsNonRoot: true
  fsGroup: 2000
`;
const SEED_NAD = `# NetworkAttachmentDefinition
apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata:
  name: rdma-net
  namespace: my-project
spec:
  config: |
    {
      "cniVersion": "0.3.1",
      "type": "macvlan",
      "master": "ens8f0np0",
      "mode": "bridge",
      "ipam": {
        "type": "whereabouts",
        "range": "10.232.0.0/16"
      }
    }
`;

function seedText(): string {
  const dir = join(sharedDir, 'seed');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
}

/** The seed's YAML snippets: the heredoc PVC, the securityContext block, the NAD up to its closing brace. */
function seedSnippets(): Record<'pvc' | 'security' | 'nad', string> {
  if (!hasShared) return { pvc: SEED_PVC, security: SEED_SECURITY, nad: SEED_NAD };
  const seed = seedText();
  const pvc = /kubectl create -f - <<EOF\n([\s\S]*?)\nEOF/.exec(seed)![1];
  const security = /^securityContext:\n(?: {2}.*\n)+/m.exec(seed)![0];
  const nad = /^# NetworkAttachmentDefinition\n[\s\S]*?\n {4}\}\n/m.exec(seed)![0];
  return { pvc: `${pvc}\n`, security, nad };
}

test('the seed PVC, securityContext and macvlan + whereabouts NetworkAttachmentDefinition are clean', () => {
  const seed = seedSnippets();
  assert.match(seed.pvc, /kind: PersistentVolumeClaim/);
  assert.match(seed.nad, /"type": "whereabouts"/);
  for (const [name, text] of Object.entries(seed)) assert.deepEqual(where(text), [], name);
  assert.deepEqual(where([seed.pvc, seed.security, seed.nad].join('---\n')), []);
});

test('a broken CNI JSON: bad key, wrong mode and trailing comma at the exact characters inside the | block', () => {
  const text = `apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata:
  name: rdma-net
spec:
  config: |
    {
      "cniVersion": "0.3.1",
      "type": "macvlan",
      "mastr": "ens8f0np0",
      "mode": "bridged",
      "ipam": {
        "type": "whereabouts",
        "range": "10.232.0.0/16",
      }
    }
`;
  assert.deepEqual(where(text), [
    ['schema/invalid-field', 'mastr', 10],
    ['schema/invalid-field', 'bridged', 11],
    ['schema/cni-config-json', ',', 14],
  ]);
  const [key, mode, comma] = schemaCheck(text);
  assert.match(key.message, /did you mean `master`\?/);
  assert.equal(key.fixes?.[0].edits[0].newText, 'master');
  assert.match(mode.message, /did you mean `bridge`\?.*Accepted: bridge, private, vepa, passthru/);
  assert.match(comma.message, /not valid JSON: JSON does not allow a comma after the last entry/);
  assert.deepEqual(comma.range.start, { line: 13, character: 32 });
});

test('CNI JSON in quoted YAML strings, unknown whereabouts keys, types, and a fatal syntax error', () => {
  const single = `kind: NetworkAttachmentDefinition\nspec:\n  config: '{"cniVersion": "0.3.1", "type": "macvlan", "mtu": "9000", "ipam": {"type": "whereabouts", "rnage": "10.0.0.0/8"}}'\n`;
  assert.deepEqual(where(single), [
    ['schema/invalid-field', '9000', 3],
    ['schema/invalid-field', 'rnage', 3],
  ]);
  assert.match(schemaCheck(single)[0].message, /`mtu` must be a whole number, but `"9000"` is a string/);
  const double = `kind: NetworkAttachmentDefinition\nspec:\n  config: "{\\"cniVersion\\": \\"0.3.1\\", \\"type\\": \\"ipvlan\\", \\"mode\\": \\"bridge\\"}"\n`;
  assert.deepEqual(where(double), [['schema/invalid-field', 'bridge', 3]]);
  const fatal = `kind: NetworkAttachmentDefinition\nspec:\n  config: |\n    {\n      'cniVersion': "0.3.1",\n      "type": "macvlan"\n    }\n`;
  assert.deepEqual(where(fatal), [['schema/cni-config-json', "'", 5]]);
  assert.match(schemaCheck(fatal)[0].message, /double quotes/);
  // Other plugin types may carry their own keys; a conflist needs no top-level type.
  const other = `kind: NetworkAttachmentDefinition\nspec:\n  config: |\n    {"cniVersion": "1.0.0", "name": "n", "plugins": [{"type": "sriov", "vlan": 10, "spoofchk": "on"}, {"type": "tuning", "sysctl": {}}]}\n`;
  assert.deepEqual(where(other), []);
  const missing = `kind: NetworkAttachmentDefinition\nspec:\n  config: |\n    {"name": "n"}\n`;
  assert.deepEqual(
    schemaCheck(missing).map((f) => [covered(missing, f), f.severity, f.message.replace(/[:,].*/, '')]),
    [
      ['{', 'warning', 'The CNI configuration has no `cniVersion`'],
      ['name', 'error', 'The CNI network configuration needs `type` or `plugins`'],
    ],
  );
});

test('PVC and securityContext mistakes are caught at the key or the value', () => {
  const text = `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: my-project-pvc
spec:
  accessMode: [ReadWriteMany]
  resources:
    requests:
      storage: 500GB
---
apiVersion: v1
kind: Pod
metadata:
  name: vllm
spec:
  securityContext:
    runAsUser: "2000"
    fsGroup: 2000
    fsGroupChangePolicy: Sometimes
  containers:
    - name: vllm
      image: vllm/vllm-openai:v0.18.0
      securityContext:
        fsGroup: 2000
        capabilities:
          add: [IPC_LOCK]
`;
  assert.deepEqual(where(text), [
    ['schema/invalid-field', 'accessMode', 6],
    ['schema/invalid-field', '500GB', 9],
    ['schema/invalid-field', '2000', 17],
    ['schema/invalid-field', 'Sometimes', 19],
    ['schema/invalid-field', 'fsGroup', 24],
  ]);
  const [accessMode, storage, uid, policy, misplaced] = schemaCheck(text);
  assert.match(accessMode.message, /^`accessMode` is not a PersistentVolumeClaim spec field; did you mean `accessModes`\?/);
  assert.equal(accessMode.severity, 'error');
  assert.equal(storage.fixes?.[0].edits[0].newText, '500Gi');
  assert.match(uid.message, /`runAsUser` must be a whole number, but `"2000"` is a string/);
  assert.deepEqual(uid.fixes?.[0], { title: 'Remove the quotes', preferred: true, edits: [{ range: { start: { line: 16, character: 15 }, end: { line: 16, character: 21 } }, newText: '2000' }] });
  assert.match(policy.message, /Accepted: OnRootMismatch, Always/);
  assert.match(misplaced.message, /pod-level field/);
});

test('a LeaderWorkerSet with size: "2" or a misspelled leaderWorkerTemplat is caught; the real thing is clean', () => {
  const text = `apiVersion: leaderworkerset.x-k8s.io/v1
kind: LeaderWorkerSet
metadata:
  name: vllm
spec:
  replicas: 1
  leaderWorkerTemplat:
    size: 2
    workerTemplate: {}
---
apiVersion: leaderworkerset.x-k8s.io/v1
kind: LeaderWorkerSet
metadata:
  name: vllm
spec:
  leaderWorkerTemplate:
    size: "2"
    restartPolicy: RecreateGroupOnPodRestart
    workerTemplate:
      spec:
        containers: []
`;
  assert.deepEqual(where(text), [
    ['schema/invalid-field', 'leaderWorkerTemplat', 7],
    ['schema/invalid-field', '2', 17],
  ]);
  const [typo, size] = schemaCheck(text);
  assert.match(typo.message, /did you mean `leaderWorkerTemplate`\?/);
  assert.equal(typo.fixes?.[0].edits[0].newText, 'leaderWorkerTemplate');
  assert.match(size.message, /`size` must be a whole number/);
  for (const name of ['lws-native.yaml', 'lws-ray.yaml', 'kserve.yaml', 'helm-deployment.yaml']) {
    assert.deepEqual(where(readFileSync(join(repoRoot, 'test/fixtures/yaml', name), 'utf8')), [], name);
  }
});

test('Helm actions, anchors and merge keys: unknown values are never judged', () => {
  const text = `apiVersion: leaderworkerset.x-k8s.io/v1
kind: LeaderWorkerSet
metadata:
  name: {{ .Release.Name }}
spec:
  replicas: {{ .Values.replicas }}
  {{- with .Values.rollout }}
  rolloutStrategy:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  leaderWorkerTemplate:
    size: {{ .Values.nodes }}
    workerTemplate:
      spec:
        securityContext: &sc
          runAsUser: {{ .Values.uid }}
          fsGroupChangePolicy: OnRootMismatch
        containers: []
---
kind: Pod
spec:
  securityContext:
    <<: *base
  containers: []
---
base: &base
  runAsUser: 1000
kind: Pod
spec:
  securityContext:
    <<: *base
    runAsNonRoot: true
  containers: []
`;
  assert.deepEqual(where(text), []);
  // A Helm values file has no kind: its security settings are the chart's own format.
  const values = `podSecurityContext:\n  enabled: true\n  fsGroup: 1001\nworker:\n  securityContext:\n    enabled: true\n`;
  assert.deepEqual(where(values), []);
});

test('a vLLM config file: flag names in any spelling are clean, typos and bad values are caught with did-you-mean', () => {
  const clean = `# rvn: vllm-config
model: /data/input/Models/My-Model-119B
tensor-parallel-size: 2
max_model_len: 32768
enforce-eager: true
dtype: bfloat16
served-model-name: [huge-model, alias]
max-num-batched-tokens: 16k
gpu-memory-utilization: 0.9
compilation-config: {mode: 3}
compilation-config.cudagraph_mode: FULL
enable-prefix-caching: false
linear-backend: deep-gemm
port: "8000"
`;
  assert.deepEqual(where(clean), []);
  const wrong = `# rvn: vllm-config
tensor_paralel_size: 2
dtype: bf16
enforce-eager: "true"
max-model-len: lots
`;
  assert.deepEqual(where(wrong), [
    ['vllm-config/unknown-key', 'tensor_paralel_size', 2],
    ['vllm-config/invalid-value', 'bf16', 3],
    ['vllm-config/invalid-value', 'true', 4],
    ['vllm-config/invalid-value', 'lots', 5],
  ]);
  const [key, dtype, eager, len] = schemaCheck(wrong);
  assert.match(key.message, /did you mean `tensor_parallel_size`\?/);
  assert.equal(key.fixes?.[0].edits[0].newText, 'tensor_parallel_size');
  assert.match(dtype.message, /did you mean `bfloat16`\?/);
  assert.equal(dtype.fixes?.[0].edits[0].newText, 'bfloat16');
  assert.equal(eager.fixes?.[0].title, 'Remove the quotes');
  assert.match(len.message, /whole number, a size such as `32k`, or `auto`/);
});

test('vLLM config keys: no- spellings, removed and abbreviated options; association by comment, modeline, option or file name', () => {
  const text = `# yaml-language-server: $schema=https://example.com/schemas/vllm-config.schema.json
no-enable-prefix-caching: true
no-enforce-eager: false
tensor-parallel: 2
cuda-graph-sizes: [1, 2]
cudagraph-capture-sizes: [1, x]
`;
  const found = schemaCheck(text);
  assert.deepEqual(
    found.map((f) => [f.rule, f.severity, covered(text, f)]),
    [
      ['vllm-config/unknown-key', 'error', 'no-enforce-eager'],
      ['vllm-config/unknown-key', 'warning', 'tensor-parallel'],
      ['vllm-config/unknown-key', 'error', 'cuda-graph-sizes'],
      ['vllm-config/invalid-value', 'error', 'x'],
    ],
  );
  assert.match(found[0].message, /silently ignored/);
  assert.deepEqual(found[0].fixes?.[0].edits.map((e) => e.newText), ['enforce-eager', 'true']);
  assert.equal(found[2].fixes?.[0].edits[0].newText, 'cudagraph-capture-sizes');
  // Without a marker the file is not a vLLM config file, unless the caller says so (settings, file name).
  const plain = 'tensor_paralel_size: 2\n';
  assert.deepEqual(where(plain), []);
  assert.deepEqual(where(plain, { vllmConfig: true }).map((w) => w[0]), ['vllm-config/unknown-key']);
  assert.deepEqual(where(plain, { vllmConfig: true, skipVllmConfig: true }), []);
  assert.ok(isVllmConfigFileName('/x/llama.vllm.yaml') && isVllmConfigFileName('vllm-config-70b.yml') && !isVllmConfigFileName('deploy.yaml'));
  assert.ok(VLLM_CONFIG_FILE_GLOBS.includes('*.vllm.yaml'));
});

test('a CNI `"ipam": {}` (an interface without an address, as the plugin docs say) is clean; IPAM settings without `type` are not', () => {
  const nad = (config: string) => `kind: NetworkAttachmentDefinition\nspec:\n  config: |\n    ${config}\n`;
  assert.deepEqual(where(nad('{"cniVersion": "1.0.0", "name": "n", "type": "bridge", "bridge": "br0", "ipam": {}}')), []);
  assert.deepEqual(where(nad('{"cniVersion": "0.3.1", "type": "macvlan", "master": "eth1", "ipam": {}}')), []);
  const untyped = nad('{"cniVersion": "0.3.1", "type": "macvlan", "ipam": {"subnet": "10.1.0.0/16"}}');
  assert.deepEqual(where(untyped), [['schema/invalid-field', 'ipam', 4]]);
  assert.match(schemaCheck(untyped)[0].message, /needs `type`/);
});

test('a CNI configuration without `cniVersion` is a warning (read as CNI 0.1.0), on the opening brace', () => {
  const text = `kind: NetworkAttachmentDefinition\nspec:\n  config: '{"type": "sriov", "vlan": 1000, "ipam": {"type": "host-local", "subnet": "10.56.217.0/24"}}'\n`;
  const found = schemaCheck(text);
  assert.deepEqual(found.map((f) => [f.rule, f.severity, covered(text, f)]), [['schema/invalid-field', 'warning', '{']]);
  assert.match(found[0].message, /CNI 0\.1\.0/);
  // Plugins inside a conflist take the list's version.
  assert.deepEqual(where(`kind: NetworkAttachmentDefinition\nspec:\n  config: |\n    {"cniVersion": "0.4.0", "plugins": [{"type": "macvlan", "ipam": {}}]}\n`), []);
});

test('macvlan `bcqueuelen` and whereabouts `addresses` are keys of those plugins', () => {
  const text = `kind: NetworkAttachmentDefinition\nspec:\n  config: |\n    {"cniVersion": "1.0.0", "type": "macvlan", "master": "eth1", "bcqueuelen": 1000,\n     "ipam": {"type": "whereabouts", "range": "192.168.2.0/24", "addresses": [{"address": "10.10.0.1/24", "gateway": "10.10.0.254"}]}}\n`;
  assert.deepEqual(where(text), []);
  assert.deepEqual(where(text.replace('1000', '-1')), [['schema/invalid-field', '-1', 4]]);
});

test('a LeaderWorkerSet may leave out rolloutStrategy.type and networkConfig.subdomainPolicy: the API server fills them in', () => {
  const text = `apiVersion: leaderworkerset.x-k8s.io/v1
kind: LeaderWorkerSet
metadata:
  name: vllm
spec:
  replicas: 6
  networkConfig: {}
  rolloutStrategy:
    rollingUpdateConfiguration:
      partition: 2
      maxUnavailable: 2
      maxSurge: 3
  leaderWorkerTemplate:
    size: 2
    workerTemplate:
      spec:
        containers:
        - name: vllm
          image: vllm/vllm-openai:v0.10.2
`;
  assert.deepEqual(where(text), []);
  assert.deepEqual(where(text.replace('networkConfig: {}', 'networkConfig: {subdomainPolicy: PerReplica}')), [['schema/invalid-field', 'PerReplica', 7]]);
  assert.deepEqual(where(text.replace('    rollingUpdateConfiguration:', '    type: Recreate\n    rollingUpdateConfiguration:')), [['schema/invalid-field', 'Recreate', 9]]);
});

test('vLLM config: `no-x: true` is a key (vLLM recipes write it), `no-x: false` is still reported, completion offers `no-x` only after `no`', () => {
  const text = `# rvn: vllm-config
kv-cache-dtype: fp8
no-enable-prefix-caching: true
no_enable_chunked_prefill: true
max-num-batched-tokens: 8192
`;
  assert.deepEqual(where(text), []);
  assert.deepEqual(where(`${text}no-enforce-eager: false\n`).map((w) => w.slice(0, 2)), [['vllm-config/unknown-key', 'no-enforce-eager']]);
  assert.deepEqual(where(`${text}no-enforce-eager: "yes"\n`).map((w) => w.slice(0, 2)), [['vllm-config/invalid-value', 'yes']]);
  const labels = (src: string) => {
    const { text: t, offset } = at(src);
    return schemaCompletions(parseYaml(t), t, offset).map((i) => i.label);
  };
  const all = labels('# rvn: vllm-config\nen§\n');
  assert.ok(all.includes('enable-prefix-caching') && !all.some((l) => l.startsWith('no-')));
  assert.ok(labels('# rvn: vllm-config\nno-en§\n').includes('no-enable-prefix-caching'));
  const { text: h, offset } = at('# rvn: vllm-config\nno-enable-prefix§-caching: true\n');
  const hover = schemaHover(parseYaml(h), h, offset);
  assert.ok(hover && typeof hover.contents === 'object' && 'value' in hover.contents && /enable-prefix-caching/.test(hover.contents.value));
});

test('vLLM config: an option removed after the release named by `# rvn: vllm-version` is still a key there', () => {
  const body = 'async-scheduling: true\ncuda-graph-sizes: 2048\nmax-model-len: 10240\n';
  assert.deepEqual(where(`# rvn: vllm-config\n# rvn: vllm-version=0.10.2\n${body}`), []);
  assert.deepEqual(where(`# rvn: vllm-config\n${body}`), [['vllm-config/unknown-key', 'cuda-graph-sizes', 3]]);
  assert.deepEqual(where(`# rvn: vllm-config\n${body}`, { vllmConfig: true, vllmVersion: '0.10.2' }), []);
  // The setting (and `rvn check --vllm-version`) reaches config files through the engine too.
  const rules = (settings: { vllmVersion?: string }) => analyzeText(`# rvn: vllm-config\n${body}`, 'yaml', settings).findings.map((f) => f.rule);
  assert.deepEqual(rules({}), ['vllm-config/unknown-key']);
  assert.deepEqual(rules({ vllmVersion: '0.10.2' }), []);
});

test('${NAME} placeholders (envsubst, Flux substitutions) are never judged, like shell expansions', () => {
  const pvc = `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: model-storage
spec:
  accessModes:
    - \${ACCESS_MODE}
  resources:
    requests:
      storage: \${STORAGE_SIZE:-300Gi}
  storageClassName: \${STORAGE_CLASS}
`;
  assert.deepEqual(where(pvc), []);
  assert.deepEqual(where(pvc.replace('${STORAGE_SIZE:-300Gi}', '300GB')).map((w) => w.slice(0, 2)), [['schema/invalid-field', '300GB']]);
  assert.deepEqual(where('# rvn: vllm-config\nmax-model-len: ${MAX_LEN}\n'), []);
});

test('an alias bomb stays under 200 ms, in a Kubernetes object and in a vLLM config file', () => {
  const bomb = ['  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) bomb.push(`  ${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
  const lws = `kind: LeaderWorkerSet\nmetadata:\n  labels:\n${bomb.map((l) => `  ${l}`).join('\n')}\nspec:\n  leaderWorkerTemplate:\n    size: *j\n    workerTemplate:\n      spec:\n        securityContext:\n          runAsUser: *j\n`;
  const config = `# rvn: vllm-config\nx:\n${bomb.join('\n')}\nserved-model-name: *j\n`;
  schemaCheck('kind: LeaderWorkerSet\nspec: {}\n'); // compile the schemas outside the timing
  for (const text of [lws, config]) {
    const t = Date.now();
    schemaCheck(text);
    assert.ok(Date.now() - t < 200, `${Date.now() - t} ms`);
  }
});

test('suppression comments work on schema findings', () => {
  const text = `apiVersion: v1\nkind: PersistentVolumeClaim\nspec:\n  accessMode: [ReadWriteMany] # rvn-disable-line schema/invalid-field\n  volumeMode: Files\n`;
  assert.deepEqual(where(text), [['schema/invalid-field', 'Files', 5]]);
});

/** Puts the cursor where `§` is. */
function at(src: string): { text: string; offset: number } {
  return { text: src.replace('§', ''), offset: src.indexOf('§') };
}

test('completion: keys not yet written in a PVC spec, enum values after a key, in a flow list and a - item', () => {
  const labels = (src: string) => {
    const { text, offset } = at(src);
    return schemaCompletions(parseYaml(text), text, offset).map((i) => i.label);
  };
  const keys = labels('apiVersion: v1\nkind: PersistentVolumeClaim\nspec:\n  storageClassName: nfs\n  acc§\n  resources: {}\n');
  assert.ok(keys.includes('accessModes') && keys.includes('volumeMode'));
  assert.ok(!keys.includes('storageClassName') && !keys.includes('resources'));
  const { text, offset } = at('kind: PersistentVolumeClaim\nspec:\n  accessModes: [Read§]\n');
  const item = schemaCompletions(parseYaml(text), text, offset).find((i) => i.label === 'ReadWriteMany');
  assert.ok(item);
  assert.deepEqual(item.textEdit, { range: { start: { line: 2, character: 16 }, end: { line: 2, character: 20 } }, newText: 'ReadWriteMany' });
  assert.ok(labels('kind: PersistentVolumeClaim\nspec:\n  accessModes:\n    - §\n').includes('ReadWriteMany'));
  assert.deepEqual(labels('kind: Pod\nspec:\n  securityContext:\n    fsGroupChangePolicy: §\n'), ['OnRootMismatch', 'Always']);
  const container = labels('kind: Pod\nspec:\n  containers:\n  - name: x\n    securityContext:\n      §\n');
  assert.ok(container.includes('privileged') && !container.includes('fsGroup'));
  assert.ok(labels('kind: LeaderWorkerSet\nspec:\n  leaderWorkerTemplate:\n    restartPolicy: §\n').includes('RecreateGroupOnPodRestart'));
  const vllm = labels('# rvn: vllm-config\ntensor-parallel-size: 2\ndty§\n');
  assert.ok(vllm.includes('dtype') && vllm.includes('max-model-len') && !vllm.includes('max_model_len') && !vllm.includes('tensor-parallel-size'));
  assert.ok(labels('# rvn: vllm-config\ndtype: §\n').includes('bfloat16'));
  assert.deepEqual(labels('kind: NetworkAttachmentDefinition\nspec:\n  config: |\n    {"cniVersion": "0.3.1", "type": "macvlan", "mode": "§"}\n'), ['bridge', 'private', 'vepa', 'passthru']);
  assert.ok(labels('kind: NetworkAttachmentDefinition\nspec:\n  config: |\n    {"cniVersion": "0.3.1", "ipam": {"type": "whereabouts", "ra§"}}\n').includes('range_start'));
  assert.deepEqual(labels('kind: Deployment\nspec:\n  replicas: §\n'), []);
});

test('hover shows the schema description on keys and values, also inside the CNI JSON', () => {
  const hover = (src: string) => {
    const { text, offset } = at(src);
    const h = schemaHover(parseYaml(text), text, offset);
    return h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : undefined;
  };
  assert.match(hover('kind: PersistentVolumeClaim\nspec:\n  access§Modes: [ReadWriteMany]\n')!, /^\*\*accessModes\*\* · list\n\nHow the volume may be mounted/);
  assert.match(hover('securityContext:\n  fsGroupChange§Policy: Always\n')!, /OnRootMismatch/);
  assert.match(hover('# rvn: vllm-config\nmax_model§_len: 32k\n')!, /\*\*--max-model-len\*\*/);
  assert.match(hover('kind: NetworkAttachmentDefinition\nspec:\n  config: |\n    {"cniVersion": "0.3.1", "type": "macvlan", "mas§ter": "eth0"}\n')!, /parent interface/);
  assert.equal(hover('kind: Deployment\nspec:\n  repl§icas: 1\n'), undefined);
});

function section(md: string, heading: string): string | undefined {
  const m = new RegExp(`^## ${heading}\\n([\\s\\S]*?)(?=^## |$(?![\\s\\S]))`, 'm').exec(md);
  return m?.[1];
}

test('the rule pages of the schema rules: Incorrect triggers, Correct does not, Suppress is silenced', () => {
  for (const rule of SCHEMA_RULES) {
    const md = readFileSync(join(repoRoot, ruleDocsPath(rule)), 'utf8');
    assert.equal(md.split('\n')[0], `# ${rule}`);
    const example = (heading: string) => /^```yaml\n([\s\S]*?)^```/m.exec(section(md, heading) ?? '')?.[1];
    const has = (text: string) => schemaCheck(text).some((f) => f.rule === rule);
    const [incorrect, correct, suppress] = [example('Incorrect'), example('Correct'), example('Suppress')];
    assert.ok(incorrect !== undefined && has(incorrect), `${rule}: Incorrect`);
    assert.ok(correct !== undefined && !has(correct), `${rule}: Correct`);
    assert.ok(suppress !== undefined && !has(suppress), `${rule}: Suppress`);
    const uncommented = suppress.replace(/\s*#\s*rvn-disable-line.*$/gm, '').replace(/^\s*#\s*rvn-.*$/gm, '');
    assert.ok(has(uncommented), `${rule}: Suppress without its comment`);
  }
  const index = readFileSync(join(repoRoot, 'docs/rules/README.md'), 'utf8');
  for (const rule of SCHEMA_RULES) assert.match(index, new RegExp(`\\[\`${rule.replace('/', '\\/')}\`\\]\\(${rule.replace('/', '-')}\\.md\\) \\| error \\|`));
});
