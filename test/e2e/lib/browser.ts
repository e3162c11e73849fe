/**
 * Debian's Chromium driven by playwright-core, both installed outside the clone by
 * scripts/install-e2e-clients.sh. playwright-core is loaded from that folder at run time, so the
 * repository does not depend on it; the few calls used here are typed below.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { clients, requireClients } from './clients';

export interface Locator {
  first(): Locator;
  nth(index: number): Locator;
  filter(options: { hasText?: string | RegExp }): Locator;
  locator(selector: string, options?: { hasText?: string | RegExp }): Locator;
  waitFor(options?: { state?: 'attached' | 'detached' | 'visible' | 'hidden'; timeout?: number }): Promise<void>;
  click(options?: { timeout?: number; position?: { x: number; y: number } }): Promise<void>;
  hover(options?: { timeout?: number; position?: { x: number; y: number } }): Promise<void>;
  innerText(options?: { timeout?: number }): Promise<string>;
  getAttribute(name: string, options?: { timeout?: number }): Promise<string | null>;
  count(): Promise<number>;
  all(): Promise<Locator[]>;
  boundingBox(options?: { timeout?: number }): Promise<{ x: number; y: number; width: number; height: number } | null>;
  screenshot(options: { path: string; timeout?: number }): Promise<unknown>;
}

export interface FrameLocator {
  locator(selector: string, options?: { hasText?: string | RegExp }): Locator;
  frameLocator(selector: string): FrameLocator;
}

export interface Page {
  goto(url: string, options?: { waitUntil?: 'load' | 'domcontentloaded'; timeout?: number }): Promise<unknown>;
  locator(selector: string, options?: { hasText?: string | RegExp }): Locator;
  frameLocator(selector: string): FrameLocator;
  keyboard: { press(key: string): Promise<void>; type(text: string, options?: { delay?: number }): Promise<void> };
  mouse: { move(x: number, y: number, options?: { steps?: number }): Promise<void> };
  screenshot(options: { path: string; clip?: { x: number; y: number; width: number; height: number } }): Promise<unknown>;
  waitForTimeout(ms: number): Promise<void>;
  on(event: 'console', listener: (message: { type(): string; text(): string }) => void): void;
}

export interface Browser {
  newPage(options?: { viewport?: { width: number; height: number }; deviceScaleFactor?: number }): Promise<Page>;
  close(): Promise<void>;
}

interface PlaywrightCore {
  chromium: { launch(options: { executablePath: string; headless: boolean; args: string[] }): Promise<Browser> };
}

/** Flags from ../shared/clients/FEASIBILITY.md: no sandbox (root), no GPU, nothing that calls home. */
export async function launchChromium(): Promise<Browser> {
  requireClients('tools', 'chromium');
  const require = createRequire(join(clients.tools, 'package.json'));
  const { chromium } = require('playwright-core') as PlaywrightCore;
  return chromium.launch({
    executablePath: clients.chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--no-first-run', '--disable-quic'],
  });
}
