/**
 * A throw-away code-server: fresh profile, extensions dir and XDG folders under a temp folder (so
 * nothing is written to ~/.config or ~/.local), bound to a free port on 127.0.0.1, offline settings.
 * It runs in its own process group so that stop() also ends the file watcher, the extension host
 * and the language server it started (killing only the main pid leaves them orphaned).
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { clients, requireClients } from './clients';

export interface CodeServerOptions {
  /** Short name for the temp folder and the log file. */
  name: string;
  /** Folder opened in the workbench. */
  workspace: string;
  /** Installed with `code-server --install-extension` (what a user does with the VSIX). */
  vsix?: string;
  /** Extension folders linked into the extensions dir as <publisher>.<name>-<version>. */
  linkExtensions?: string[];
  /** Extra environment for the server; the extension host inherits it. */
  env?: Record<string, string>;
  /** User settings on top of the offline defaults. */
  settings?: Record<string, unknown>;
  /** Where the server log is copied when stopped. */
  logFile: string;
}

export interface CodeServer {
  url: string;
  /** Workbench URL that opens the workspace folder. */
  workbenchUrl: string;
  userDataDir: string;
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

const OFFLINE_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.startupEditor': 'none',
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'git.enabled': false,
  'window.restoreWindows': 'none',
  'files.autoSave': 'off',
  // Stable screenshots: no blinking cursor, no minimap.
  'editor.cursorBlinking': 'solid',
  'editor.minimap.enabled': false,
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  requireClients('node24', 'codeServer');
  const work = mkdtempSync(join(tmpdir(), `rvn-e2e-${options.name}-`));
  const userDataDir = join(work, 'user-data');
  const extensionsDir = join(work, 'extensions');
  for (const d of [join(userDataDir, 'User'), extensionsDir, join(work, 'xdg-config'), join(work, 'xdg-data')]) mkdirSync(d, { recursive: true });
  const config = join(work, 'config.yaml');
  writeFileSync(config, 'auth: none\n');
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...OFFLINE_SETTINGS, ...options.settings }, null, 2));

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    PATH: `${dirname(clients.node24)}:${process.env.PATH ?? ''}`,
    XDG_CONFIG_HOME: join(work, 'xdg-config'),
    XDG_DATA_HOME: join(work, 'xdg-data'),
  };
  delete env.NODE_OPTIONS;
  const base = ['--config', config, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];

  if (options.vsix) {
    const r = spawnSync(clients.node24, [clients.codeServer, ...base, '--install-extension', options.vsix], { env, encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0 || !/successfully installed/i.test(r.stdout + r.stderr)) {
      throw new Error(`--install-extension ${options.vsix} failed (exit ${r.status}): ${(r.stdout + r.stderr).trim().slice(-500)}`);
    }
  }
  if (options.linkExtensions?.length) {
    // extensions.json (written by --install-extension) lists what is installed, and folders not in
    // it are marked as removed at start-up; without the file, code-server scans the folder instead.
    rmSync(join(extensionsDir, 'extensions.json'), { force: true });
  }
  for (const dir of options.linkExtensions ?? []) {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
    symlinkSync(dir, join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`));
  }

  const port = await freePort();
  const serverLog = join(work, 'server.log');
  const logFd = openSync(serverLog, 'w');
  const child = spawn(
    clients.node24,
    [clients.codeServer, ...base, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
      '--disable-workspace-trust', '--disable-getting-started-override', options.workspace],
    { env, detached: true, stdio: ['ignore', logFd, logFd] },
  );
  closeSync(logFd);
  const pid = child.pid!;
  let exited = false;
  child.once('exit', () => (exited = true));
  // If this runner dies, the whole group still goes.
  const killGroup = () => { try { process.kill(-pid, 'SIGKILL'); } catch { /* already gone */ } };
  process.once('exit', killGroup);
  // `timeout` and Ctrl+C end this runner with a signal, which skips 'exit' handlers unless handled.
  const onSignal = (signal: NodeJS.Signals) => { killGroup(); process.exit(signal === 'SIGINT' ? 130 : 143); };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);

  const logTail = (lines = 30) => {
    try {
      return readFileSync(serverLog, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  };

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    try { process.kill(-pid, 'SIGTERM'); } catch { /* gone */ }
    for (let i = 0; i < 30 && groupAlive(pid); i++) await sleep(100);
    killGroup();
    for (let i = 0; i < 20 && groupAlive(pid); i++) await sleep(100);
    process.removeListener('exit', killGroup);
    process.removeListener('SIGTERM', onSignal);
    process.removeListener('SIGINT', onSignal);
    try { writeFileSync(options.logFile, readFileSync(serverLog)); } catch { /* no log */ }
    if (!process.env.RVN_E2E_KEEP) rmSync(work, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited) {
      const tail = logTail();
      await stop();
      throw new Error(`code-server exited during start-up:\n${tail}`);
    }
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      const tail = logTail();
      await stop();
      throw new Error(`code-server did not answer /healthz within 30 s:\n${tail}`);
    }
    await sleep(100);
  }
  return { url, workbenchUrl: `${url}/?folder=${encodeURIComponent(options.workspace)}`, userDataDir, logTail, stop };
}
