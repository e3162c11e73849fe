/**
 * The extension's settings, typed once: package.json's `contributes.configuration` declares the
 * same keys (a test keeps them in step), the client passes them through, the server reads them.
 */
import type { AnalysisSettings, RuleSetting } from '../analysis/context';

export interface RvnSettings {
  /** `rvn.vllmVersion`: vLLM version to check against; empty = from comments / image tags. */
  vllmVersion: string;
  /** `rvn.rules`: severity per rule id. */
  rules: Record<string, RuleSetting>;
}

export const DEFAULT_SETTINGS: RvnSettings = {
  vllmVersion: '',
  rules: {},
};

/** Keys under the `rvn` section that the server reads (trace.server belongs to the client). */
export const SETTING_KEYS: readonly (keyof RvnSettings)[] = ['vllmVersion', 'rules'];

/** Settings only the VS Code client reads, with their defaults. */
export const CLIENT_SETTINGS = {
  /** Switch untitled / plain-text documents that look like NCCL output to the nccl-log language. */
  'logs.detectPastedText': true,
  /** Show the log summary (ranks, transports, findings) in the status bar for NCCL logs. */
  'logs.statusBar': true,
} as const;

/** What the client tells the server at start-up, besides settings (`initializationOptions`). */
export interface InitializationOptions {
  /** Red Hat's YAML extension is active: it reports YAML syntax errors, so we must not. */
  redhatYamlActive?: boolean;
  /** Settings for clients without `workspace/configuration` (e.g. a plain LSP client). */
  settings?: Partial<RvnSettings>;
}

export function toAnalysisSettings(s: RvnSettings, init: InitializationOptions = {}): AnalysisSettings {
  return {
    ...(s.vllmVersion ? { vllmVersion: s.vllmVersion } : {}),
    rules: s.rules ?? {},
    ...(init.redhatYamlActive ? { yamlSyntaxErrors: false, redhatYaml: true } : {}),
  };
}
