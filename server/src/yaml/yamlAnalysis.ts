/**
 * The YAML pass: every container's command line (`command` + `args`, or a `sh -c` script inside
 * them) goes through the same checks as a shell script, and every `env` item through the same
 * variable checks, with offsets that point into the YAML file. The result has the same shape as
 * a shell model, so hover works unchanged.
 */
import { isMap, isScalar, isSeq, type YAMLMap } from 'yaml';
import type { SimpleCommand, Word } from '../shell/lexer';
import { containerVllmCall, type EnvAssignment } from '../shell/invocations';
import { FindingSink, replaceFix, type AnalysisSettings } from '../analysis/context';
import { CommandAnalyzer, looksLikeVllmArgs, type AnalyzedCommand, type ShellModel } from '../analysis/shellAnalysis';
import { checkEnvAssignment } from '../analysis/envVars';
import { readDirectives } from '../analysis/directives';
import { LineIndex } from '../analysis/lineIndex';
import { parseYaml, type ParsedYaml, type YamlParseCache } from './document';
import { findContainers, get, resolve, scalarString, type ContainerNode } from './containers';
import { assignmentWord, scalarWord } from './scalarWords';

export interface YamlContainer {
  node: ContainerNode;
  image?: string;
  /** `command` followed by `args`, one Word per list item. */
  argv: Word[];
  commandLength: number;
  env: EnvAssignment[];
  analyzed: AnalyzedCommand;
}

export interface YamlModel extends ShellModel {
  parsed: ParsedYaml;
  containers: YamlContainer[];
}

function words(node: unknown, masked: string): Word[] {
  if (isSeq(node)) return node.items.map((i) => scalarWord(i, masked)).filter((w): w is Word => !!w);
  const single = scalarWord(node, masked);
  return single ? [single] : [];
}

/** Parse results of the document's previous version, and where to keep this version's (editor only). */
export interface YamlReuse {
  previous?: YamlParseCache;
  next: YamlParseCache;
}

export function analyzeYaml(text: string, settings: AnalysisSettings = {}, sink = new FindingSink(), reuse?: YamlReuse): YamlModel {
  const parsed = parseYaml(text, reuse?.previous, reuse?.next);
  const lines = new LineIndex(text);
  const containers: ContainerNode[] = parsed.documents.flatMap((d) => findContainers(d));
  const spans = containers.map((c) => c.map.range).filter((r): r is [number, number, number] => !!r).map((r) => [r[0], r[2]] as [number, number]);
  const directives = readDirectives(parsed.comments, lines, text.length, (offset) => spans.find(([s]) => s >= offset));
  const analyzer = new CommandAnalyzer(text, settings, directives, sink);
  const result: YamlContainer[] = containers.map((c) => analyzeContainer(c, parsed.masked, analyzer, sink));
  const commands: SimpleCommand[] = result.filter((c) => c.argv.length > 0).map((c) => ({ words: c.argv, start: c.argv[0].start, end: c.argv[c.argv.length - 1].end }));
  return {
    text,
    lines,
    lexed: { commands, comments: parsed.comments.map((c) => ({ start: c.start, end: c.start + c.text.length, text: c.text })), hereDocs: [] },
    commands: result.map((c) => c.analyzed),
    directives,
    parsed,
    containers: result,
  };
}

function analyzeContainer(node: ContainerNode, masked: string, analyzer: CommandAnalyzer, sink: FindingSink): YamlContainer {
  const map = node.map;
  const image = scalarString(get(map, 'image'));
  const field = (key: string) => resolve(get(map, key), node.doc);
  const command = words(field('command'), masked);
  const args = words(field('args'), masked);
  const argv = [...command, ...args];
  const simple: SimpleCommand = { words: argv, start: argv[0]?.start ?? map.range?.[0] ?? 0, end: argv[argv.length - 1]?.end ?? map.range?.[0] ?? 0 };
  let analyzed: AnalyzedCommand;
  if (command.length > 0) {
    analyzed = analyzer.analyze(simple, 0, image);
  } else {
    // Only `args`: they go to the image's entrypoint, which is `vllm serve` for vLLM images
    // (a KServe predictor has no image of its own: its args are vLLM's when they look like it).
    analyzed = { model: { command: simple, env: [] }, env: [], nested: [], image };
    const call = containerVllmCall(args, image ? /vllm/i.test(image) : looksLikeVllmArgs(args));
    if (call) analyzed.vllm = analyzer.vllm(call, image);
  }
  const env = envList(field('env'), masked, sink);
  analyzed.env.push(...env);
  const target = analyzed.vllm?.target ?? analyzed.nested.find((n) => n.vllm)?.vllm?.target ?? analyzer.target(image);
  for (const a of env) checkEnvAssignment(a, sink, target);
  return { node, image, argv, commandLength: command.length, env, analyzed };
}

/** `env:` items: `{name, value}` become assignments; a non-string value is a Kubernetes error. */
function envList(node: unknown, masked: string, sink: FindingSink): EnvAssignment[] {
  if (!isSeq(node)) return [];
  const out: EnvAssignment[] = [];
  for (const item of node.items) {
    if (!isMap(item)) continue;
    const name = scalarWord(get(item as YAMLMap, 'name'), masked);
    if (!name || name.expansions.length > 0) continue;
    const valueNode = get(item as YAMLMap, 'value');
    if (valueNode === undefined || valueNode === null) {
      out.push({ word: name, name: name.value, eq: -1, source: 'yaml' });
      continue;
    }
    if (isScalar(valueNode) && valueNode.value !== null && typeof valueNode.value !== 'string' && valueNode.range) {
      const [s, e] = [valueNode.range[0], valueNode.range[1]];
      const source = masked.slice(s, e);
      sink.report('yaml/env-value-not-string', s, e, `Kubernetes requires env values to be strings: \`${source}\` is read as a ${typeof valueNode.value}, and the API server rejects the object. Quote it.`, {
        fixes: [replaceFix(`Quote as "${source}"`, s, e, JSON.stringify(source))],
      });
    }
    const value = scalarWord(valueNode, masked);
    out.push(value ? { word: assignmentWord(name, value), name: name.value, eq: name.value.length, source: 'yaml' } : { word: name, name: name.value, eq: -1, source: 'yaml' });
  }
  return out;
}
