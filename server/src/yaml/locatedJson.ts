/**
 * JSON with the position of every key and value: the CNI configuration a NetworkAttachmentDefinition
 * holds as a string. Positions are indices into the string, mapped to file offsets by the caller's
 * `map` (through the YAML string's characters), so findings land on the exact characters.
 */
import type { Located } from './schemaTree';

export interface JsonSyntaxError {
  start: number;
  end: number;
  message: string;
  /** Parsing went on after it (a trailing comma). */
  recovered: boolean;
}

/**
 * Parses JSON text, keeping the position of every key and value. Only a trailing comma is
 * recovered from (the rest of the document can still be checked); any other error stops.
 * Positions are indices into `source`; `map` turns them into file offsets.
 */
export function locateJson(source: string, map: (index: number) => number = (i) => i): { root?: Located; errors: JsonSyntaxError[] } {
  const errors: JsonSyntaxError[] = [];
  let pos = 0;
  const fail = (start: number, end: number, message: string): never => {
    errors.push({ start: map(start), end: mapEnd(end), message, recovered: false });
    throw new SyntaxError(message);
  };
  const mapEnd = (end: number) => (end <= 0 ? map(0) : map(end - 1) + 1);
  const ws = () => {
    while (pos < source.length && /[ \t\r\n]/.test(source[pos])) pos++;
  };
  const describe = (i: number) => (i >= source.length ? 'the end of the text' : `\`${source[i]}\``);

  const string = (): { value: string; start: number; end: number } => {
    const open = pos++;
    let value = '';
    while (pos < source.length && source[pos] !== '"') {
      const c = source[pos];
      if (c === '\n' || c < ' ') fail(pos, pos + 1, 'A JSON string cannot contain a line break or control character; close the string with `"` on the same line.');
      if (c === '\\') {
        const e = source[pos + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && e in simple) {
          value += simple[e];
          pos += 2;
          continue;
        }
        if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(source.slice(pos + 2, pos + 6))) {
          value += String.fromCharCode(parseInt(source.slice(pos + 2, pos + 6), 16));
          pos += 6;
          continue;
        }
        fail(pos, pos + 2, `\`${source.slice(pos, pos + 2)}\` is not a JSON escape.`);
      }
      value += c;
      pos++;
    }
    if (pos >= source.length) fail(open, open + 1, 'This JSON string is never closed.');
    pos++;
    return { value, start: open + 1, end: pos - 1 };
  };

  const value = (): Located => {
    ws();
    const c = source[pos];
    const start = pos;
    const located = (v: unknown, s: number, e: number, extra: Partial<Located> = {}): Located => ({ value: v, start: map(s), end: mapEnd(e), extentEnd: mapEnd(e), editable: true, ...extra });
    if (c === '{') {
      pos++;
      const obj: Record<string, unknown> = {};
      const children = new Map<string, Located>();
      ws();
      if (source[pos] === '}') {
        pos++;
        return located(obj, start, pos, { children });
      }
      for (;;) {
        ws();
        if (source[pos] !== '"') {
          if (source[pos] === "'") fail(pos, pos + 1, 'JSON keys need double quotes, not single quotes.');
          if (/[A-Za-z_]/.test(source[pos] ?? '')) fail(pos, pos + 1, 'JSON keys need double quotes.');
          fail(pos, pos + 1, `Expected a double-quoted key, found ${describe(pos)}.`);
        }
        const key = string();
        ws();
        if (source[pos] !== ':') fail(pos, pos + 1, `Expected \`:\` after the key "${key.value}", found ${describe(pos)}.`);
        pos++;
        const child = value();
        child.keyStart = map(key.start);
        child.keyEnd = key.end > key.start ? mapEnd(key.end) : map(key.start);
        obj[key.value] = child.value;
        children.set(key.value, child);
        ws();
        if (source[pos] === ',') {
          const comma = pos++;
          ws();
          if (source[pos] === '}') {
            errors.push({ start: map(comma), end: mapEnd(comma + 1), message: 'JSON does not allow a comma after the last entry: remove it (the plugin cannot parse the configuration otherwise).', recovered: true });
            pos++;
            break;
          }
          continue;
        }
        if (source[pos] === '}') {
          pos++;
          break;
        }
        fail(pos, pos + 1, `Expected \`,\` or \`}\` after the value of "${key.value}", found ${describe(pos)}.`);
      }
      return located(obj, start, pos, { children });
    }
    if (c === '[') {
      pos++;
      const items: Located[] = [];
      ws();
      if (source[pos] === ']') {
        pos++;
        return located([], start, pos, { children: items });
      }
      for (;;) {
        items.push(value());
        ws();
        if (source[pos] === ',') {
          const comma = pos++;
          ws();
          if (source[pos] === ']') {
            errors.push({ start: map(comma), end: mapEnd(comma + 1), message: 'JSON does not allow a comma after the last item: remove it (the plugin cannot parse the configuration otherwise).', recovered: true });
            pos++;
            break;
          }
          continue;
        }
        if (source[pos] === ']') {
          pos++;
          break;
        }
        fail(pos, pos + 1, `Expected \`,\` or \`]\` in the list, found ${describe(pos)}.`);
      }
      return located(items.map((i) => i.value), start, pos, { children: items });
    }
    if (c === '"') {
      const s = string();
      return located(s.value, s.start, s.end, { quoted: true });
    }
    const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    number.lastIndex = pos;
    const n = number.exec(source);
    if (n && n[0] !== '-') {
      pos += n[0].length;
      return located(Number(n[0]), start, pos);
    }
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (source.startsWith(word, pos)) {
        pos += word.length;
        return located(v, start, pos);
      }
    }
    if (c === "'") fail(pos, pos + 1, 'JSON strings need double quotes, not single quotes.');
    if (c === undefined) fail(Math.max(0, source.length - 1), source.length, 'The JSON ends before its value does: a `}` or `]` is missing.');
    if (c === '}' || c === ']') fail(pos, pos + 1, `Expected a value before \`${c}\`.`);
    const word = /[^\s,:{}[\]"]+/y;
    word.lastIndex = pos;
    const w = word.exec(source)?.[0] ?? c;
    return fail(pos, pos + w.length, `\`${w}\` is not a JSON value; strings need double quotes.`);
  };

  try {
    const root = value();
    ws();
    if (pos < source.length) fail(pos, pos + 1, `Unexpected ${describe(pos)} after the end of the JSON value.`);
    return { root, errors };
  } catch (e) {
    if (e instanceof SyntaxError) return { errors };
    throw e;
  }
}
