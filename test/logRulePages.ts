/**
 * Shared checks for the rule pages of the log readers (nccl-log, nccl-tests, vllm-log): layout,
 * severity, and an executable example in the page's fenced block that yields the page's rule.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '../server/src/protocol/findings';
import { repoRoot } from './helpers';

export interface LogRule {
  id: string;
  severity: string;
}

export const pageOf = (id: string) => join(repoRoot, 'docs/rules', `${id.replace(/\//g, '-')}.md`);

/** The body of a `## Heading` section, up to the next `## `. */
export function section(md: string, heading: string): string | undefined {
  const lines = md.split('\n');
  const start = lines.findIndex((l) => l.trim() === `## ${heading}`);
  if (start < 0) return undefined;
  const end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

/**
 * One test per rule: the page exists with its title, severity, sections and `--rule` note, and its
 * ```<fence> example, diagnosed by `findingsOf`, yields the rule (with the page's severity when
 * `sameSeverity`).
 */
export function testLogRulePages(rules: readonly LogRule[], fence: string, findingsOf: (text: string) => Finding[], options: { sameSeverity?: boolean; noSuppress?: boolean } = {}): void {
  for (const rule of rules) {
    test(`docs for ${rule.id}: layout and an example that triggers it`, () => {
      const path = pageOf(rule.id);
      assert.ok(existsSync(path), `${path} exists`);
      const md = readFileSync(path, 'utf8');
      assert.equal(md.split('\n')[0], `# ${rule.id}`);
      assert.match(md, new RegExp(`^\\*\\*Default severity:\\*\\* ${rule.severity}\\b`, 'm'));
      for (const heading of ['What it finds', 'Example', 'What to do']) assert.ok(section(md, heading)?.trim(), `has a "${heading}" section`);
      if (options.noSuppress) assert.equal(section(md, 'Suppress'), undefined, 'log rules have no suppression comments');
      assert.ok(md.includes(`--rule ${rule.id}=`), 'notes how to change the severity with --rule');
      const example = new RegExp(`^\`\`\`${fence}\\n([\\s\\S]*?)^\`\`\``, 'm').exec(section(md, 'Example') ?? '')?.[1];
      assert.ok(example, `the Example section has a \`\`\`${fence} block`);
      const findings = findingsOf(example);
      const mine = findings.filter((f) => f.rule === rule.id);
      assert.ok(mine.length > 0, `the example yields ${rule.id}; got ${findings.map((f) => f.rule).join(', ') || 'nothing'}`);
      if (options.sameSeverity) assert.equal(mine[0].severity, rule.severity);
    });
  }
}
