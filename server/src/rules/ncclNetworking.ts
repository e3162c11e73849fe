/**
 * NCCL networking: the settings that make multi-GPU traffic use NVLink and RDMA, and the
 * contradictions that quietly push it onto TCP sockets (or stop it).
 */
import type { RuleFamily } from './types';
import { envName, envValue, type Deployment } from './deployment';

const MULTUS_ANNOTATION = 'k8s.v1.cni.cncf.io/networks';
const RDMA_RESOURCE = /mellanox|rdma|infiniband|sriov|\/ib\b|hca/i;
const RDMA_SETTINGS = ['NCCL_IB_HCA', 'NCCL_NET', 'NCCL_NET_PLUGIN', 'NCCL_IB_GID_INDEX', 'NCCL_NET_GDR_LEVEL'];

const nonZero = (v: string | undefined) => v !== undefined && /^[+-]?\d+$/.test(v) && Number(v) !== 0;

function multiNode(d: Deployment): boolean {
  return !!d.pods && d.pods.value > 1;
}

export const ncclNetworking: RuleFamily = {
  rules: [
    { id: 'deploy/multus-annotation-missing', severity: 'warning', summary: 'NCCL_SOCKET_IFNAME names a Multus interface (net1) but the pod requests no secondary network.', needsAll: ['object'] },
    { id: 'deploy/ib-disabled-but-forced', severity: 'error', summary: 'NCCL_NET=IB together with NCCL_IB_DISABLE=1: NCCL has no network to use.' },
    { id: 'deploy/rdma-requested-ib-disabled', severity: 'warning', summary: 'An RDMA NIC is requested but NCCL_IB_DISABLE=1 keeps NCCL off it.' },
    { id: 'deploy/multi-node-tcp', severity: 'info', summary: 'Several pods and no RDMA setting: NCCL will likely fall back to TCP sockets.', needsAll: ['object'] },
    { id: 'deploy/p2p-disabled-single-node', severity: 'warning', summary: 'NCCL_P2P_DISABLE=1 on one node turns NVLink off between its GPUs.' },
    { id: 'deploy/debug-subsys-without-debug', severity: 'warning', summary: 'NCCL_DEBUG_SUBSYS without NCCL_DEBUG prints nothing.', needsAll: ['object'] },
    { id: 'deploy/nccl-debug-enabled', severity: 'info', summary: 'NCCL_DEBUG=INFO/TRACE: verify the transport, then remove it for production.' },
  ],
  check(d, sink) {
    const ifname = envValue(d, 'NCCL_SOCKET_IFNAME');
    // `^net1` excludes the interface, so a missing net1 does no harm.
    if (ifname && d.kind !== 'shell' && !ifname.value.startsWith('^') && /(?:^|,)=?net\d+/.test(ifname.value) && !d.annotations.has(MULTUS_ANNOTATION)) {
      sink.report('deploy/multus-annotation-missing', ifname.start, ifname.end, `NCCL_SOCKET_IFNAME=${ifname.value} names a Multus secondary interface, but the pod has no \`${MULTUS_ANNOTATION}\` annotation, so that interface does not exist and NCCL cannot bootstrap. Add the annotation naming the NetworkAttachmentDefinition.`);
    }
    const net = envValue(d, 'NCCL_NET');
    const ibDisable = envValue(d, 'NCCL_IB_DISABLE');
    const ibOff = nonZero(ibDisable?.value);
    if (net && /^ib$/i.test(net.value) && ibOff) {
      sink.report('deploy/ib-disabled-but-forced', net.start, net.end, 'NCCL_NET=IB forces the InfiniBand/RoCE transport, but NCCL_IB_DISABLE=1 turns it off: NCCL fails to initialise. Remove one of the two.');
    }
    const rdma = d.resources.find((r) => RDMA_RESOURCE.test(r.value));
    if (rdma && ibOff && ibDisable) {
      sink.report('deploy/rdma-requested-ib-disabled', ibDisable.start, ibDisable.end, `The pod requests ${rdma.value}, but NCCL_IB_DISABLE=1 keeps NCCL on TCP sockets: the RDMA NIC is allocated and unused. Set NCCL_IB_DISABLE=0 (or drop the resource).`);
    }
    if (d.vllm && multiNode(d) && !rdma && !RDMA_SETTINGS.some((n) => d.env.has(n)) && !ibOff) {
      const at = d.pods!;
      sink.report('deploy/multi-node-tcp', at.start, at.end, `This model spans ${d.pods!.value} pods (${d.podsNote}), which exchange tensors over the network, but nothing selects RDMA (no RDMA NIC resource, no NCCL_IB_HCA / NCCL_NET). NCCL will likely use TCP sockets, much slower than InfiniBand/RoCE; check for NET/Socket in the NCCL log.`);
    }
    const p2p = envValue(d, 'NCCL_P2P_DISABLE');
    const singleNode = d.pods ? d.pods.value === 1 : d.kind === 'shell';
    if (p2p && nonZero(p2p.value) && singleNode) {
      sink.report('deploy/p2p-disabled-single-node', p2p.start, p2p.end, 'NCCL_P2P_DISABLE=1 turns off direct GPU-to-GPU transfers, so GPUs on this node talk through host memory instead of NVLink (a large slowdown for tensor parallelism). Remove it unless you are debugging.');
    }
    const subsys = envName(d, 'NCCL_DEBUG_SUBSYS');
    if (subsys && !d.env.has('NCCL_DEBUG')) {
      sink.report('deploy/debug-subsys-without-debug', subsys.start, subsys.end, 'NCCL_DEBUG_SUBSYS only filters what NCCL_DEBUG prints; without NCCL_DEBUG=INFO nothing is logged. Set NCCL_DEBUG too.');
    }
    const debug = envValue(d, 'NCCL_DEBUG');
    if (debug && /^(?:info|trace)$/i.test(debug.value)) {
      sink.report('deploy/nccl-debug-enabled', debug.start, debug.end, `NCCL_DEBUG=${debug.value} is right while verifying the transport (NVLink, NET/IB vs NET/Socket), but it logs a lot on every communicator; remove it (or use WARN) for production.`);
    }
  },
};
