/**
 * Parallelism against GPUs: vLLM needs tensor × pipeline × data parallel GPUs, and the platform
 * gives GPUs-per-pod × pods. Too few and the server never starts (Ray waits for GPUs that do not
 * exist); too many and GPUs are paid for and idle. Tensor parallelism should stay inside a pod
 * (NVLink); pipeline parallelism is what crosses nodes.
 */
import type { RuleFamily } from './types';
import { hasVllmOption, intFact, vllmOption, type Deployment, type Fact } from './deployment';

/** A parallel size: its value (default 1 when the option is absent), or undefined when unknown. */
function size(d: Deployment, option: string): { value: number; fact?: Fact<number> } | undefined {
  if (!hasVllmOption(d, option)) return { value: 1 };
  const fact = intFact(vllmOption(d, option));
  return fact ? { value: fact.value, fact } : undefined;
}

export const parallelism: RuleFamily = {
  rules: [
    { id: 'deploy/parallelism-exceeds-gpus', severity: 'error', summary: 'Tensor × pipeline × data parallel sizes need more GPUs than the pods get.', needsAll: ['arguments'] },
    { id: 'deploy/gpus-unused', severity: 'warning', summary: 'The pods get more GPUs than the parallel sizes use.', needsAll: ['arguments'] },
    { id: 'deploy/tensor-parallel-across-nodes', severity: 'warning', summary: 'Tensor parallelism larger than one pod’s GPUs runs over the network instead of NVLink.', needsAll: ['arguments'] },
  ],
  check(d, sink) {
    if (!d.vllm || !d.gpusPerPod || d.inCluster) return;
    const tp = size(d, '--tensor-parallel-size');
    const pp = size(d, '--pipeline-parallel-size');
    const dp = size(d, '--data-parallel-size');
    if (!tp || !pp || !dp) return;
    const world = tp.value * pp.value * dp.value;
    const perPod = d.gpusPerPod.value;
    const at = tp.fact ?? pp.fact ?? d.gpusPerPod;
    const sizes = `tensor ${tp.value} × pipeline ${pp.value}${dp.value > 1 ? ` × data ${dp.value}` : ''} = ${world} GPUs`;
    if (tp.value > perPod && d.pods && d.pods.value > 1) {
      const f = tp.fact ?? at;
      sink.report('deploy/tensor-parallel-across-nodes', f.start, f.end, `Tensor parallelism ${tp.value} is larger than the ${gpus(perPod)} of one pod, so every layer's all-reduce crosses the network. Keep tensor parallelism inside a node (≤ ${perPod}) and use pipeline parallelism across nodes.`);
    }
    if (!d.pods) {
      if (world > perPod && d.kind === 'yaml') {
        sink.report('deploy/parallelism-exceeds-gpus', at.start, at.end, `vLLM needs ${sizes}, but this pod gets ${gpus(perPod)}. The server waits for GPUs that never come.`);
      }
      return;
    }
    const total = d.gpusTotal ?? perPod * d.pods.value;
    if (world > total) {
      sink.report('deploy/parallelism-exceeds-gpus', at.start, at.end, `vLLM needs ${sizes}, but ${allocation(d, perPod, total)}. The server waits for GPUs that never come (or fails to start).`);
    } else if (world < total) {
      sink.report('deploy/gpus-unused', d.gpusPerPod.start, d.gpusPerPod.end, `${allocation(d, perPod, total)}, but vLLM uses ${sizes}; ${total - world} GPUs stay idle. Match the pods and GPUs to the parallel sizes (usually tensor parallel = GPUs per pod, pipeline parallel = pods).`);
    }
  },
};

function allocation(d: Deployment, perPod: number, total: number): string {
  const pods = d.podsNote ?? `${d.pods!.value} pods`;
  return d.gpusTotal !== undefined ? `${pods} get ${gpus(total)} in all` : `${pods} × ${gpus(perPod)} gives ${total}`;
}

function gpus(n: number): string {
  return `${n} GPU${n === 1 ? '' : 's'}`;
}
