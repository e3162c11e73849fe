#!/usr/bin/env bash
# Multi-node, corrected from the recipe: tensor parallelism inside each 8-GPU node, pipeline
# parallelism across 4 nodes. Run:ai adds a leader pod to the workers, so --workers 3 gives the
# 4 pods (32 GPUs) that TP 8 x PP 4 uses. NCCL is forced onto InfiniBand/RoCE through the Multus
# secondary network; the model is given positionally (vLLM 0.18+ style).
set -euo pipefail

runai inference distributed submit my-large-model \
  -p my-project \
  -i registry.example.com/ai-platform/vllm-openai:v0.18.0 \
  --existing-pvc claimname=my-project-pvc,path=/data \
  --workers 3 \
  -g 8 \
  --serving-port container=8000,authorization-type=authenticatedUsers \
  --environment-variable TRANSFORMERS_OFFLINE=1 \
  --environment-variable HF_HUB_OFFLINE=1 \
  --environment-variable NCCL_NET=IB \
  --environment-variable NCCL_IB_HCA=mlx5_0:1 \
  --environment-variable NCCL_SOCKET_IFNAME=net1 \
  --extended-resource "openshift.io/mellanoxnics=1" \
  --annotation "k8s.v1.cni.cncf.io/networks=rdma-net" \
  --run-as-uid 2000 \
  --run-as-gid 2000 \
  --run-as-non-root \
  -- /data/input/Models/My-Huge-Model-700B \
  --served-model-name huge-model \
  --tensor-parallel-size 8 \
  --pipeline-parallel-size 4 \
  --max-model-len 32768 \
  --port 8000
