/**
 * Reads `docker run` / `podman run` options just far enough to find the environment (`-e`,
 * `--env`), the image and the container arguments. Options we don't know are assumed to take a
 * value unless written `--opt=value`, except the common switches listed here.
 */
import { toAssignment, type DockerRunCall, type EnvAssignment } from '../shell/invocations';
import type { Word } from '../shell/lexer';

const SWITCHES = new Set([
  '--rm', '-d', '--detach', '-i', '--interactive', '-t', '--tty', '--privileged', '--init', '--read-only',
  '-P', '--publish-all', '--no-healthcheck', '--oom-kill-disable', '-q', '--quiet', '--sig-proxy', '--help',
]);

export interface DockerRun {
  env: EnvAssignment[];
  image?: Word;
  entrypoint?: string;
  after: Word[];
}

export function readDockerRun(call: DockerRunCall): DockerRun {
  const result: DockerRun = { env: [], after: [] };
  const args = call.args;
  let i = 0;
  for (; i < args.length; i++) {
    const w = args[i];
    const v = w.value;
    if (v === '--') {
      i++;
      break;
    }
    if (!v.startsWith('-') || v === '-') break;
    const eq = v.indexOf('=');
    const name = eq >= 0 ? v.slice(0, eq) : v;
    if (name === '-e' || name === '--env') {
      const target = eq >= 0 ? undefined : args[++i];
      if (target) {
        const a = toAssignment(target, 'docker', true);
        if (a) result.env.push(a);
      }
      continue;
    }
    if (name === '--entrypoint') {
      result.entrypoint = eq >= 0 ? v.slice(eq + 1) : args[++i]?.value;
      continue;
    }
    if (eq >= 0 || SWITCHES.has(v) || /^-[itdPq]+$/.test(v)) continue;
    i++; // an option with a separate value
  }
  result.image = args[i];
  result.after = args.slice(i + 1);
  return result;
}
