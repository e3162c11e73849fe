/** Serving settings for production: a bounded context length, and non-preemptible endpoints. */
import type { RuleFamily } from './types';
import { hasVllmOption } from './deployment';
import type { OffsetFix } from '../analysis/context';

export const serving: RuleFamily = {
  rules: [
    { id: 'deploy/max-model-len-missing', severity: 'info', summary: 'No --max-model-len: vLLM reserves KV cache for the model’s full context.', needsAll: ['arguments', 'object'] },
    { id: 'deploy/preemptible-endpoint', severity: 'info', summary: 'A serving endpoint that may be preempted.' },
  ],
  check(d, sink) {
    const call = d.vllm?.call;
    if (call && !hasVllmOption(d, '--max-model-len') && !hasVllmOption(d, '--config') && !hasVllmOption(d, '--headless')) {
      const last = call.args[call.args.length - 1] ?? call.head[call.head.length - 1];
      const at = call.head[0] ?? call.args[0];
      if (at && last) {
        // In a YAML list each argument is an item of its own: appending text there would be wrong.
        const fixes: OffsetFix[] = d.kind === 'yaml' ? [] : [{ title: 'Add --max-model-len 32768', edits: [{ start: last.end, end: last.end, newText: ' --max-model-len 32768' }] }];
        sink.report('deploy/max-model-len-missing', at.start, at.end, 'No --max-model-len: vLLM sizes the KV cache for the model’s full context (1M tokens for some models), which can run out of memory at load or leave little room for batching. Set the longest context you really serve, e.g. --max-model-len 32768.', { fixes });
      }
    }
    if (d.preemptibility?.value === 'preemptible' && d.servingPorts.length > 0) {
      sink.report('deploy/preemptible-endpoint', d.preemptibility.start, d.preemptibility.end, 'This serving endpoint is preemptible: higher-priority work can evict it and the model must then reload (minutes for a large model). Fine for dev/test; use non-preemptible for production endpoints.');
    }
  },
};
