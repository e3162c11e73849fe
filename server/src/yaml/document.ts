/**
 * Parses a (possibly multi-document, possibly Helm-templated) YAML file into `yaml` documents with
 * exact source ranges. Helm `{{ ... }}` actions are masked before parsing, keeping every offset:
 * a line that is only an action becomes blank, an action inside a value becomes a `${...}`
 * placeholder of the same length, which later stages treat like any unknown expansion.
 * Aliases are never expanded, so an alias bomb costs nothing.
 */
import { parseAllDocuments, type Document } from 'yaml';
import type { CommentText } from '../analysis/directives';

export interface ParsedYaml {
  /** The text the parser saw (Helm actions masked); same length as the original. */
  masked: string;
  documents: Document.Parsed[];
  comments: CommentText[];
  /** Offsets [start, end) of masked Helm actions. */
  templates: Array<[number, number]>;
}

const ACTION = /\{\{-?[\s\S]*?-?\}\}/g;

export function maskHelm(text: string): { masked: string; templates: Array<[number, number]> } {
  const templates: Array<[number, number]> = [];
  if (!text.includes('{{')) return { masked: text, templates };
  let masked = '';
  let last = 0;
  for (const m of text.matchAll(ACTION)) {
    const start = m.index!;
    const end = start + m[0].length;
    templates.push([start, end]);
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    let lineEnd = text.indexOf('\n', end);
    if (lineEnd < 0) lineEnd = text.length;
    const aloneOnLine = /^\s*$/.test(text.slice(lineStart, start)) && /^\s*$/.test(text.slice(end, lineEnd));
    masked += text.slice(last, start);
    // Keep newlines inside a multi-line action so line numbers stay right.
    const body = m[0].replace(/[^\n]/g, ' ');
    masked += aloneOnLine || m[0].length < 3 ? body : `\${${body.slice(2, -1).replace(/ /g, 'h')}}`;
    last = end;
  }
  return { masked: masked + text.slice(last), templates };
}

/** `#` comments: at a line start or after a blank, outside quotes (good enough for directives). */
function findComments(text: string): CommentText[] {
  const out: CommentText[] = [];
  const re = /(^|[ \t])(#[^\n]*)/gm;
  for (const m of text.matchAll(re)) {
    const start = m.index! + m[1].length;
    const before = text.slice(text.lastIndexOf('\n', start - 1) + 1, start);
    // A `#` after an odd number of quotes on the line is inside a string.
    if ((before.split('"').length - 1) % 2 === 1 || (before.split("'").length - 1) % 2 === 1) continue;
    out.push({ start, text: m[2].replace(/\r$/, '') });
  }
  return out;
}

export function parseYaml(text: string): ParsedYaml {
  const { masked, templates } = maskHelm(text);
  const documents = parseAllDocuments(masked, { uniqueKeys: false, strict: false, prettyErrors: false });
  const list = Array.isArray(documents) ? documents : [];
  return { masked, documents: list, comments: findComments(text), templates };
}
