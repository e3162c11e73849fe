/** Pinned images: `latest` or no tag means the next pull may bring a vLLM with other flags. */
import type { RuleFamily } from './types';

/** The tag of an image reference, '' when there is none; a digest counts as pinned. */
export function imageTag(image: string): string | undefined {
  if (image.includes('@sha256:')) return undefined;
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  return colon < 0 ? '' : image.slice(colon + 1);
}

export const images: RuleFamily = {
  rules: [{ id: 'deploy/image-not-pinned', severity: 'warning', summary: 'The image has no tag or uses latest: the vLLM version can change under you.' }],
  check(d, sink) {
    // `$(vllm-image)`, `${IMAGE}`: a kustomize or OpenShift template parameter, filled in later.
    if (!d.image || !d.image.value || /[$(){}]/.test(d.image.value)) return;
    // Only a container that runs vLLM: `busybox:latest` in a sidecar or `docker run ubuntu` brings no vLLM release.
    if (!d.vllm && !/vllm/i.test(d.image.value)) return;
    const tag = imageTag(d.image.value);
    if (tag === '' || tag === 'latest') {
      sink.report('deploy/image-not-pinned', d.image.start, d.image.end, `\`${d.image.value}\` ${tag === '' ? 'has no tag, which means latest' : 'uses latest'}: the next pull can bring a vLLM release with removed or renamed flags, and rvn cannot tell which version to check against. Pin a version tag (e.g. v0.18.0) or a digest.`);
    }
  },
};
