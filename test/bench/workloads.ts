/** Deterministic workload generators for the benchmarks (seeded; same input every run). */

/** A small linear congruential generator: reproducible, no dependency. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const MODELS = ['/data/input/Models/My-Model-119B', '/data/models/llama-70b', '/data/models/qwen-vl'];
const NCCL = ['NCCL_DEBUG=INFO', 'NCCL_SOCKET_IFNAME=net1', 'NCCL_IB_HCA=mlx5_0:1', 'NCCL_NET=IB', 'NCCL_DEBUG_SUBSYS=INIT,NET', 'NCCL_IB_DISABLE=0'];

/** A deployment script of about `lines` lines: many `runai ... -- vllm args` commands with continuations. */
export function deploymentScript(lines: number, seed = 42): string {
  const r = rng(seed);
  const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)];
  const out: string[] = ['#!/usr/bin/env bash', 'set -euo pipefail', ''];
  let n = 0;
  while (out.length < lines) {
    n++;
    const tp = pick([1, 2, 4, 8]);
    out.push(
      `# deployment ${n}`,
      `runai inference distributed submit model-${n} \\`,
      '  -p my-project \\',
      '  -i registry.example.com/ai-platform/vllm-openai:v0.18.0 \\',
      '  --existing-pvc claimname=my-project-pvc,path=/data \\',
      `  --workers ${pick([1, 2, 4])} \\`,
      `  -g ${tp} \\`,
      '  --serving-port container=8000,authorization-type=authenticatedUsers \\',
      `  --environment-variable ${pick(NCCL)} \\`,
      `  --environment-variable ${pick(NCCL)} \\`,
      '  --environment-variable HF_HUB_OFFLINE=1 \\',
      `  -- ${pick(MODELS)} \\`,
      `  --served-model-name m${n} \\`,
      `  --tensor-parallel-size ${tp} \\`,
      `  --max-model-len ${pick(['32768', '32k', '8192'])} \\`,
      `  --gpu-memory-utilization 0.${pick([8, 9])} \\`,
      `  --dtype ${pick(['bfloat16', 'auto', 'half'])} \\`,
      '  --port 8000',
      '',
    );
  }
  return out.slice(0, lines).join('\n') + '\n';
}

/** A multi-document Kubernetes manifest of about `lines` lines: Deployments running vLLM with NCCL env lists. */
export function deploymentManifest(lines: number, seed = 42): string {
  const r = rng(seed);
  const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)];
  const out: string[] = [];
  let n = 0;
  while (out.length < lines) {
    n++;
    const tp = pick([1, 2, 4, 8]);
    out.push(
      '---',
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      `  name: vllm-${n}`,
      'spec:',
      '  replicas: 1',
      '  template:',
      '    spec:',
      '      containers:',
      '        - name: vllm',
      '          image: registry.example.com/ai-platform/vllm-openai:v0.18.0',
      '          args:',
      `            - ${pick(MODELS)}`,
      '            - --tensor-parallel-size',
      `            - "${tp}"`,
      '            - --max-model-len',
      `            - "${pick(['32768', '32k', '8192'])}"`,
      '            - --dtype',
      `            - ${pick(['bfloat16', 'auto', 'half'])}`,
      '          env:',
      ...[pick(NCCL), pick(NCCL), 'HF_HUB_OFFLINE=1'].flatMap((kv) => {
        const [name, value] = kv.split('=');
        return [`            - name: ${name}`, `              value: "${value}"`];
      }),
      '          resources:',
      '            limits:',
      `              nvidia.com/gpu: "${tp}"`,
    );
  }
  return out.slice(0, lines).join('\n') + '\n';
}
