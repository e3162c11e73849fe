/** Every command the extension contributes, in one table (ids match package.json). */
import { commands, Uri, window, type Disposable } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { showTopology } from './topologyPanel';

export function registerCommands(client: LanguageClient): Disposable[] {
  const table: Record<string, (...args: unknown[]) => unknown> = {
    'rvn.showTopology': (arg?: unknown) => {
      const uri = typeof arg === 'string' ? Uri.parse(arg) : arg instanceof Uri ? arg : window.activeTextEditor?.document.uri;
      if (!uri) return window.showInformationMessage('Open an NCCL log (NCCL_DEBUG=INFO output) to see its topology.');
      return showTopology(client, uri);
    },
    'rvn.restartServer': () => client.restart(),
  };
  return Object.entries(table).map(([id, handler]) => commands.registerCommand(id, handler));
}
