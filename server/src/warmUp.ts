/**
 * Idle-time preparation after `initialized`: the knowledge base is read and the analysers run
 * once on a small built-in deployment, so the first document the user opens does not pay for
 * JSON parsing and first-call compilation (about half of a cold first analysis). Each step yields
 * to the event loop, so a request that arrives meanwhile waits for one step at most.
 */
import { analyzeText } from './engine';
import { envData } from './knowledge/env';
import { ncclData } from './knowledge/nccl';
import { runaiData } from './knowledge/runai';
import { vllmData } from './knowledge/vllm';

const SCRIPT = `export NCCL_DEBUG=WARN
runai inference distributed submit warm-up -p demo -i vllm/vllm-openai:v0.18.0 --workers 1 -g 8 \\
  --environment-variable NCCL_SOCKET_IFNAME=net1 --serving-port container=8000 \\
  -- /models/m --served-model-name m --tensor-parallel-size 8 --pipeline-parallel-size 2 --max-model-len 32k
docker run --gpus all -e HF_HUB_OFFLINE=1 vllm/vllm-openai:v0.18.0 --model /models/m --dtype bfloat16
`;

const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: warm-up
spec:
  template:
    spec:
      containers:
        - name: vllm
          image: vllm/vllm-openai:v0.18.0
          args: [--model, /models/m, --tensor-parallel-size, "8"]
          env:
            - name: NCCL_IB_DISABLE
              value: "0"
          resources:
            limits:
              nvidia.com/gpu: "8"
`;

/** Exported for the test that keeps them meaningful. */
export const WARM_UP_SAMPLES = { script: SCRIPT, manifest: MANIFEST };

const STEPS: Array<() => unknown> = [vllmData, runaiData, ncclData, envData, () => analyzeText(SCRIPT, 'shell'), () => analyzeText(MANIFEST, 'yaml')];

/** Runs the steps one per event-loop turn; failures are ignored (the real analysis will report them). */
export function warmUp(done?: () => void): void {
  let next = 0;
  const step = () => {
    if (next >= STEPS.length) return done?.();
    try {
      STEPS[next++]();
    } catch {
      // Preparation only: the first real analysis will load or fail on its own.
    }
    setImmediate(step);
  };
  setImmediate(step);
}
