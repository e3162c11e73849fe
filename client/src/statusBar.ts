/** Status bar item for NCCL logs: the server's one-line summary (ranks, transports, findings). */
import { StatusBarAlignment, ThemeColor, window, workspace, type Disposable, type TextEditor } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { LOG_SUMMARY_REQUEST, type LogSummaryParams, type LogSummaryResult } from '../../server/src/protocol/requests';

export function startStatusBar(client: LanguageClient): Disposable {
  const item = window.createStatusBarItem('rvn.logSummary', StatusBarAlignment.Left, 50);
  item.name = 'NCCL log summary';
  item.command = 'rvn.showTopology';
  let timer: ReturnType<typeof setTimeout> | undefined;
  const update = async (editor: TextEditor | undefined) => {
    if (!editor || editor.document.languageId !== 'nccl-log' || !workspace.getConfiguration('rvn').get<boolean>('logs.statusBar', true)) {
      item.hide();
      return;
    }
    const params: LogSummaryParams = { uri: editor.document.uri.toString() };
    const result = await client.sendRequest<LogSummaryResult>(LOG_SUMMARY_REQUEST, params);
    if (!result.isLog) return item.hide();
    item.text = `$(pulse) ${result.statusText ?? 'NCCL log'}`;
    item.tooltip = result.tooltip;
    item.backgroundColor = result.status === 'error' ? new ThemeColor('statusBarItem.errorBackground') : result.status === 'warning' ? new ThemeColor('statusBarItem.warningBackground') : undefined;
    item.show();
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void update(window.activeTextEditor), 300);
  };
  const subscriptions = [window.onDidChangeActiveTextEditor(schedule), workspace.onDidChangeTextDocument(schedule), item];
  schedule();
  return { dispose: () => subscriptions.forEach((s) => s.dispose()) };
}
