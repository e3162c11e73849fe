#!/usr/bin/env bash
# Single-node tensor parallelism, corrected from the recipe: one pod with two GPUs (TP 2 over
# NVLink), a standard inference workload, fully offline with the model on a PVC, non-root, pinned
# image, a bounded context length and a non-preemptible production endpoint.
set -euo pipefail

runai inference standard submit my-model \
  -p my-project \
  -i registry.example.com/ai-platform/vllm-openai:v0.18.0 \
  --existing-pvc claimname=my-project-pvc,path=/data \
  -g 2 \
  --serving-port container=8000,authorization-type=authenticatedUsers \
  --environment-variable TRANSFORMERS_OFFLINE=1 \
  --environment-variable HF_HUB_OFFLINE=1 \
  --environment-variable NCCL_DEBUG=WARN \
  --run-as-uid 2000 \
  --run-as-gid 2000 \
  --run-as-non-root \
  --preemptibility non-preemptible \
  -- /data/input/Models/My-Model-119B \
  --served-model-name my-model \
  --tensor-parallel-size 2 \
  --max-model-len 32768 \
  --port 8000
