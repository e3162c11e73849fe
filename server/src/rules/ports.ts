/** The port the platform routes to must be the port vLLM listens on (8000 unless --port says otherwise). */
import type { RuleFamily } from './types';
import { hasVllmOption, intFact, vllmOption } from './deployment';
import { replaceFix } from '../analysis/context';

const VLLM_DEFAULT_PORT = 8000;

export const ports: RuleFamily = {
  rules: [{ id: 'deploy/port-mismatch', severity: 'error', summary: 'The serving port and vLLM’s --port differ, so requests never reach the server.', needsAll: ['object'] }],
  check(d, sink) {
    // A fragment's base may list the port vLLM uses: only a complete object can lack it.
    if (!d.vllm || d.servingPorts.length === 0 || hasVllmOption(d, '--uds')) return;
    const portOption = vllmOption(d, '--port');
    if (hasVllmOption(d, '--port') && !portOption) return; // a variable: unknown
    const port = portOption ? intFact(portOption)?.value : VLLM_DEFAULT_PORT;
    // A container may list metrics or other ports too: only report when none of them is vLLM's.
    if (port === undefined || d.servingPorts.some((p) => p.value === port)) return;
    const serving = d.servingPorts[0];
    const where = d.kind === 'runai' ? '--serving-port' : 'containerPort';
    sink.report('deploy/port-mismatch', serving.start, serving.end, `${where} is ${serving.value} but vLLM listens on ${port}${portOption ? '' : ' (its default)'}; traffic to the endpoint goes nowhere. Use the same port on both sides.`, {
      fixes: portOption ? [replaceFix(`Set vLLM --port to ${serving.value}`, portOption.start, portOption.end, String(serving.value), false), replaceFix(`Use port ${port}`, serving.start, serving.end, String(port))] : [replaceFix(`Use port ${port}`, serving.start, serving.end, String(port))],
    });
  },
};
