/** The vLLM version a command is checked against, and where that choice came from. */
import { newestKnownVllm, vllmData } from '../knowledge/vllm';
import { compareVersions, parseVersion, releaseDate, type ReleaseDate, type Version } from '../knowledge/vllmVersions';

export interface VllmTarget {
  version: Version;
  release?: ReleaseDate;
  source: 'setting' | 'comment' | 'image' | 'default';
  /** The version is newer than the knowledge base: unknown flags may simply be new. */
  beyondKnowledge: boolean;
}

const targets = new Map<string, VllmTarget>();

export function makeTarget(version: Version, source: VllmTarget['source']): VllmTarget {
  const key = `${version.text}:${source}`;
  let target = targets.get(key);
  if (!target) targets.set(key, (target = build(version, source)));
  return target;
}

function build(version: Version, source: VllmTarget['source']): VllmTarget {
  return {
    version,
    release: releaseDate(version, vllmData().versions),
    source,
    beyondKnowledge: compareVersions(version, newestKnownVllm()) > 0,
  };
}

/** The newest known release, used when nothing in the file or settings names one. */
export function defaultTarget(): VllmTarget {
  return makeTarget(newestKnownVllm(), 'default');
}

/** Picks the target: a setting, then a `# rvn: vllm-version=X` comment, then the image tag. */
export function chooseTarget(setting: string | undefined, comment: string | undefined, image: Version | undefined): VllmTarget {
  const fromSetting = parseVersion(setting);
  if (fromSetting) return makeTarget(fromSetting, 'setting');
  const fromComment = parseVersion(comment);
  if (fromComment) return makeTarget(fromComment, 'comment');
  if (image) return makeTarget(image, 'image');
  return defaultTarget();
}

export function describeTarget(t: VllmTarget): string {
  switch (t.source) {
    case 'setting':
      return `vLLM ${t.version.text} (from the rvn.vllmVersion setting)`;
    case 'comment':
      return `vLLM ${t.version.text} (from the rvn: vllm-version comment)`;
    case 'image':
      return `vLLM ${t.version.text} (from the image tag)`;
    default:
      return `vLLM ${t.version.text} (the newest version known to rvn)`;
  }
}
