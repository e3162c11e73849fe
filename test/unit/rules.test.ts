/**
 * The cross-flag rules: each fires on its case, stays quiet on near misses and on values that come
 * from variables, and behaves the same in a shell script and in a Kubernetes manifest.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check, checkYaml, covered } from '../helpers';

const deployRules = (text: string, kind: 'shell' | 'yaml' = 'shell') =>
  (kind === 'shell' ? check(text) : checkYaml(text)).filter((f) => f.rule.startsWith('deploy/')).map((f) => `${f.rule} ${covered(text, f)}`);

const IMAGE = 'registry.example.com/ai-platform/vllm-openai:v0.18.0';
/** A clean distributed submit; `extra` adds Run:ai flags, `vllm` replaces the vLLM arguments. */
const runai = (extra: string, vllm = '--tensor-parallel-size 8 --pipeline-parallel-size 2') =>
  `runai inference distributed submit m -i ${IMAGE} --existing-pvc claimname=c,path=/data -e HF_HUB_OFFLINE=1 -e TRANSFORMERS_OFFLINE=1 ` +
  `-e NCCL_IB_HCA=mlx5_0:1 --extended-resource openshift.io/mellanoxnics=1 --run-as-uid 2000 --run-as-non-root ${extra} ` +
  `-- /data/model --served-model-name m --max-model-len 32768 ${vllm}`;

test('a clean multi-node deployment gives no deploy finding', () => {
  assert.deepEqual(deployRules(runai('--workers 1 -g 8')), []);
});

test('parallelism against GPUs: the leader counts as a pod', () => {
  assert.deepEqual(deployRules(runai('--workers 2 -g 8')), ['deploy/gpus-unused 8']);
  assert.deepEqual(deployRules(runai('--workers 1 -g 4')), ['deploy/tensor-parallel-across-nodes 8', 'deploy/parallelism-exceeds-gpus 8']);
  assert.deepEqual(deployRules(runai('--workers 1 -g 8 --worker-gpu-devices-request 4')), ['deploy/parallelism-exceeds-gpus 8']);
  // Unknown values never fire.
  assert.deepEqual(deployRules(runai('--workers "$N" -g 8')), []);
  assert.deepEqual(deployRules(runai('--workers 1 -g 8', '--tensor-parallel-size ${TP} --pipeline-parallel-size 2')), []);
});

test('parallelism in a LeaderWorkerSet, with $(LWS_GROUP_SIZE) left alone', () => {
  const lws = (size: string, gpus: string) => `apiVersion: leaderworkerset.x-k8s.io/v1
kind: LeaderWorkerSet
spec:
  leaderWorkerTemplate:
    size: ${size}
    workerTemplate:
      spec:
        containers:
          - image: ${IMAGE}
            args: [/data/m, --served-model-name, m, --max-model-len, "8192", --tensor-parallel-size, "8", --pipeline-parallel-size, "2", --nnodes, $(LWS_GROUP_SIZE)]
            env: [{name: NCCL_IB_HCA, value: "mlx5_0:1"}]
            resources: {limits: {nvidia.com/gpu: "${gpus}"}}
`;
  assert.deepEqual(deployRules(lws('2', '8'), 'yaml'), []);
  assert.deepEqual(deployRules(lws('3', '8'), 'yaml'), ['deploy/gpus-unused 8']);
  assert.deepEqual(deployRules(lws('2', '4'), 'yaml'), ['deploy/tensor-parallel-across-nodes 8', 'deploy/parallelism-exceeds-gpus 8']);
});

test('ports: --serving-port / containerPort must be vLLM’s port (default 8000)', () => {
  assert.deepEqual(deployRules(runai('--workers 1 -g 8 --serving-port container=8080')), ['deploy/port-mismatch 8080']);
  assert.deepEqual(deployRules(runai('--workers 1 -g 8 --serving-port container=8080', '--tensor-parallel-size 8 --pipeline-parallel-size 2 --port 8080')), []);
  assert.deepEqual(deployRules(runai('--workers 1 -g 8 --serving-port 8000')), []);
  assert.deepEqual(deployRules(runai('--workers 1 -g 8 --serving-port container=8080', '--tensor-parallel-size 8 --pipeline-parallel-size 2 --port $PORT')), []);
  const pod = (port: string) => `kind: Pod\nspec:\n  containers:\n    - image: ${IMAGE}\n      args: [/m, --served-model-name, m, --max-model-len, "8192"]\n      ports: [{containerPort: ${port}}]\n`;
  assert.deepEqual(deployRules(pod('8080'), 'yaml'), ['deploy/port-mismatch 8080']);
  assert.deepEqual(deployRules(pod('8000'), 'yaml'), []);
});

