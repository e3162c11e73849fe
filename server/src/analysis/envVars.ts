/**
 * Checks environment variable assignments (`export NCCL_DEBUG=INFO`, `-e NCCL_IB_HCA=...`,
 * container `env:` items): the name must be one NCCL / vLLM reads, and the value must be one it
 * can parse. NCCL silently falls back to its default on a bad value, which is why those are errors.
 */
import { hasExpansion, valueRange } from '../shell/lexer';
import type { EnvAssignment } from '../shell/invocations';
import { allNcclNames, lookupNcclThirdParty, lookupNcclVar, type NcclThirdPartyReader } from '../knowledge/nccl';
import { envData, lookupEnvVar, vllmEnvNames } from '../knowledge/env';
import { includesChange } from '../knowledge/vllmVersions';
import type { VllmTarget } from './vllmTarget';
import { closest } from '../knowledge/suggest';
import type { EnvVar, NcclVar } from '../knowledge/types';
import { replaceFix, type FindingSink } from './context';

const NCCL_INT = /^[+-]?(?:0[xX][0-9a-fA-F]+|\d+)$/;
const TRUTHY_HF = /^(?:1|0|true|false|yes|no|on|off)$/i;

/** Where a bare shell assignment is only a script variable, unknown names are not our business. */
function reachesAProcess(a: EnvAssignment): boolean {
  return a.source !== 'assignment';
}

/**
 * rvn knows the VLLM_ variables of one vLLM snapshot only: a release pinned before it may have
 * read variables since removed (VLLM_USE_V1 in 0.10, VLLM_ATTENTION_BACKEND).
 */
function predatesSnapshot(target: VllmTarget | undefined): boolean {
  if (!target || target.source === 'default') return false;
  const snapshot = /\((\d{4}-\d{2}-\d{2})\)/.exec(envData().vllmSnapshot)?.[1];
  if (!snapshot) return true;
  if (!target.release) return !target.beyondKnowledge;
  return includesChange(snapshot, target.release) !== 'present';
}

/** `target`: the vLLM release the variables are read by, when known (a pinned image, a setting). */
/**
 * `usedByScript(name)`: whether the script itself expands `$NAME` / `${NAME}` somewhere, which
 * makes an exported `NCCL_`-named variable with no NCCL name near it the script's own.
 */
/**
 * `noVllmInScript`: the assignment is an `export` in a script that starts no vLLM itself, so an
 * unknown VLLM_ name may be meant for another program (production-stack's router).
 */
export function checkEnvAssignment(a: EnvAssignment, sink: FindingSink, target?: VllmTarget, usedByScript?: (name: string) => boolean, noVllmInScript = false): void {
  const { word, name } = a;
  const [nameStart, nameEnd] = valueRange(word, 0, a.eq >= 0 ? a.eq : name.length);
  if (name.startsWith('NCCL_')) {
    const v = lookupNcclVar(name);
    if (!v) {
      if (!reachesAProcess(a)) return;
      const reader = lookupNcclThirdParty(name);
      if (reader) {
        reportThirdParty(name, reader, nameStart, nameEnd, sink);
        return;
      }
      const suggestion = closestNcclName(name);
      if (!suggestion && a.source === 'export') {
        // `export NCCL_IMAGE=…; … -i "$NCCL_IMAGE"`: no NCCL name near it and the script expands it
        // itself: the script's own variable. Exported for other scripts (MLPerf's NCCL_TEST), it may
        // be theirs too: a note, not a warning.
        if (usedByScript?.(name)) return;
        sink.report('nccl/unknown-variable', nameStart, nameEnd, `NCCL reads no variable named ${name}, and no NCCL variable is spelled like it. If it is meant for NCCL it has no effect; if another script reads it, ignore this.`, { severity: 'info' });
        return;
      }
      sink.report('nccl/unknown-variable', nameStart, nameEnd, `NCCL reads no variable named ${name}${suggestion ? `; did you mean ${suggestion}?` : '.'} An unknown name is ignored, so this setting has no effect.`, {
        fixes: suggestion ? [replaceFix(`Change to ${suggestion}`, nameStart, nameEnd, suggestion)] : [],
      });
      return;
    }
    checkNcclName(v, nameStart, nameEnd, sink);
    if (a.eq >= 0) checkNcclValue(a, v, sink);
    return;
  }
  const known = lookupEnvVar(name);
  if (!known) {
    if (name.startsWith('VLLM_') && reachesAProcess(a)) {
      const suggestion = closest(name, vllmEnvNames());
      // For an older release only a likely typo is sure: other names it may still have read.
      if (!suggestion && predatesSnapshot(target)) return;
      if (!suggestion && noVllmInScript) {
        sink.report('env/unknown-vllm-variable', nameStart, nameEnd, `vLLM registers no variable named ${name}. No vLLM server starts in this script, so this is only a concern if a vLLM started from this environment elsewhere inherits it: vLLM would log a warning for the unknown name (or refuse to start with --fail-on-environ-validation). If another program reads it, ignore this.`, { severity: 'info' });
        return;
      }
      sink.report('env/unknown-vllm-variable', nameStart, nameEnd, `vLLM registers no variable named ${name}${suggestion ? `; did you mean ${suggestion}?` : '.'} vLLM logs a warning for unknown VLLM_ variables (or refuses to start with --fail-on-environ-validation).${suggestion ? '' : ' If it was removed, it no longer has an effect; if a platform plugin (vllm-gaudi, vllm-ascend, tpu-inference) reads it, it works and only the warning is logged.'}`, {
        fixes: suggestion ? [replaceFix(`Change to ${suggestion}`, nameStart, nameEnd, suggestion)] : [],
      });
    }
    return;
  }
  if (a.eq >= 0) checkEnvValue(a, known, sink);
}

