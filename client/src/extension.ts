/**
 * The VS Code face: start the language server and let it do the work. The server bundle runs in
 * a separate Node process over IPC; nothing here analyses text.
 */
import * as path from 'node:path';
import { extensions, type ExtensionContext } from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { InitializationOptions } from '../../server/src/protocol/settings';
import { registerCommands } from './commands';
import { startLogDetection } from './logDetection';
import { startStatusBar } from './statusBar';

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath(path.join('dist', 'server', 'server.js'));
  const serverOptions: ServerOptions = {
    // A small young generation keeps the server's memory close to its live data; `gc` lets it
    // hand memory back after a large file (server/src/memory.ts); see bin/rvn-language-server.
    run: { module, transport: TransportKind.ipc, options: { execArgv: ['--max-semi-space-size=1', '--expose-gc'], env: { ...process.env, MALLOC_TRIM_THRESHOLD_: '65536' } } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const initializationOptions: InitializationOptions = {
    // Red Hat's YAML extension reports YAML syntax errors itself; the server then leaves them out.
    redhatYamlActive: extensions.getExtension('redhat.vscode-yaml') !== undefined,
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: ['shellscript', 'yaml', 'nccl-log'].flatMap((language) => [
      { scheme: 'file', language },
      { scheme: 'untitled', language },
    ]),
    synchronize: { configurationSection: 'rvn' },
    initializationOptions,
  };
  client = new LanguageClient('rvn', 'Run:ai · vLLM · NCCL', serverOptions, clientOptions);
  await client.start();
  context.subscriptions.push({ dispose: () => void client?.stop() }, ...registerCommands(client), startLogDetection(), startStatusBar(client));
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