test('offline: both switches, hub ids, mounted model paths, served names', () => {
  const base = (env: string, model = '/data/model', extra = '') =>
    `runai inference standard submit m -i ${IMAGE} -g 1 --existing-pvc claimname=c,path=/data ${env} -- ${model} --served-model-name m --max-model-len 8192 ${extra}`;
  const partial = base('-e TRANSFORMERS_OFFLINE=1');
  assert.deepEqual(deployRules(partial), ['deploy/offline-partial TRANSFORMERS_OFFLINE']);
  assert.ok(check(partial).find((f) => f.rule === 'deploy/offline-partial')!.fixes![0].edits[0].newText.includes('HF_HUB_OFFLINE=1'));
  assert.deepEqual(deployRules(base('-e TRANSFORMERS_OFFLINE=1 -e HF_HUB_OFFLINE=1')), []);
  assert.deepEqual(deployRules(base('-e TRANSFORMERS_OFFLINE=1 -e HF_HUB_OFFLINE="$OFF"')), []);
  assert.deepEqual(deployRules(base('-e HF_HUB_OFFLINE=1 -e TRANSFORMERS_OFFLINE=1', 'org/My-Model')), ['deploy/offline-hub-model org/My-Model']);
  // The Hugging Face cache on the mounted volume: the hub id is read from it like a local path.
  assert.deepEqual(deployRules(base('-e HF_HUB_OFFLINE=1 -e TRANSFORMERS_OFFLINE=1 -e HF_HOME=/data/hf', 'org/My-Model')), []);
  assert.deepEqual(deployRules(base('-e HF_HUB_OFFLINE=1 -e TRANSFORMERS_OFFLINE=1 -e HF_HOME=/root/.cache/hf', 'org/My-Model')), ['deploy/offline-hub-model org/My-Model']);
  assert.deepEqual(deployRules(base('', '/models/x')), ['deploy/model-not-mounted /models/x']);
  assert.deepEqual(deployRules(base('', '/data')), []);
  assert.deepEqual(deployRules(`vllm serve /data/m --max-model-len 4096`), ['deploy/served-model-name-missing /data/m']);
  assert.deepEqual(deployRules(`vllm serve org/m --max-model-len 4096`), []);
});

test('exports earlier in a script reach the vllm serve line; plain assignments do not', () => {
  assert.deepEqual(deployRules('export TRANSFORMERS_OFFLINE=1\nvllm serve /m --served-model-name m --max-model-len 4096'), ['deploy/offline-partial TRANSFORMERS_OFFLINE']);
  assert.deepEqual(deployRules('TRANSFORMERS_OFFLINE=1\nvllm serve /m --served-model-name m --max-model-len 4096'), []);
  assert.deepEqual(deployRules('export NCCL_P2P_DISABLE=1\nvllm serve /m --served-model-name m --max-model-len 4096 -tp 2'), ['deploy/p2p-disabled-single-node 1']);
});

test('NCCL networking rules', () => {
  const d = (env: string, extra = '') =>
    `runai inference distributed submit m -i ${IMAGE} --workers 1 -g 8 ${env} ${extra} -- /m --served-model-name m --max-model-len 8192 -tp 8 -pp 2`;
  assert.deepEqual(deployRules(d('-e NCCL_SOCKET_IFNAME=net1 -e NCCL_IB_HCA=mlx5_0')), ['deploy/multus-annotation-missing net1']);
  assert.deepEqual(deployRules(d('-e NCCL_SOCKET_IFNAME=net1 -e NCCL_IB_HCA=mlx5_0', '--annotation k8s.v1.cni.cncf.io/networks=rdma-net')), []);
  assert.deepEqual(deployRules(d('-e NCCL_SOCKET_IFNAME=eth0 -e NCCL_IB_HCA=mlx5_0')), []);
  assert.deepEqual(deployRules(d('-e NCCL_NET=IB -e NCCL_IB_DISABLE=1')), ['deploy/ib-disabled-but-forced IB']);
  assert.deepEqual(deployRules(d('-e NCCL_IB_DISABLE=1', '--extended-resource openshift.io/mellanoxnics=1')), ['deploy/rdma-requested-ib-disabled 1']);
  assert.deepEqual(deployRules(d('')), ['deploy/multi-node-tcp 1']);
  assert.deepEqual(deployRules(d('-e NCCL_IB_DISABLE=1')), []); // TCP chosen on purpose
  assert.deepEqual(deployRules(d('-e NCCL_IB_HCA=mlx5 -e NCCL_DEBUG_SUBSYS=INIT')), ['deploy/debug-subsys-without-debug NCCL_DEBUG_SUBSYS']);
  assert.deepEqual(deployRules(d('-e NCCL_IB_HCA=mlx5 -e NCCL_DEBUG=INFO -e NCCL_DEBUG_SUBSYS=INIT')), ['deploy/nccl-debug-enabled INFO']);
  assert.deepEqual(deployRules(d('-e NCCL_IB_HCA=mlx5 -e NCCL_DEBUG=WARN')), []);
  // Two pods: P2P off is a choice between nodes, not a loss of NVLink inside one.
  assert.deepEqual(deployRules(d('-e NCCL_IB_HCA=mlx5 -e NCCL_P2P_DISABLE=1')), []);
});

