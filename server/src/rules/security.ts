/**
 * Non-root execution (mandatory on OpenShift): the settings that make a pod refuse to start, and
 * the half-configured ones. The vLLM image runs as root unless told otherwise.
 */
import type { RuleFamily } from './types';

/**
 * The upstream vLLM images (and mirrors that keep their name) have no USER, so they run as root.
 * Red Hat (UBI) builds, llm-d's images and custom images often set one: for them rvn cannot know.
 */
const UPSTREAM_IMAGE = /(?:^|\/)(?:vllm-openai(?:-rocm|-cpu)?|vllm-tpu|vllm-cpu|rocm\/vllm)(?:[:@]|$)/;

function runsAsRoot(image: string | undefined): boolean {
  return !!image && UPSTREAM_IMAGE.test(image) && !/ubi\d|rhel/i.test(image);
}

export const security: RuleFamily = {
  rules: [
    { id: 'deploy/root-with-non-root', severity: 'error', summary: 'User id 0 together with run-as-non-root: the kubelet refuses to start the container.' },
    { id: 'deploy/uid-without-non-root', severity: 'info', summary: 'A user id is set but non-root is not enforced.', needsAll: ['object'] },
    { id: 'deploy/non-root-without-uid', severity: 'warning', summary: 'runAsNonRoot without a user id: the upstream vLLM image runs as root, so the container is refused.', needsAll: ['object'] },
  ],
  check(d, sink) {
    if (d.kind === 'shell') return;
    const uid = d.runAsUser;
    const nonRoot = d.runAsNonRoot;
    const name = d.kind === 'runai' ? { uid: '--run-as-uid', nonRoot: '--run-as-non-root' } : { uid: 'runAsUser', nonRoot: 'runAsNonRoot' };
    if (uid?.value === 0 && nonRoot?.value) {
      sink.report('deploy/root-with-non-root', uid.start, uid.end, `${name.uid} 0 is root, and ${name.nonRoot} forbids root: the container never starts. Use the non-root user the files on the volume belong to (e.g. 2000).`);
    } else if (uid && uid.value !== 0 && !nonRoot?.value) {
      sink.report('deploy/uid-without-non-root', uid.start, uid.end, `${name.uid} ${uid.value} is set but ${name.nonRoot} is not, so nothing stops a later change from running the container as root. Add ${name.nonRoot} (required on OpenShift).`);
    } else if (nonRoot?.value && !uid && !d.runAsUserImplicit && runsAsRoot(d.image?.value)) {
      sink.report('deploy/non-root-without-uid', nonRoot.start, nonRoot.end, `${name.nonRoot} is set without ${name.uid}. The vLLM image's default user is root, so the kubelet refuses to start the container. Set ${name.uid} (and make the model files on the volume readable by that user, e.g. fsGroup).`);
    }
  },
};