/**
 * The known name an unknown `NCCL_*` one is a likely typo of. Distance is measured on the part
 * after `NCCL_`, so the shared prefix does not make short, unrelated names look close
 * (`NCCL_TEST` is not `NCCL_NET`, `NCCL_CFG_PATH` is not `NCCL_EP_PATH`).
 */
function closestNcclName(name: string): string | undefined {
  const suffix = closest(name.slice('NCCL_'.length), allNcclNames().map((n) => n.slice('NCCL_'.length)));
  return suffix === undefined ? undefined : `NCCL_${suffix}`;
}

/** A name core NCCL ignores but a plugin, tool or framework reads: said as a note, not a typo. */
function reportThirdParty(name: string, r: NcclThirdPartyReader, start: number, end: number, sink: FindingSink): void {
  const successor = r.renamedTo?.[name];
  if (successor) {
    sink.report('nccl/unknown-variable', start, end, `Core NCCL reads no variable named ${name}; ${r.reader} reads it as the deprecated spelling of ${successor} and logs a warning. Use ${successor}.`, {
      severity: 'info',
      fixes: [replaceFix(`Rename to ${successor}`, start, end, successor)],
    });
    return;
  }
  const effect =
    r.what === 'net plugin' || r.what === 'tuner plugin'
      ? `it has an effect only when NCCL loads that ${r.what}`
      : r.what === 'setup script'
        ? 'it is a setting for that script, not for NCCL'
        : `it has an effect only in that ${r.what}`;
  sink.report('nccl/unknown-variable', start, end, `Core NCCL reads no variable named ${name}; ${r.reader} reads it, so ${effect}.`, { severity: 'info' });
}

function checkNcclName(v: NcclVar, start: number, end: number, sink: FindingSink): void {
  const successor = v.renamedTo ?? v.aliasOf;
  if (successor) {
    sink.report('nccl/renamed-variable', start, end, `${v.name} was renamed ${successor}; releases since 2.18 read only the new name, so this setting is ignored.`, {
      fixes: [replaceFix(`Rename to ${successor}`, start, end, successor)],
    });
  } else if (v.removedAfter) {
    const last = /^\d/.test(v.removedAfter) ? `last read by NCCL ${v.removedAfter}` : 'not read by any NCCL release since 2.18';
    sink.report('nccl/removed-variable', start, end, `${v.name} is no longer read by NCCL (${last}); with a newer NCCL it has no effect.`);
  }
}

function valueOf(a: EnvAssignment): { value: string; from: number } {
  return { value: a.word.value.slice(a.eq + 1), from: a.eq + 1 };
}