test('security: root with non-root, half-configured non-root, in Run:ai and YAML alike', () => {
  const r = (flags: string) => `runai inference standard submit m -i ${IMAGE} -g 1 ${flags} -- /m --served-model-name m --max-model-len 8192`;
  assert.deepEqual(deployRules(r('--run-as-uid 0 --run-as-non-root')), ['deploy/root-with-non-root 0']);
  assert.deepEqual(deployRules(r('--run-as-uid 2000')), ['deploy/uid-without-non-root 2000']);
  assert.deepEqual(deployRules(r('--run-as-non-root')), ['deploy/non-root-without-uid --run-as-non-root']);
  assert.deepEqual(deployRules(r('--run-as-uid 2000 --run-as-non-root')), []);
  assert.deepEqual(deployRules(r('--run-as-uid 2000 --run-as-non-root=false')), ['deploy/uid-without-non-root 2000']);
  const pod = (ctx: string) => `kind: Pod\nspec:\n  securityContext: {${ctx}}\n  containers:\n    - image: ${IMAGE}\n      args: [/m, --served-model-name, m, --max-model-len, "8192"]\n`;
  assert.deepEqual(deployRules(pod('runAsNonRoot: true'), 'yaml'), ['deploy/non-root-without-uid true']);
  assert.deepEqual(deployRules(pod('runAsNonRoot: true, runAsUser: 0'), 'yaml'), ['deploy/root-with-non-root 0']);
  assert.deepEqual(deployRules(pod('runAsNonRoot: true, runAsUser: 2000, fsGroup: 2000'), 'yaml'), []);
});

test('images: no tag and latest are reported; tags, digests and variables are not', () => {
  const r = (image: string) => `runai inference standard submit m -i ${image} -g 1 -- /m --served-model-name m --max-model-len 8192`;
  assert.deepEqual(deployRules(r('vllm/vllm-openai')), ['deploy/image-not-pinned vllm/vllm-openai']);
  assert.deepEqual(deployRules(r('vllm/vllm-openai:latest')), ['deploy/image-not-pinned vllm/vllm-openai:latest']);
  assert.deepEqual(deployRules(r('localhost:5000/vllm-openai:v0.18.0')), []);
  assert.deepEqual(deployRules(r('vllm/vllm-openai@sha256:0123abcd')), []);
  assert.deepEqual(deployRules(r('"$IMAGE"')), []);
  assert.deepEqual(deployRules(`kind: Pod\nspec:\n  containers:\n    - image: vllm/vllm-openai:latest\n      args: [/m, --served-model-name, m, --max-model-len, "8192"]\n`, 'yaml'), ['deploy/image-not-pinned vllm/vllm-openai:latest']);
});

test('serving: --max-model-len and preemptible endpoints', () => {
  const missing = check('vllm serve /m --served-model-name m').find((f) => f.rule === 'deploy/max-model-len-missing')!;
  assert.equal(missing.fixes![0].edits[0].newText, ' --max-model-len 32768');
  assert.deepEqual(deployRules('vllm serve /m --served-model-name m $EXTRA_ARGS'), []);
  assert.deepEqual(deployRules('vllm serve --config cfg.yaml'), []);
  const p = (pre: string) => `runai inference standard submit m -i ${IMAGE} -g 1 --serving-port 8000 --preemptibility ${pre} -- /m --served-model-name m --max-model-len 8192`;
  assert.deepEqual(deployRules(p('preemptible')), ['deploy/preemptible-endpoint preemptible']);
  assert.deepEqual(deployRules(p('non-preemptible')), []);
});

test('near misses found in review: token user ids, excluded interfaces, workers that inherit nothing', () => {
  const r = (flags: string) => `runai inference standard submit m -i ${IMAGE} -g 1 ${flags} -- /m --served-model-name m --max-model-len 8192`;
  assert.deepEqual(deployRules(r('--run-as-user --run-as-non-root')), []);
  const d = (extra: string) => `runai inference distributed submit m -i ${IMAGE} -g 8 -e NCCL_IB_HCA=mlx5 ${extra} -- /m --served-model-name m --max-model-len 8192 -tp 8 -pp 2`;
  assert.deepEqual(deployRules(d('--workers 1 -e NCCL_SOCKET_IFNAME=^net1')), []);
  assert.deepEqual(deployRules(d('--workers 1 --worker-as-leader=false')), ['deploy/parallelism-exceeds-gpus 8']);
  assert.deepEqual(deployRules(d('--workers 1 --worker-as-leader=false --worker-gpu-devices-request 8')), []);
  // Without --workers the pod count is unknown: neither a single-node nor a multi-node rule fires.
  assert.deepEqual(deployRules(d('-e NCCL_P2P_DISABLE=1')), []);
});
