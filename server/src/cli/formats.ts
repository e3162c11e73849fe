/** Output formats of `rvn check`: text for people, JSON for scripts, SARIF for code scanning. */
import type { Finding, Severity } from '../protocol/findings';
import { allRules, ruleDocsPath } from '../analysis/rules';
import { PROJECT_URL } from '../protocol/project';

export interface FileReport {
  path: string;
  findings: Finding[];
  /** Set when the file could not be analysed. */
  skipped?: string;
}

const ICON: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'info', hint: 'hint' };

export function formatText(reports: FileReport[], color: boolean): string {
  const paint = (code: string, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const sevColor: Record<Severity, string> = { error: '31', warning: '33', info: '36', hint: '2' };
  const lines: string[] = [];
  const totals: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const r of reports) {
    for (const f of r.findings) {
      totals[f.severity]++;
      const at = `${r.path}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
      lines.push(`${paint('1', at)}: ${paint(sevColor[f.severity], ICON[f.severity])} ${f.message} ${paint('2', `[${f.rule}]`)}`);
    }
  }
  const files = reports.length;
  lines.push(
    `${files} file${files === 1 ? '' : 's'} checked: ${totals.error} error${totals.error === 1 ? '' : 's'}, ${totals.warning} warning${totals.warning === 1 ? '' : 's'}, ${totals.info + totals.hint} note${totals.info + totals.hint === 1 ? '' : 's'}`,
  );
  return `${lines.join('\n')}\n`;
}

/** A finding as `--format json` prints it: 1-based lines and columns. */
export function findingJson(f: Finding) {
  return {
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    line: f.range.start.line + 1,
    column: f.range.start.character + 1,
    endLine: f.range.end.line + 1,
    endColumn: f.range.end.character + 1,
  };
}

export function formatJson(reports: FileReport[]): string {
  const files = reports.map((r) => ({ path: r.path, findings: r.findings.map(findingJson) }));
  return `${JSON.stringify({ version: 1, files })}\n`;
}

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

export function formatSarif(reports: FileReport[], toolVersion: string): string {
  const rules = allRules();
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const uri = (p: string) => p.split('\\').join('/').replace(/^\.\//, '');
  const results = reports.flatMap((r) =>
    r.findings.map((f) => ({
      ruleId: f.rule,
      ...(index.has(f.rule) ? { ruleIndex: index.get(f.rule) } : {}),
      level: SARIF_LEVEL[f.severity],
      message: { text: f.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: uri(r.path), uriBaseId: '%SRCROOT%' },
            region: { startLine: f.range.start.line + 1, startColumn: f.range.start.character + 1, endLine: f.range.end.line + 1, endColumn: f.range.end.character + 1 },
          },
        },
      ],
      ...(f.fixes?.length
        ? {
            fixes: f.fixes.map((x) => ({
              description: { text: x.title },
              artifactChanges: [
                {
                  artifactLocation: { uri: uri(r.path), uriBaseId: '%SRCROOT%' },
                  replacements: x.edits.map((e) => ({
                    deletedRegion: { startLine: e.range.start.line + 1, startColumn: e.range.start.character + 1, endLine: e.range.end.line + 1, endColumn: e.range.end.character + 1 },
                    insertedContent: { text: e.newText },
                  })),
                },
              ],
            })),
          }
        : {}),
    })),
  );
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'rvn',
            version: toolVersion,
            informationUri: PROJECT_URL,
            rules: rules.map((r) => ({
              id: r.id,
              name: r.id.replace(/[/-](\w)/g, (_, c: string) => c.toUpperCase()),
              shortDescription: { text: r.summary },
              helpUri: `${PROJECT_URL}/blob/main/${ruleDocsPath(r.id)}`,
              defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
