/** Typed, indexed access to the Run:ai CLI knowledge. */
import type { RunaiCommand, RunaiFlag, RunaiKnowledgeData } from './types';
import { lazy, loadKnowledge } from './load';

export const runaiData = lazy(() => loadKnowledge<RunaiKnowledgeData>('runai.json'));

/** Every word that may appear in a command path (`inference`, `distributed`, `submit`, ...). */
const commandWords = lazy(() => {
  const words = new Set<string>();
  for (const [key, children] of Object.entries(runaiData().commandTree)) {
    for (const w of key.split(' ').slice(1)) words.add(w);
    for (const c of children) words.add(c.split(' ')[0]);
  }
  for (const c of runaiData().commands) for (const w of c.path) words.add(w);
  return words;
});

export function isRunaiCommandWord(word: string): boolean {
  return commandWords().has(word);
}

/** The documented command for a path, preferring the current CLI over legacy pages. */
export function findRunaiCommand(path: string[]): RunaiCommand | undefined {
  const key = path.join(' ');
  return runaiData().commands.find((c) => !c.legacy && c.path.join(' ') === key) ?? runaiData().commands.find((c) => c.path.join(' ') === key);
}

const subcommandCache = new Map<string, string[]>();

/** Subcommands that can follow a path (cached: the command tree never changes). */
export function runaiSubcommands(path: string[]): string[] {
  const key = ['runai', ...path].join(' ');
  const cached = subcommandCache.get(key);
  if (cached) return cached;
  const fromTree = runaiData().commandTree[key]?.map((c) => c.split(' ')[0]) ?? [];
  const fromCommands = runaiData().commands.filter((c) => c.path.length > path.length && path.every((p, i) => c.path[i] === p)).map((c) => c.path[path.length]);
  const result = [...new Set([...fromTree, ...fromCommands])];
  subcommandCache.set(key, result);
  return result;
}

export interface RunaiFlagLookup {
  flag: RunaiFlag;
  global: boolean;
}

const flagIndex = new WeakMap<RunaiCommand, Map<string, RunaiFlag>>();
const globalIndex = lazy(() => {
  const map = new Map<string, RunaiFlag>();
  for (const f of runaiData().global) {
    map.set(f.name, f);
    if (f.short) map.set(f.short, f);
  }
  return map;
});

function indexOf(command: RunaiCommand): Map<string, RunaiFlag> {
  let map = flagIndex.get(command);
  if (!map) {
    map = new Map();
    for (const f of command.flags) {
      map.set(f.name, f);
      if (f.short && !map.has(f.short)) map.set(f.short, f);
    }
    flagIndex.set(command, map);
  }
  return map;
}

/** Finds a flag by long name or shorthand in a command, then among the global flags. */
export function lookupRunaiFlag(command: RunaiCommand | undefined, spelling: string): RunaiFlagLookup | undefined {
  const local = command ? indexOf(command).get(spelling) : undefined;
  if (local) return { flag: local, global: false };
  // `-p/--project` and `-h/--help` are on every command even where a page omits them.
  const global = globalIndex().get(spelling);
  if (global) return { flag: global, global: true };
  return undefined;
}

const currentGenerationIndex = lazy(() => {
  const map = new Map<string, RunaiFlag>();
  for (const c of runaiData().commands) {
    if (c.legacy) continue;
    for (const f of c.flags) if (!map.has(f.name)) map.set(f.name, f);
  }
  return map;
});

/**
 * A long flag documented on any current-generation command page. The reference has only the
 * 2.19–2.20 pages for `workspace submit`, `training submit`, `inference submit/update`, and says
 * the current CLI renamed and added flags there (`--preemptibility`, `--environment-variable`):
 * a flag the current CLI documents elsewhere cannot be ruled out on those commands.
 */
export function currentGenerationRunaiFlag(name: string): RunaiFlag | undefined {
  return name.startsWith('--') ? currentGenerationIndex().get(name) : undefined;
}

export function isRunaiBoolFlag(flag: RunaiFlag): boolean {
  return flag.type === 'bool';
}
