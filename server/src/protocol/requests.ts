/**
 * Custom LSP requests between the VS Code client and the server, typed once for both sides.
 * The server computes; the client only renders.
 */

/** `rvn/topologyPage`: the topology view of an open NCCL log, as a complete HTML document. */
export const TOPOLOGY_PAGE_REQUEST = 'rvn/topologyPage';

export interface TopologyPageParams {
  uri: string;
  /** The nonce the webview's CSP allows for the page's style and script. */
  nonce: string;
  /** The webview's `cspSource`, added to the page's CSP. */
  cspSource: string;
}

export interface TopologyPageResult {
  html: string;
}

/** `rvn/logSummary`: one line for the status bar, and whether the document is an NCCL log at all. */
export const LOG_SUMMARY_REQUEST = 'rvn/logSummary';

export interface LogSummaryParams {
  uri: string;
}

export interface LogSummaryResult {
  isLog: boolean;
  statusText?: string;
  status?: 'ok' | 'warning' | 'error' | 'unknown';
  tooltip?: string;
}

/** Notification from the webview via the client: the user clicked a log line in the view. */
export interface RevealLineMessage {
  type: 'revealLine';
  log: string;
  line: number;
}
