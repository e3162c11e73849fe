/**
 * Keys of a `vllm serve --config` file that are not options, explained: the `no-x` spelling of a
 * boolean, an option vLLM removed, an abbreviation argparse would still accept, or a typo.
 */
import { replaceFix, type FindingSink, type OffsetFix } from '../analysis/context';
import { closest } from '../knowledge/suggest';
import { lookupVllmFlag, removedVllmFlag, vllmFlagsWithPrefix } from '../knowledge/vllm';
import { rootSchema } from './schemaStore';
import type { Located } from './schemaTree';

const UNKNOWN = 'vLLM turns every key into a command-line flag and exits with "unrecognized arguments" on this one.';

/** vLLM rewrites `_` to `-` in the option name (before any `.`). */
export function normaliseKey(key: string): string {
  const dot = key.indexOf('.');
  return dot < 0 ? key.replace(/_/g, '-') : key.slice(0, dot).replace(/_/g, '-') + key.slice(dot);
}

/** Writes a dash-spelled option name the way the file spells its key. */
function inStyle(name: string, like: string): string {
  return like.includes('_') && !like.includes('-') ? name.replace(/-/g, '_') : name;
}

export function unknownVllmKey(key: string, child: Located, siblings: Map<string, Located>, sink: FindingSink): void {
  const s = child.keyStart!;
  const e = child.keyEnd!;
  const name = normaliseKey(key);
  const rename = (to: string): OffsetFix[] => (child.viaAlias ? [] : [replaceFix(`Rename to ${to}`, s, e, to)]);

  // `no-x` is how the command line turns a boolean off; the file writes `x: false`.
  const base = name.startsWith('no-') ? lookupVllmFlag(`--${name.slice(3)}`) : undefined;
  if (base && base.flag.negated === `--${name}`) {
    const positive = inStyle(name.slice(3), key);
    const fixes: OffsetFix[] = [];
    if (child.editable && typeof child.value === 'boolean') {
      fixes.push({ title: `Write ${positive}: ${!child.value}`, preferred: true, edits: [{ start: s, end: e, newText: positive }, { start: child.start, end: child.end, newText: String(!child.value) }] });
    }
    if (child.value === false) {
      sink.report('vllm-config/unknown-key', s, e, `\`${key}: false\` is silently ignored: vLLM drops false booleans, and \`no-\` spellings are not config keys. To turn ${base.flag.name} on, write \`${positive}: true\`.`, { fixes });
    } else {
      sink.report('vllm-config/unknown-key', s, e, `\`${key}\` is the command-line spelling; in a config file write \`${positive}: false\`. vLLM happens to pass \`${key}: true\` on as ${base.flag.negated}, but the config schema (and editors using it) do not know this key.`, { severity: 'warning', fixes });
    }
    return;
  }

  const removed = removedVllmFlag(`--${name}`);
  if (removed) {
    const replacement = removed.replacement?.startsWith('--') ? inStyle(removed.replacement.slice(2), key) : undefined;
    const why = removed.why ? ` (${removed.why})` : '';
    sink.report(
      'vllm-config/unknown-key',
      s,
      e,
      `\`${key}\` is an option vLLM removed${why}; releases from ${removed.goneBy} on exit with "unrecognized arguments" when they read it.${replacement ? ` Use \`${replacement}\` instead.` : ''}`,
      { fixes: replacement && removed.rename ? rename(replacement) : [] },
    );
    return;
  }

  if (!name.includes('.')) {
    const prefixed = vllmFlagsWithPrefix(`--${name}`);
    if (prefixed.length === 1) {
      const full = inStyle(prefixed[0].name.slice(2), key);
      sink.report('vllm-config/unknown-key', s, e, `\`${key}\` only works as an abbreviation of \`${full}\`: vLLM would refuse it as soon as another option starts the same way. Write the full name.`, { severity: 'warning', fixes: rename(full) });
      return;
    }
    if (prefixed.length > 1) {
      const names = prefixed.slice(0, 4).map((f) => `\`${inStyle(f.name.slice(2), key)}\``).join(', ');
      sink.report('vllm-config/unknown-key', s, e, `\`${key}\` is not a full option name and starts several (${names}${prefixed.length > 4 ? ', …' : ''}), so vLLM refuses it as ambiguous.`);
      return;
    }
  }

  const present = new Set([...siblings.keys()].map(normaliseKey));
  const candidates = vllmKeyCandidates().filter((c) => !present.has(c));
  const guess = closest(name, candidates);
  const suggestion = guess ? inStyle(guess, key) : undefined;
  sink.report('vllm-config/unknown-key', s, e, `\`${key}\` is not a \`vllm serve\` option${suggestion ? `; did you mean \`${suggestion}\`?` : '.'} ${UNKNOWN}`, {
    fixes: suggestion ? rename(suggestion) : [],
  });
}

let keyCandidates: string[] | undefined;
function vllmKeyCandidates(): string[] {
  // Dash spellings only: the suggestion is written back in the key's own style.
  keyCandidates ??= Object.keys((rootSchema('vllmConfig').schema.properties ?? {}) as Record<string, unknown>).filter((k) => !k.includes('_'));
  return keyCandidates;
}
