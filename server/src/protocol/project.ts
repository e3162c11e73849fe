/** Facts about the product shared by every face. */
export const PRODUCT_NAME = 'runai-vllm-nccl';
export const PRODUCT_VERSION = '0.1.0';
/** Where the rule pages are published; also shipped offline in docs/rules/ inside the package. */
export const PROJECT_URL = 'https://github.com/runai-vllm-nccl/runai-vllm-nccl';
