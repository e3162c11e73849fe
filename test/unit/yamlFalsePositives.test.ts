/**
 * Shapes found in public vLLM manifests that once gave false findings: each test is a small input
 * written for this project in the same shape, with the finding it must (not) give.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkYaml, covered } from '../helpers';

const rules = (text: string) => checkYaml(text).map((f) => `${f.rule} ${covered(text, f)}`);
const IMAGE = 'registry.example.com/ai/vllm-openai:v0.18.0';
const ARGS = '[/models/m, --served-model-name, m, --max-model-len, "4096"]';

test('a template line at the top of a block scalar is not a YAML error', () => {
  // Jinja in a ConfigMap, and a Helm `if` as the first line of a `sh -c` script.
  const jinja = 'apiVersion: v1\nkind: ConfigMap\ndata:\n  chat.jinja: |\n    {{- bos_token }}\n    {%- if tools %}\n        {%- set x = 1 %}\n    {%- endif %}\n';
  assert.deepEqual(rules(jinja), []);
  const helm = `kind: Pod\nspec:\n  containers:\n    - image: ${IMAGE}\n      command: [sh, -c]\n      args:\n        - |\n          {{- if .Values.debug }}\n          export NCCL_DEBUG=INFO\n          {{- end }}\n          vllm serve /models/m --served-model-name m --max-model-len 4096\n`;
  assert.deepEqual(rules(helm).filter((r) => r.startsWith('yaml/')), []);
  // A blank line with too much indentation is still a real error when no template made it.
  const real = 'kind: ConfigMap\ndata:\n  a: |\n            \n    text\n';
  assert.deepEqual(checkYaml(real).map((f) => f.rule), ['yaml/syntax-error']);
});

test('`key: {{ include … | nindent N }}` followed by more keys is a mapping, not a syntax error', () => {
  const text = `apiVersion: apps/v1\nkind: Deployment\nspec:\n  selector:\n    matchLabels: {{- include "chart.selectorLabels" . | nindent 6 }}\n      app: vllm\n  template:\n    metadata:\n      labels: {{- include "chart.labels" . | nindent 8 }}\n        {{- if .Values.extra }}\n        role: server\n        {{- end }}\n    spec:\n      containers:\n        - image: ${IMAGE}\n          args: ${ARGS}\n`;
  assert.deepEqual(rules(text), []);
  // A value action followed by a sibling key stays a value.
  const value = `kind: Pod\nspec:\n  containers:\n    - image: {{ .Values.image }}\n      args: ${ARGS}\n`;
  assert.deepEqual(rules(value), []);
});

test('KServe runtimes get the model at /mnt/models without declaring the volume', () => {
  const runtime = (kind: string, path: string) => `apiVersion: serving.kserve.io/v1alpha1\nkind: ${kind}\nspec:\n  containers:\n    - name: kserve-container\n      image: ${IMAGE}\n      args: [${path}, --served-model-name, m, --max-model-len, "4096"]\n      volumeMounts: [{name: shm, mountPath: /dev/shm}]\n`;
  assert.deepEqual(rules(runtime('ServingRuntime', '/mnt/models')), []);
  assert.deepEqual(rules(runtime('ClusterServingRuntime', '/mnt/models/sub')), []);
  // Inside an OpenShift Template's objects too.
  const template = `kind: Template\nobjects:\n  - ${runtime('ServingRuntime', '/mnt/models').replace(/\n/g, '\n    ').trimEnd()}\n`;
  assert.deepEqual(rules(template), []);
  // Elsewhere the path must be mounted, and in a runtime a path outside /mnt/models still counts.
  assert.deepEqual(rules(runtime('Pod', '/mnt/models')), ['deploy/model-not-mounted /mnt/models']);
  assert.deepEqual(rules(runtime('ServingRuntime', '/data/m')), ['deploy/model-not-mounted /data/m']);
});

test('an image that is a template parameter is not reported as unpinned', () => {
  const pod = (image: string) => `kind: Pod\nspec:\n  containers:\n    - image: ${image}\n      args: ${ARGS}\n`;
  assert.deepEqual(rules(pod('$(vllm-runtime-image)')), []);
  assert.deepEqual(rules(pod("'${VLLM_IMAGE}'")), []);
  assert.deepEqual(rules(pod('vllm/vllm-openai')), ['deploy/image-not-pinned vllm/vllm-openai']);
});

test('runAsNonRoot without a uid is reported only for the upstream images, which run as root', () => {
  const pod = (image: string) => `kind: Pod\nspec:\n  securityContext: {runAsNonRoot: true}\n  containers:\n    - image: ${image}\n      args: ${ARGS}\n`;
  assert.deepEqual(rules(pod(IMAGE)), ['deploy/non-root-without-uid true']);
  assert.deepEqual(rules(pod('docker.io/vllm/vllm-tpu:v0.18.0')), ['deploy/non-root-without-uid true']);
  for (const image of ['quay.io/example/vllm-openai-ubi9:0.18.0', 'ghcr.io/example/llm-d-cuda:v0.9.0', 'registry.example.com/ai/custom-server:1.0']) {
    assert.deepEqual(rules(pod(image)), [], image);
  }
});

test('an image older than every dated release runs the api_server module: --model is its normal flag', () => {
  const pod = (tag: string) => `kind: Pod\nspec:\n  containers:\n    - image: quay.io/example/vllm-openai:${tag}\n      args: [--model, /models/m, --served-model-name, m, --max-model-len, "4096"]\n`;
  assert.deepEqual(rules(pod('0.4.2')), []);
  assert.deepEqual(rules(pod('0.3')), []);
  // A current image runs `vllm serve`, which warns about --model.
  assert.deepEqual(rules(pod('v0.18.0')), ['vllm/deprecated-flag --model']);
});

test('VLLM_ variables of a pinned older release are not called unknown', () => {
  const pod = (image: string) => `kind: Pod\nspec:\n  containers:\n    - image: ${image}\n      command: [vllm, serve, /models/m, --served-model-name, m, --max-model-len, "4096"]\n      env: [{name: VLLM_USE_V1, value: "1"}]\n`;
  assert.deepEqual(rules(pod('registry.example.com/ai/vllm-openai:v0.10.2')), []);
  // A likely typo is still one.
  assert.deepEqual(rules(pod('registry.example.com/ai/vllm-openai:v0.10.2').replace('VLLM_USE_V1', 'VLLM_LOGGING_LEVL')), ['env/unknown-vllm-variable VLLM_LOGGING_LEVL']);
  // Checked against the newest release (no version pinned, or a newer one), it is unknown.
  assert.deepEqual(rules(pod('registry.example.com/ai/vllm-openai:v0.28.0')), ['env/unknown-vllm-variable VLLM_USE_V1']);
  assert.deepEqual(rules(pod('registry.example.com/ai/custom:prod')), ['env/unknown-vllm-variable VLLM_USE_V1']);
});

test('vLLM on a KubeRay head uses the GPUs of the worker groups too', () => {
  const text = `kind: RayCluster\nspec:\n  headGroupSpec:\n    template:\n      spec:\n        containers:\n          - image: ${IMAGE}\n            command: [vllm, serve, /models/m, --served-model-name, m, --max-model-len, "4096", --tensor-parallel-size, "2", --distributed-executor-backend, ray]\n            resources: {limits: {nvidia.com/gpu: 1}}\n  workerGroupSpecs:\n    - replicas: 1\n      template:\n        spec:\n          containers:\n            - image: ${IMAGE}\n              resources: {limits: {nvidia.com/gpu: 1}}\n`;
  assert.deepEqual(rules(text), []);
  // The same container in a plain pod really lacks a GPU.
  assert.deepEqual(rules(`kind: Pod\nspec:\n  containers:\n    - image: ${IMAGE}\n      command: [vllm, serve, /models/m, --served-model-name, m, --max-model-len, "4096", --tensor-parallel-size, "2"]\n      resources: {limits: {nvidia.com/gpu: 1}}\n`), ['deploy/parallelism-exceeds-gpus 2']);
});

test('an NGC image tag is the container release, not a vLLM version', () => {
  const text = 'kind: Pod\nspec:\n  containers:\n    - image: nvcr.io/nvidia/vllm:25.09-py3\n      command: [vllm, serve, /models/m, --served-model-name, m, --max-model-len, "4096", --tensor-parallel-sizee, "1"]\n';
  const messages = checkYaml(text).map((f) => f.message).join('\n');
  assert.doesNotMatch(messages, /25\.9\.0|25\.09\.0/);
  assert.match(messages, /did you mean --tensor-parallel-size/);
});

test('a multi-line quoted scalar no more indented than its key (Multus examples) parses as kubectl reads it', () => {
  const nad = [
    'apiVersion: k8s.cni.cncf.io/v1',
    'kind: NetworkAttachmentDefinition',
    'metadata:',
    '  name: macvlan-conf',
    'spec:',
    "  config: '{",
    '  "cniVersion": "0.3.1",',
    '  "type": "macvlan",',
    '  "master": "eth0",',
    '  "ipam": { "type": "host-local", "subnet": "10.1.1.0/24" }',
    "  }'",
    '',
  ].join('\n');
  assert.deepEqual(checkYaml(nad).map((f) => f.rule), []);
  // The CNI configuration inside is still checked, at its place in the file.
  const typo = nad.replace('"master": "eth0",', '"master": "eth0", "mtu": "9000",');
  const found = checkYaml(typo);
  assert.deepEqual(found.map((f) => [f.rule, covered(typo, f)]), [['schema/invalid-field', '9000']]);
  // The same inside a container: the command in a folded string is checked word by word.
  const pod = 'kind: Pod\nspec:\n  containers:\n    - name: vllm\n      image: vllm/vllm-openai:v0.18.0\n      command: ["sh", "-c"]\n      args:\n      - "vllm serve /m\n      --tensor-paralel-size 2"\n';
  assert.deepEqual(checkYaml(pod).filter((f) => f.rule.startsWith('vllm/')).map((f) => [f.rule, covered(pod, f)]), [['vllm/unknown-flag', '--tensor-paralel-size']]);
  // A quote that is never closed is still an error.
  assert.deepEqual(checkYaml('a: "unclosed\nb: 1\n').map((f) => f.rule), ['yaml/syntax-error']);
});

test('a kustomize patch or Helm values file is not judged for what it leaves to the base', () => {
  // Strategic-merge patch: no image (the base has it), so the base may hold the mounts, the
  // other offline switch, runAsNonRoot, the annotation, --max-model-len…
  const patch = `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: vllm}\nspec:\n  template:\n    spec:\n      securityContext: {runAsUser: 1001}\n      containers:\n        - name: vllm\n          command: [vllm, serve]\n          args: [/models/m, --tensor-parallel-size, "2"]\n          ports: [{containerPort: 8080}]\n          volumeMounts: [{name: shm, mountPath: /dev/shm}]\n          env:\n            - {name: HF_HUB_OFFLINE, value: "1"}\n            - {name: NCCL_SOCKET_IFNAME, value: net1}\n            - {name: NCCL_DEBUG_SUBSYS, value: INIT}\n`;
  assert.deepEqual(rules(patch), []);
  // What the fragment does say is still judged.
  const wrong = patch.replace('--tensor-parallel-size', '--tensor-paralel-size').replace('HF_HUB_OFFLINE, value: "1"', 'NCCL_DEBUG, value: INFO');
  assert.deepEqual(rules(wrong), ['vllm/unknown-flag --tensor-paralel-size', 'deploy/nccl-debug-enabled INFO']);
  // A Helm values file (no kind): the chart may add runAsNonRoot, --max-model-len, the mounts.
  const values = `image: {repository: vllm/vllm-openai, tag: v0.18.0}\nargs: [/models/m, --tensor-parallel-size, "2"]\nsecurityContext: {runAsUser: 1000}\nenv: [{name: HF_HUB_OFFLINE, value: "1"}]\nresources: {limits: {nvidia.com/gpu: 2}}\n`;
  assert.deepEqual(rules(values), []);
  // Two facts it states that contradict each other are still a finding.
  assert.deepEqual(rules(values.replace('nvidia.com/gpu: 2', 'nvidia.com/gpu: 1')), ['deploy/parallelism-exceeds-gpus 2']);
  // The complete object, with the same content and an image, is judged as before.
  const complete = patch.replace('- name: vllm\n', `- name: vllm\n          image: ${IMAGE}\n`);
  assert.deepEqual(rules(complete).map((r) => r.split(' ')[0]).sort(), ['deploy/debug-subsys-without-debug', 'deploy/max-model-len-missing', 'deploy/model-not-mounted', 'deploy/multus-annotation-missing', 'deploy/offline-partial', 'deploy/port-mismatch', 'deploy/served-model-name-missing', 'deploy/uid-without-non-root']);
});

test('a Kubernetes object in a file named *.vllm.yaml is a manifest, not a vLLM config file', () => {
  // KubeRay's sample is ray-service.vllm.yaml.
  const ray = `apiVersion: ray.io/v1\nkind: RayService\nmetadata: {name: llm}\nspec:\n  rayClusterConfig:\n    headGroupSpec:\n      template:\n        spec:\n          containers:\n            - name: ray-head\n              image: rayproject/ray-ml:2.33.0-py311\n              securityContext: {runAsNonRoot: yes-please}\n`;
  assert.deepEqual(checkYaml(ray, { vllmConfigFile: true }).map((f) => `${f.rule} ${covered(ray, f)}`), ['schema/invalid-field yes-please']);
  // A config file with a stray key is still checked as one.
  const config = 'model: /models/m\nkind: chat\n';
  assert.deepEqual(checkYaml(config, { vllmConfigFile: true }).map((f) => `${f.rule} ${covered(config, f)}`), ['vllm-config/unknown-key kind']);
});
