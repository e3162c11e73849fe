/**
 * One-line advice for the NCCL WARN / failure texts people hit most when running vLLM on Run:ai /
 * Kubernetes. Advice follows the product's source document where it has some (Multus `net1`,
 * mellanoxnics resource, firewall ports 29400-29500) and NCCL's own documentation otherwise.
 */

interface Hint {
  pattern: RegExp;
  advice: string;
}

const HINTS: Hint[] = [
  {
    pattern: /no socket interface found|No usable listening interface found|no device found (?:matching|after excluding)/,
    advice:
      'NCCL_SOCKET_IFNAME (or NCCL_OOB_NET_IFNAME) matches no interface inside the pod. With Multus, `net1` only exists when the k8s.v1.cni.cncf.io/networks annotation attaches the network; check `ip addr` in the pod.',
  },
  {
    pattern: /Failed to initialize any NET plugin/,
    advice:
      'No network transport could start: NCCL_NET forces a transport that is unavailable (e.g. NCCL_NET=IB without an RDMA device - request openshift.io/mellanoxnics), or NCCL_SOCKET_IFNAME excludes every interface.',
  },
  {
    pattern: /no algorithm\/protocol available/i,
    advice: 'NCCL_ALGO / NCCL_PROTO exclude every algorithm that supports this collective; unset them or widen the selection.',
  },
  {
    pattern: /IBV_WC_RETRY_EXC_ERR|retry exceeded/i,
    advice:
      'InfiniBand/RoCE transport retries exhausted: a link or switch dropped packets. Check the fabric and port counters; for RoCE check NCCL_IB_GID_INDEX and lossless (PFC/ECN) config; NCCL_IB_TIMEOUT / NCCL_IB_RETRY_CNT only mask it.',
  },
  {
    pattern: /async fatal event|port.{0,20}(?:down|error)/i,
    advice: 'The HCA reported a fatal event (port down / QP error): check the NIC link state on that node.',
  },
  {
    pattern: /Connection closed by remote peer|Connection reset by peer|Broken pipe/,
    advice: 'A peer process died or the connection between nodes dropped; look for the first error on the peer rank.',
  },
  {
    pattern: /exceeded (?:error retry count|timeouts)|Connection refused|Connection timed out|No route to host/,
    advice:
      'Ranks cannot open TCP connections to each other: a firewall or NetworkPolicy blocks NCCL ports (open 29400-29500 between worker nodes) or NCCL_SOCKET_IFNAME picks an unroutable interface.',
  },
  {
    pattern: /Cuda failure/,
    advice: 'A CUDA call failed inside NCCL (out of memory, driver/toolkit mismatch, or a GPU fault); check `nvidia-smi` and the driver version.',
  },
  {
    pattern: /P2P is disabled between NVLINK connected GPUs/,
    advice: 'NCCL sees NVLink but the driver reports P2P unavailable: usually a hardware or driver issue on that node (nvidia-smi topo -p2p r).',
  },
  {
    pattern: /Mismatched NCCL version|compiled with .{0,40}NCCL version/,
    advice: 'Ranks run different NCCL builds; use the same container image on every worker.',
  },
  {
    pattern: /Cannot allocate memory|ibv_reg_mr/,
    advice: 'Memory registration failed: raise the memlock limit (ulimit -l unlimited) for the container, or the HCA ran out of resources.',
  },
];

/** Advice for a WARN / error text, if one of the known patterns matches. */
export function hintFor(text: string): string | undefined {
  return HINTS.find((h) => h.pattern.test(text))?.advice;
}
