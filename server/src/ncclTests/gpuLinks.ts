/**
 * What the link between two GPUs of one node can carry, by GPU name as CUDA reports it
 * (`prop.name`: `NVIDIA H200`, `NVIDIA A100-SXM4-80GB`, `NVIDIA H100 PCIe`, ...).
 *
 * Figures are per GPU and per direction, from NVIDIA's data sheets: NVLink 5 1.8 TB/s total,
 * NVLink 4 900 GB/s, NVLink 3 600 GB/s, NVLink 2 300 GB/s; the export-reduced H800/A800 400 GB/s;
 * PCIe Gen5 x16 ~64 GB/s, Gen4 ~32 GB/s, Gen3 ~16 GB/s. nccl-tests' bus bandwidth is normalised so
 * that it compares directly with these numbers; a healthy run reaches a large fraction of them.
 *
 * NVL parts (H100 NVL, H200 NVL) pair GPUs with NVLink bridges but not all pairs of a node, so
 * they are judged by their PCIe link: the lower expectation never raises a false alarm.
 */

export interface GpuLink {
  /** e.g. `NVLink 4`, `PCIe Gen4`. */
  link: string;
  /** GB/s per GPU and direction. */
  gbps: number;
  nvlink: boolean;
}

const NVLINK5: GpuLink = { link: 'NVLink 5', gbps: 900, nvlink: true };
const NVLINK4: GpuLink = { link: 'NVLink 4', gbps: 450, nvlink: true };
const NVLINK4_REDUCED: GpuLink = { link: 'NVLink 4 (export-reduced)', gbps: 200, nvlink: true };
const NVLINK3: GpuLink = { link: 'NVLink 3', gbps: 300, nvlink: true };
const NVLINK3_REDUCED: GpuLink = { link: 'NVLink 3 (export-reduced)', gbps: 200, nvlink: true };
const NVLINK2: GpuLink = { link: 'NVLink 2', gbps: 150, nvlink: true };
const PCIE5: GpuLink = { link: 'PCIe Gen5', gbps: 64, nvlink: false };
const PCIE4: GpuLink = { link: 'PCIe Gen4', gbps: 32, nvlink: false };
const PCIE3: GpuLink = { link: 'PCIe Gen3', gbps: 16, nvlink: false };

// First match wins: PCIe/NVL variants before the SXM part of the same name.
const TABLE: [RegExp, GpuLink][] = [
  [/\bG?B300\b|\bGB200\b|\bB200\b|\bB100\b/i, NVLINK5],
  [/\bGH200\b/i, PCIE5],
  [/\bH(?:100|200|800)\b.*\b(?:PCIe|NVL)\b/i, PCIE5],
  [/\bH800\b/i, NVLINK4_REDUCED],
  [/\bH(?:100|200|20)\b/i, NVLINK4],
  [/\bA(?:100|800)\b.*\bPCIe\b/i, PCIE4],
  [/\bA800\b/i, NVLINK3_REDUCED],
  [/\bA100\b/i, NVLINK3],
  [/\bV100\b.*\bPCIe\b/i, PCIE3],
  [/\bV100\b/i, NVLINK2],
  [/\bT4\b|\bP100\b|\bP40\b/i, PCIE3],
  [/\bRTX PRO 6000\b|\bRTX 5090\b/i, PCIE5],
  [/\bL40S?\b|\bL4\b|\bL20\b|\bA10G?\b|\bA40\b|\bA30\b|\bA16\b|\bA2\b|\bRTX\b/i, PCIE4],
];

export function expectedLink(gpuName: string | undefined): GpuLink | undefined {
  if (!gpuName) return undefined;
  for (const [re, link] of TABLE) if (re.test(gpuName)) return link;
  return undefined;
}
