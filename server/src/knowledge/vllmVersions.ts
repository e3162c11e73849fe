/**
 * Which vLLM release a script targets, and whether a flag existed in it. The history we have is a
 * series of dated samples of vLLM's main branch plus dated releases, so every answer is
 * three-valued: present, absent, or unknown. Only a certain answer may produce an error.
 */
import type { VllmVersionAnchor } from './types';

export interface Version {
  major: number;
  minor: number;
  patch: number;
  text: string;
}

export type Presence = 'present' | 'absent' | 'unknown';

const DAY = 86_400_000;
/** vLLM cuts a release branch some days before the release; main after that is not in it. */
const BRANCH_CUT_DAYS = 7;

/** Reads `0.18.0`, `v0.18.0`, `v0.18.0-cu128`, `0.18.0rc1`, `0.18`; anything else is not a version. */
export function parseVersion(text: string | undefined): Version | undefined {
  if (!text) return undefined;
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text.trim());
  if (!m) return undefined;
  return { major: +m[1], minor: +m[2], patch: m[3] ? +m[3] : 0, text: `${m[1]}.${m[2]}.${m[3] ?? 0}` };
}

export function compareVersions(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** The version pinned by an image reference such as `registry/x/vllm-openai:v0.18.0`. */
export function versionFromImage(image: string): Version | undefined {
  if (!/vllm/i.test(image)) return undefined;
  const at = image.indexOf('@');
  const ref = at >= 0 ? image.slice(0, at) : image;
  const colon = ref.lastIndexOf(':');
  if (colon < 0 || ref.indexOf('/', colon) >= 0) return undefined;
  return parseVersion(ref.slice(colon + 1));
}

export interface ReleaseDate {
  /** Estimated release date, ms since the epoch. */
  date: number;
  /** How far off the estimate may be, in days. */
  uncertainty: number;
}

function toTime(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

/** Estimates when a version was released, from the anchors around it. */
export function releaseDate(version: Version, anchors: VllmVersionAnchor[]): ReleaseDate | undefined {
  const known = anchors
    .map((a) => ({ v: parseVersion(a.version)!, t: toTime(a.date), kind: a.kind }))
    .sort((x, y) => compareVersions(x.v, y.v));
  const exact = known.find((k) => compareVersions(k.v, version) === 0);
  if (exact) return { date: exact.t, uncertainty: exact.kind === 'anchor' ? 3 : 7 };
  // Patch releases of a known minor come shortly after it.
  const sameMinor = known.filter((k) => k.v.major === version.major && k.v.minor === version.minor);
  if (sameMinor.length > 0) return { date: sameMinor[0].t + 7 * DAY * (version.patch - sameMinor[0].v.patch), uncertainty: 14 };
  const before = [...known].reverse().find((k) => compareVersions(k.v, version) < 0);
  const after = known.find((k) => compareVersions(k.v, version) > 0);
  if (!before || !after) return undefined;
  // Interpolate by minor number: vLLM releases minors at a roughly steady pace.
  const span = after.v.minor - before.v.minor + (after.v.major - before.v.major) * 100;
  const step = version.minor - before.v.minor + (version.major - before.v.major) * 100;
  const fraction = span > 0 ? Math.min(1, Math.max(0, step / span)) : 0.5;
  const date = before.t + (after.t - before.t) * fraction;
  const uncertainty = Math.max(10, Math.round((after.t - before.t) / DAY / 3));
  return { date, uncertainty };
}

/**
 * Whether something that appeared on main between `absentAt` and `presentAt` (ISO dates) is in a
 * release. `absentAt` may be undefined (it has always been there).
 */
export function presenceOfAddition(absentAt: string | undefined, presentAt: string | undefined, release: ReleaseDate): Presence {
  const margin = release.uncertainty * DAY;
  if (presentAt && toTime(presentAt) <= release.date - BRANCH_CUT_DAYS * DAY - margin) return 'present';
  if (!absentAt) return 'present';
  if (toTime(absentAt) >= release.date + margin) return 'absent';
  return 'unknown';
}

/** Whether something last seen on main at `lastSeen` and gone by `goneBy` is in a release. */
export function presenceOfRemoval(lastSeen: string | undefined, goneBy: string, release: ReleaseDate): Presence {
  const margin = release.uncertainty * DAY;
  if (lastSeen && toTime(lastSeen) >= release.date + margin) return 'present';
  if (toTime(goneBy) <= release.date - BRANCH_CUT_DAYS * DAY - margin) return 'absent';
  return 'unknown';
}

/** Whether a release includes a change merged on main on `date`: 'present' (it does), 'absent' (it predates it) or 'unknown'. */
export function includesChange(date: string, release: ReleaseDate): Presence {
  const before = new Date(toTime(date) - DAY).toISOString().slice(0, 10);
  return presenceOfAddition(before, date, release);
}

/** "around v0.17" style wording for a date on main. */
export function versionAround(date: string, anchors: VllmVersionAnchor[]): string | undefined {
  const t = toTime(date);
  const sorted = [...anchors].sort((a, b) => toTime(a.date) - toTime(b.date));
  const next = sorted.find((a) => toTime(a.date) >= t);
  return next ? `v${next.version}` : undefined;
}
