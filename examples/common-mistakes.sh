#!/usr/bin/env bash
# Deliberately wrong: every command below has a problem that would only show up after the pod
# started (or never, for the NCCL settings NCCL silently ignores). `rvn check` finds them all.

# Typos in Run:ai flags and a malformed key=value list.
runai inference distributed submit typo-model \
  -p my-project \
  -i registry.example.com/ai-platform/vllm-openai:v0.18.0 \
  --worker 2 \
  -g 2 \
  --existing-pvc claimname=my-project-pvc,mountpath=/data \
  --serving-port container=8000,authorization-type=authenticated \
  --preemptibility preemtible \
  --environment-variable NCCL_SOCKET_IFNAM=net1 \
  --environment-variable NCCL_IB_DISABLE=true \
  --environment-variable NCCL_DEBUG_SUBSYS=INIT,NETWORK \
  -- /data/input/Models/My-Model-119B \
  --tensor-paralel-size 2 \
  --dtype bfloat \
  --gpu-memory-utilization high \
  --disable-log-requests \
  --port 8000

# vLLM directly: a switch given a value and a removed flag.
export NCCL_DEBUG=VERBOSE
vllm serve /models/llama --enforce-eager true --swap-space 4 --max-model-len 32k
