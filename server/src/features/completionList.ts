/**
 * Packs completion items for the wire. A flag list is ~300 items that all replace the same range;
 * when the client supports LSP 3.17 list item defaults, that range is sent once
 * (`itemDefaults.editRange`) instead of on every item, which halves the response.
 */
import type { CompletionItem, CompletionList, Range } from 'vscode-languageserver-types';

const sameRange = (a: Range, b: Range) => a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;

export function completionResult(items: CompletionItem[], editRangeDefault: boolean): CompletionItem[] | CompletionList {
  const first = items[0]?.textEdit;
  if (!editRangeDefault || !first || !('range' in first)) return items;
  const range = first.range;
  if (!items.every((i) => i.textEdit && 'range' in i.textEdit && sameRange(i.textEdit.range, range))) return items;
  return {
    isIncomplete: false,
    itemDefaults: { editRange: range },
    items: items.map(({ textEdit, ...item }) => (textEdit!.newText === item.label ? item : { ...item, textEditText: textEdit!.newText })),
  };
}