function checkNcclValue(a: EnvAssignment, v: NcclVar, sink: FindingSink): void {
  const { value, from } = valueOf(a);
  if (hasExpansion(a.word, from) || value === '') return;
  const range = valueRange(a.word, from, a.word.value.length);
  const report = (message: string, fix?: string, severity?: 'warning') =>
    sink.report('nccl/invalid-value', range[0], range[1], message, { severity, fixes: fix !== undefined ? [replaceFix(`Change to ${fix}`, range[0], range[1], fix)] : [] });

  switch (v.type) {
    case 'bool(0/1)':
    case 'int':
    case 'size':
      if (!NCCL_INT.test(value)) checkNcclNumber(v, value, report);
      return;
    case 'enum': {
      if (!v.choices || v.choices.some((c) => c.startsWith('<'))) return;
      if (/integer/.test(v.syntax ?? '') && NCCL_INT.test(value)) return;
      if (v.choices.some((c) => c.toLowerCase() === value.toLowerCase())) return;
      const suggestion = closest(value, v.choices);
      report(`${v.name} accepts ${v.choices.join(', ')}; \`${value}\` is none of them, so NCCL ignores it${suggestion ? ` (did you mean ${suggestion}?)` : ''}.`, suggestion);
      return;
    }
    case 'list':
      if (v.choices) checkNcclTokenList(a, v, from, sink);
      return;
    case 'string':
      if (v.choices && !v.choices.some((c) => c.startsWith('<')) && !v.choices.some((c) => c.toLowerCase() === value.toLowerCase())) {
        report(`${v.name} accepts ${v.choices.join(', ')}; \`${value}\` is none of them.`, closest(value, v.choices));
      }
      return;
  }
}

/**
 * The leading number C's `strtoll(value, NULL, 0)` reads, as NCCL_PARAM does: it skips spaces,
 * takes an optional sign and a decimal, 0x-hex or 0-octal number, and stops at the first other
 * character. NCCL falls back to the default only when errno is set (overflow); with no digits at
 * all strtoll returns 0 and NCCL uses 0.
 */
