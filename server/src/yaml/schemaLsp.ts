/** LSP shapes shared by the schema completion and hover: ranges from offsets, hover text. */
import { MarkupKind, type Hover, type Range } from 'vscode-languageserver-types';
import { descriptionOf, typeLabel, type Scoped } from './schemaStore';

export function position(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return { line, character: offset - (text.lastIndexOf('\n', offset - 1) + 1) };
}

export function range(text: string, start: number, end: number): Range {
  const s = position(text, start);
  const sameLine = !text.slice(start, end).includes('\n');
  return { start: s, end: sameLine ? { line: s.line, character: s.character + (end - start) } : position(text, end) };
}

export function hoverFor(schemas: Scoped[], name: string, text: string, [s, e]: [number, number]): Hover | undefined {
  const description = descriptionOf(schemas);
  if (!description) return undefined;
  const type = typeLabel(schemas);
  const head = description.startsWith('**') ? '' : `**${name}**${type ? ` · ${type}` : ''}\n\n`;
  return { contents: { kind: MarkupKind.Markdown, value: head + description }, range: range(text, s, e) };
}