function strtollPrefix(value: string): string | undefined {
  return /^\s*[+-]?(?:0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(value)?.[0].trim();
}

/** An integer or 0/1 NCCL variable whose value is not a clean number: what NCCL really reads. */
function checkNcclNumber(v: NcclVar, value: string, report: (message: string, fix?: string, severity?: 'warning') => void): void {
  const lead = strtollPrefix(value);
  const what = v.type === 'bool(0/1)' ? 'takes 0 or 1' : `takes an integer${v.type === 'size' ? ' number of bytes' : ''}`;
  if (lead !== undefined) {
    const rest = value.slice(value.indexOf(lead) + lead.length);
    if (rest.trim() === '') return; // ` 1 `: spaces around the number change nothing
    // `4M`, `8GB`: a byte count with a unit is read as that many bytes.
    if (v.type === 'size' && /^\s*[kKmMgGtT]i?[bB]?\s*$/.test(rest)) {
      report(`${v.name} ${what}; NCCL reads only the leading ${lead} of \`${value}\`, so it uses ${lead} bytes. Write the byte count in full.`);
    } else {
      report(`${v.name} ${what}; NCCL reads only the leading ${lead} of \`${value}\` and ignores the rest from \`${rest.trimStart()[0]}\`.`, undefined, 'warning');
    }
    return;
  }
  const instead = v.default !== undefined && v.default !== '0' ? ` instead of its default ${v.default}` : '';
  if (v.type === 'bool(0/1)' && /^(?:false|no|off)$/i.test(value)) {
    report(`${v.name} ${what}; \`${value}\` works only because NCCL finds no number in it and reads 0. Write 0.`, '0', 'warning');
  } else if (v.type === 'bool(0/1)' && /^(?:true|yes|on)$/i.test(value)) {
    report(`${v.name} ${what}; NCCL finds no number in \`${value}\` and reads 0, which is off: the opposite of what it says.`, '1');
  } else {
    report(`${v.name} ${what}; NCCL finds no number in \`${value}\` and uses 0${instead}.`);
  }
}

/** NCCL_DEBUG's levels, which people put in NCCL_DEBUG_SUBSYS by mistake. */
const DEBUG_LEVELS = new Set(['VERSION', 'WARN', 'INFO', 'ABORT', 'TRACE']);

/** The accepted names as a message lists them: the likely intended one, else the first few (hover lists all). */
function namesFor(token: string, v: NcclVar): string {
  const suggestion = closest(token, v.choices!);
  const all = v.choices!;
  if (suggestion) return `did you mean ${suggestion}?`;
  return all.length > 8 ? `${all.slice(0, 8).join(', ')}, … ${all.length - 8} more` : all.join(', ');
}

/** The collectives NCCL_ALGO / NCCL_PROTO rules can name (`ncclFuncStr` in NCCL's init.cc). */
const NCCL_FUNCS = ['Broadcast', 'Reduce', 'AllGather', 'ReduceScatter', 'AllReduce'];

/**
 * `NCCL_DEBUG_SUBSYS=INIT,NET` / `^INIT`: every token must be a known name. NCCL_ALGO and
 * NCCL_PROTO (2.24+) take `;`-separated groups, each `[collective:][^]name,name`, and only the
 * first group may leave out the collective: `ring;allreduce:^tree,ring` (parseList in tuning.cc).
 */
function checkNcclTokenList(a: EnvAssignment, v: NcclVar, from: number, sink: FindingSink): void {
  const value = a.word.value.slice(from);
  const perCollective = /\[func:\]|grammar as NCCL_ALGO/.test(v.syntax ?? '');
  // NCCL_ALGO/NCCL_PROTO: NCCL stops with "Unrecognized element token"; the typed 2.30 lists
  // (NCCL_DEBUG_SUBSYS) drop the whole value; older releases skipped the token.
  const consequence = perCollective
    ? 'NCCL rejects the whole value and communicator set-up fails (Unrecognized element token).'
    : 'NCCL 2.30+ then ignores the whole value; older releases skip the token.';
  const flag = (start: number, token: string, message: string, candidates: string[]) => {
    const [s, e] = valueRange(a.word, start, start + token.length);
    const suggestion = closest(token, candidates);
    sink.report('nccl/invalid-value', s, e, message, { severity: 'warning', fixes: suggestion ? [replaceFix(`Change to ${suggestion}`, s, e, suggestion)] : [] });
  };
  let groupStart = from;
  const groups = perCollective ? value.split(';') : [value];
  groups.forEach((group, index) => {
    let offset = groupStart;
    groupStart += group.length + 1;
    let list = group;
    const colon = perCollective ? group.indexOf(':') : -1;
    if (colon >= 0) {
      const func = group.slice(0, colon);
      if (!NCCL_FUNCS.some((f) => f.toLowerCase() === func.toLowerCase())) {
        flag(offset, func, `\`${func}\` is not a collective ${v.name} can name (${NCCL_FUNCS.join(', ')}). ${consequence}`, NCCL_FUNCS);
      }
      offset += colon + 1;
      list = group.slice(colon + 1);
    } else if (perCollective && index > 0 && group !== '') {
      const [s, e] = valueRange(a.word, offset, offset + group.length);
      sink.report('nccl/invalid-value', s, e, `Only the first ;-separated group of ${v.name} may leave out the collective (as in allreduce:${group}). ${consequence}`, { severity: 'warning' });
      return;
    }
    if (list.startsWith('^')) {
      offset++;
      list = list.slice(1);
    }
    for (const token of list.split(',')) {
      const start = offset;
      offset += token.length + 1;
      if (token === '' || v.choices!.some((c) => c.toLowerCase() === token.toLowerCase())) continue;
      const level = v.name === 'NCCL_DEBUG_SUBSYS' && DEBUG_LEVELS.has(token.toUpperCase());
      flag(start, token, level ? `\`${token}\` is a level of NCCL_DEBUG, not a subsystem NCCL_DEBUG_SUBSYS can name. ${consequence}` : `\`${token}\` is not one of ${v.name}'s names (${namesFor(token, v)}). ${consequence}`, v.choices!);
    }
  });
}

function checkEnvValue(a: EnvAssignment, v: EnvVar, sink: FindingSink): void {
  const { value, from } = valueOf(a);
  if (hasExpansion(a.word, from) || value === '') return;
  const [s, e] = valueRange(a.word, from, a.word.value.length);
  if (v.choices) {
    const match = v.caseInsensitive ? v.choices.some((c) => c.toLowerCase() === value.toLowerCase()) : v.choices.includes(value);
    if (!match && !(v.type === 'str' && !v.caseInsensitive && v.owner !== 'vllm')) {
      const suggestion = closest(value, v.choices);
      sink.report('env/invalid-value', s, e, `${v.name} accepts ${v.choices.join(', ')}; \`${value}\` is none of them.`, {
        fixes: suggestion ? [replaceFix(`Change to ${suggestion}`, s, e, suggestion)] : [],
      });
    }
    return;
  }
  if (v.type === 'bool') {
    const ok = v.owner === 'vllm' ? /^(?:[+-]?\d+|true|false)$/i.test(value) : TRUTHY_HF.test(value);
    if (!ok) sink.report('env/invalid-value', s, e, `${v.name} is a switch: use 1 or 0; \`${value}\` is not understood${v.owner === 'vllm' ? ' and may stop vLLM at start-up' : ' and counts as off'}.`);
  } else if (v.type === 'int' && !/^[+-]?\d+$/.test(value)) {
    sink.report('env/invalid-value', s, e, `${v.name} takes a whole number; \`${value}\` is not one.`);
  } else if (v.type === 'float' && !/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(value)) {
    sink.report('env/invalid-value', s, e, `${v.name} takes a number; \`${value}\` is not one.`);
  }
}
