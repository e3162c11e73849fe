/**
 * The contributed snippets: every one, expanded with its default values, must be something the
 * engine finds nothing wrong with. A flag-group snippet is checked inside a full command built
 * around it, the way a user would insert it. The engine must also have understood each deployment
 * (a misspelled command word would otherwise be silently ignored), and the commands the engine
 * does not read (kubectl, skopeo, podman, huggingface-cli) get shape checks of their own.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { analyzeText } from '../../server/src/engine';
import { shellDeployments } from '../../server/src/rules/fromShell';
import { yamlDeployments } from '../../server/src/rules/fromYaml';
import { envValue, intFact, vllmOption, type Deployment } from '../../server/src/rules/deployment';
import { repoRoot } from '../helpers';

// ---------------------------------------------------------------------------------------------
// A small expander for VS Code's snippet syntax, strict where VS Code would silently misbehave.

type SnippetNode =
  | { t: 'text'; value: string }
  | { t: 'tabstop'; index: number }
  | { t: 'placeholder'; index: number; children: SnippetNode[] }
  | { t: 'choice'; index: number; options: string[] }
  | { t: 'variable'; name: string; children?: SnippetNode[] };

/** Variables VS Code resolves itself; any other `$NAME` becomes a placeholder named NAME and loses its `$`. */
const KNOWN_VARIABLE =
  /^(?:TM_\w+|CLIPBOARD|WORKSPACE_NAME|WORKSPACE_FOLDER|RELATIVE_FILEPATH|CURSOR_INDEX|CURSOR_NUMBER|CURRENT_\w+|RANDOM|RANDOM_HEX|UUID|BLOCK_COMMENT_START|BLOCK_COMMENT_END|LINE_COMMENT)$/;

class SnippetParser {
  private i = 0;
  constructor(private readonly s: string) {}

  parse(): SnippetNode[] {
    const nodes = this.sequence(false);
    if (this.i < this.s.length) throw new Error(`unexpected "${this.s[this.i]}" at ${this.i}`);
    return nodes;
  }

  /** Text and markers up to the end, or (inside a placeholder) up to its unescaped `}`. */
  private sequence(inside: boolean): SnippetNode[] {
    const out: SnippetNode[] = [];
    let text = '';
    const flush = () => {
      if (text) out.push({ t: 'text', value: text });
      text = '';
    };
    while (this.i < this.s.length) {
      const c = this.s[this.i];
      if (c === '\\') {
        const next = this.s[this.i + 1];
        // Only `\$`, `\}` and `\\` are escapes; any other backslash (a shell line continuation) is text.
        if (next === '$' || next === '}' || next === '\\') {
          text += next;
          this.i += 2;
        } else {
          text += c;
          this.i += 1;
        }
        continue;
      }
      if (inside && c === '}') break;
      if (c === '$') {
        const marker = this.marker();
        if (marker) {
          flush();
          out.push(marker);
          continue;
        }
      }
      text += c;
      this.i += 1;
    }
    flush();
    return out;
  }

  /** The marker starting at `$`, or undefined when the `$` is plain text (as VS Code reads it). */
  private marker(): SnippetNode | undefined {
    const rest = this.s.slice(this.i);
    let m: RegExpExecArray | null;
    if ((m = /^\$(\d+)/.exec(rest)) || (m = /^\$\{(\d+)\}/.exec(rest))) {
      this.i += m[0].length;
      return { t: 'tabstop', index: Number(m[1]) };
    }
    if ((m = /^\$([A-Za-z_]\w*)/.exec(rest)) || (m = /^\$\{([A-Za-z_]\w*)\}/.exec(rest))) {
      this.i += m[0].length;
      return { t: 'variable', name: m[1] };
    }
    if ((m = /^\$\{(\d+):/.exec(rest))) {
      this.i += m[0].length;
      const children = this.sequence(true);
      this.close(`\${${m[1]}:`);
      return { t: 'placeholder', index: Number(m[1]), children };
    }
    if ((m = /^\$\{(\d+)\|/.exec(rest))) {
      this.i += m[0].length;
      return { t: 'choice', index: Number(m[1]), options: this.choiceOptions() };
    }
    if ((m = /^\$\{([A-Za-z_]\w*):/.exec(rest))) {
      this.i += m[0].length;
      const children = this.sequence(true);
      this.close(`\${${m[1]}:`);
      return { t: 'variable', name: m[1], children };
    }
    if (/^\$\{(?:\d+|[A-Za-z_]\w*)\//.test(rest)) throw new Error(`transforms are not used by these snippets: ${rest.slice(0, 30)}`);
    return undefined;
  }

  private close(opened: string): void {
    if (this.s[this.i] !== '}') throw new Error(`"${opened}" is never closed`);
    this.i += 1;
  }

  private choiceOptions(): string[] {
    const options: string[] = [];
    let current = '';
    while (this.i < this.s.length) {
      const c = this.s[this.i];
      if (c === '\\' && '$}\\,|'.includes(this.s[this.i + 1] ?? '')) {
        current += this.s[this.i + 1];
        this.i += 2;
      } else if (c === ',') {
        options.push(current);
        current = '';
        this.i += 1;
      } else if (c === '|' && this.s[this.i + 1] === '}') {
        options.push(current);
        this.i += 2;
        if (options.some((o) => o === '')) throw new Error('a choice has an empty option');
        return options;
      } else {
        current += c;
        this.i += 1;
      }
    }
    throw new Error('a choice is never closed with "|}"');
  }
}

/**
 * The text VS Code inserts when every tab stop keeps its default: a placeholder gives its default,
 * a choice its first option, `$n` the default of placeholder n (a mirror) or nothing, a known
 * variable nothing (or its default). Throws on unknown variables and on a tab stop whose
 * occurrences have different defaults (VS Code would show one value everywhere).
 */
function expandSnippet(body: string): string {
  const nodes = new SnippetParser(body).parse();
  const definitions = new Map<number, SnippetNode>();
  const collect = (list: SnippetNode[]) => {
    for (const n of list) {
      if ((n.t === 'placeholder' || n.t === 'choice') && !definitions.has(n.index)) definitions.set(n.index, n);
      if (n.t === 'placeholder' || (n.t === 'variable' && n.children)) collect(n.children!);
    }
  };
  collect(nodes);
  const seen = new Map<number, string>();
  const render = (list: SnippetNode[], depth: number): string => {
    if (depth > 20) throw new Error('tab stops refer to each other in a cycle');
    let out = '';
    for (const n of list) {
      if (n.t === 'text') out += n.value;
      else if (n.t === 'tabstop') {
        const def = definitions.get(n.index);
        out += def ? render([def], depth + 1) : '';
      } else if (n.t === 'placeholder' || n.t === 'choice') {
        const value = n.t === 'choice' ? n.options[0] : render(n.children, depth + 1);
        const earlier = seen.get(n.index);
        if (earlier !== undefined && earlier !== value) throw new Error(`tab stop ${n.index} has two defaults: "${earlier}" and "${value}"`);
        seen.set(n.index, value);
        out += value;
      } else {
        if (!KNOWN_VARIABLE.test(n.name)) throw new Error(`$${n.name} is not a VS Code variable: VS Code would insert "${n.name}" as a placeholder. Escape the dollar as \\$.`);
        out += n.children ? render(n.children, depth + 1) : '';
      }
    }
    return out;
  };
  return render(nodes, 0);
}

test('the expander reads VS Code snippet syntax', () => {
  assert.equal(expandSnippet('a ${1:b ${2:c}} $2 ${3|x,y|} $1$0'), 'a b c c x b c');
  assert.equal(expandSnippet('\\$HOME \\} \\\\ x \\\ny'), '$HOME } \\ x \\\ny');
  assert.equal(expandSnippet('${TM_SELECTED_TEXT}|${TM_FILENAME:f}|${4|a\\,b,c|}'), '|f|a,b');
  assert.equal(expandSnippet('$(X) ${ {"a":{"b":1}} $'), '$(X) ${ {"a":{"b":1}} $');
  assert.throws(() => expandSnippet('--api-key $VLLM_API_KEY'), /not a VS Code variable/);
  assert.throws(() => expandSnippet('${1:a} ${1:b}'), /two defaults/);
  assert.throws(() => expandSnippet('${1:open'), /never closed/);
  assert.throws(() => expandSnippet('${1|a,b}'), /never closed/);
});

// ---------------------------------------------------------------------------------------------
// The snippet files.

interface Snippet {
  prefix: string | string[];
  body: string | string[];
  description?: string;
}

interface Loaded {
  file: 'shell.json' | 'yaml.json';
  kind: 'shell' | 'yaml';
  name: string;
  prefix: string;
  description: string;
  /** The default expansion, or why the body could not be expanded. */
  expansion: string;
  error?: string;
}

function load(file: Loaded['file'], kind: Loaded['kind']): Loaded[] {
  const json = JSON.parse(readFileSync(join(repoRoot, 'snippets', file), 'utf8')) as Record<string, Snippet>;
  return Object.entries(json).map(([name, s]) => {
    const body = Array.isArray(s.body) ? s.body.join('\n') : String(s.body);
    const loaded: Loaded = { file, kind, name, prefix: String(s.prefix), description: s.description ?? '', expansion: '' };
    try {
      loaded.expansion = expandSnippet(body);
    } catch (e) {
      loaded.error = (e as Error).message;
    }
    return loaded;
  });
}

const SNIPPETS = [...load('shell.json', 'shell'), ...load('yaml.json', 'yaml')];

// ---------------------------------------------------------------------------------------------
// How each snippet is checked.

const IMAGE = 'registry.example.com/ai-platform/vllm-openai:v0.18.0';

/**
 * Inserts a snippet the way VS Code does: the first line at the cursor, every later line with the
 * cursor line's indentation. `before` ends at the cursor.
 */
function insert(before: string, expansion: string, after: string): string {
  const indentation = /[ \t]*$/.exec(before.slice(before.lastIndexOf('\n') + 1))![0];
  return before + expansion.split('\n').join(`\n${indentation}`) + after;
}

/** A flag group inside a single-node `runai inference standard submit`. */
const inSingleNode = (x: string) =>
  insert(`runai inference standard submit w -i ${IMAGE} -g 1 --existing-pvc claimname=c,path=/data \\\n  `, x, '-- /data/model --served-model-name m --max-model-len 8192\n');

const MULTI_HEAD = `runai inference distributed submit w -i ${IMAGE} --workers 1 -g 8 --existing-pvc claimname=c,path=/data`;
const MULTI_TAIL = '-- /data/model --served-model-name m --max-model-len 8192 --tensor-parallel-size 8 --pipeline-parallel-size 2\n';
/** A flag group inside a two-pod distributed submit that has no network settings of its own. */
const inMultiNode = (x: string) => insert(`${MULTI_HEAD} \\\n  `, x, MULTI_TAIL);
/** The same, already on RDMA, for flag groups that are not about the network. */
const inMultiNodeRdma = (x: string) =>
  insert(`${MULTI_HEAD} -e NCCL_IB_HCA=mlx5_0:1 --extended-resource openshift.io/mellanoxnics=1 \\\n  `, x, MULTI_TAIL);

const POD_HEAD = `apiVersion: v1
kind: Pod
metadata:
  name: w
  annotations:
    k8s.v1.cni.cncf.io/networks: rdma-net
spec:
`;
const VLLM_CONTAINER = `- name: vllm
  image: ${IMAGE}
  args: [/data/model, --served-model-name, m, --max-model-len, "8192"]
  resources: {limits: {nvidia.com/gpu: "1", openshift.io/mellanoxnics: "1"}}
  volumeMounts: [{name: data, mountPath: /data}]
`;
const POD_VOLUMES = '  volumes: [{name: data, persistentVolumeClaim: {claimName: c}}]\n';
const CONTAINERS = `  containers:\n${VLLM_CONTAINER.replace(/^(?=.)/gm, '    ')}`;
/** A pod-level block (securityContext) in a pod spec. */
const inPodSpec = (x: string) => insert(`${POD_HEAD}  `, x, `\n${CONTAINERS}${POD_VOLUMES}`);
/** A container-level block (env) in a vLLM container. */
const inContainer = (x: string) => insert(`${POD_HEAD}${CONTAINERS}      `, x, `\n${POD_VOLUMES}`);

interface Check {
  label: string;
  /** Builds the document around the expansion; absent: the snippet is a whole document. */
  wrap?: (expansion: string) => string;
  /** The info/hint findings this check gives, and the only ones allowed (fragments on purpose). */
  infos?: string[];
  /** What the engine must have understood from the document. */
  saw?: (deployments: Deployment[], text: string) => void;
}

interface Case {
  checks: Check[];
  /** Checks of the expansion itself, for commands the engine does not read. */
  shape?: (expansion: string) => void;
}

const one = (ds: Deployment[], kind: Deployment['kind']): Deployment => {
  const found = ds.filter((d) => d.kind === kind && d.vllm);
  assert.equal(found.length, 1, `one ${kind} deployment running vLLM, found ${found.length}`);
  return found[0];
};

/** TP x PP x DP against the GPUs the pods get, the rule every deployment snippet must keep. */
function parallelism(d: Deployment): { tp: number; pp: number; gpus?: number; pods?: number } {
  const n = (flag: string) => intFact(vllmOption(d, flag))?.value ?? 1;
  return { tp: n('--tensor-parallel-size'), pp: n('--pipeline-parallel-size') * n('--data-parallel-size'), gpus: d.gpusPerPod?.value, pods: d.pods?.value };
}

const expectParallel = (d: Deployment, want: { tp: number; pp: number; gpus: number; pods: number }) => {
  assert.deepEqual(parallelism(d), want);
  assert.equal(want.tp * want.pp, want.gpus * want.pods, 'TP x PP = pods x GPUs per pod');
};

const hasEnv = (d: Deployment, ...names: string[]) => {
  for (const n of names) assert.ok(d.env.has(n), `${n} reaches the deployment`);
};

const runaiRdma = (d: Deployment) => {
  hasEnv(d, 'NCCL_NET', 'NCCL_IB_HCA', 'NCCL_SOCKET_IFNAME');
  assert.ok(d.resources.some((r) => r.value === 'openshift.io/mellanoxnics'), 'RDMA NIC requested');
  assert.equal(d.annotations.get('k8s.v1.cni.cncf.io/networks')?.value, 'rdma-net');
};

const nonRoot = (d: Deployment) => {
  assert.equal(d.runAsUser?.value, 2000);
  assert.equal(d.runAsGroup?.value, 2000);
  assert.equal(d.runAsNonRoot?.value, true);
};

/** `image:tag` split; the tag must be a pinned version. */
function pinned(ref: string): { repo: string; tag: string } {
  const m = /^([a-z0-9.-]+(?::\d+)?(?:\/[a-z0-9._-]+)+):([\w.-]+)$/.exec(ref);
  assert.ok(m, `an image reference with a tag: ${ref}`);
  assert.notEqual(m[2], 'latest', `${ref} is pinned`);
  return { repo: m[1], tag: m[2] };
}

const CASES: Record<string, Case> = {
  'rvn-runai-single-node': {
    checks: [{
      label: 'as is',
      saw: (ds) => {
        const d = one(ds, 'runai');
        expectParallel(d, { tp: 2, pp: 1, gpus: 2, pods: 1 });
        hasEnv(d, 'TRANSFORMERS_OFFLINE', 'HF_HUB_OFFLINE', 'NCCL_DEBUG');
        nonRoot(d);
        assert.deepEqual(d.servingPorts.map((p) => p.value), [8000]);
        assert.deepEqual(d.mountPaths.map((p) => p.value), ['/data']);
        assert.equal(d.vllm?.model?.word.value, '/data/input/Models/My-Model-119B');
      },
    }],
  },
  'rvn-runai-multi-node': {
    checks: [{
      label: 'as is',
      saw: (ds) => {
        const d = one(ds, 'runai');
        expectParallel(d, { tp: 8, pp: 4, gpus: 8, pods: 4 });
        runaiRdma(d);
        hasEnv(d, 'TRANSFORMERS_OFFLINE', 'HF_HUB_OFFLINE');
        nonRoot(d);
        assert.deepEqual(d.servingPorts.map((p) => p.value), [8000]);
        assert.equal(d.vllm?.model?.word.value, '/data/input/Models/My-Huge-Model-700B');
      },
    }],
  },
  'rvn-nccl-intra-node': {
    checks: [{ label: 'in a single-node submit', wrap: inSingleNode, saw: (ds) => assert.equal(envValue(one(ds, "runai"), "NCCL_DEBUG")?.value, "WARN") }],
  },
  'rvn-nccl-rdma': {
    checks: [{ label: 'in a multi-node submit', wrap: inMultiNode, saw: (ds) => runaiRdma(one(ds, 'runai')) }],
  },
  'rvn-nccl-tcp': {
    checks: [{ label: 'in a multi-node submit', wrap: inMultiNode, saw: (ds) => hasEnv(one(ds, 'runai'), 'NCCL_IB_DISABLE', 'NCCL_SOCKET_IFNAME') }],
  },
  'rvn-nccl-debug-on': {
    checks: [
      { label: 'in a single-node submit', wrap: inSingleNode, infos: ['deploy/nccl-debug-enabled'], saw: (ds) => hasEnv(one(ds, 'runai'), 'NCCL_DEBUG', 'NCCL_DEBUG_SUBSYS') },
      { label: 'in a multi-node submit', wrap: inMultiNodeRdma, infos: ['deploy/nccl-debug-enabled'], saw: (ds) => hasEnv(one(ds, 'runai'), 'NCCL_DEBUG', 'NCCL_DEBUG_SUBSYS') },
    ],
  },
  'rvn-nccl-debug-off': {
    checks: [
      { label: 'in a single-node submit', wrap: inSingleNode, saw: (ds) => hasEnv(one(ds, 'runai'), 'NCCL_DEBUG') },
      { label: 'in a multi-node submit', wrap: inMultiNodeRdma, saw: (ds) => hasEnv(one(ds, 'runai'), 'NCCL_DEBUG') },
    ],
  },
  'rvn-offline-env': {
    checks: [
      { label: 'in a single-node submit', wrap: inSingleNode, saw: (ds) => hasEnv(one(ds, 'runai'), 'TRANSFORMERS_OFFLINE', 'HF_HUB_OFFLINE') },
      { label: 'in a multi-node submit', wrap: inMultiNodeRdma, saw: (ds) => hasEnv(one(ds, 'runai'), 'TRANSFORMERS_OFFLINE', 'HF_HUB_OFFLINE') },
    ],
  },
  'rvn-offline-export': {
    checks: [
      { label: 'alone', saw: (ds) => assert.equal(ds.length, 0) },
      {
        label: 'before vllm serve',
        wrap: (x) => insert('#!/usr/bin/env bash\n', x, 'vllm serve /data/model --served-model-name m --max-model-len 8192\n'),
        saw: (ds) => hasEnv(one(ds, 'shell'), 'TRANSFORMERS_OFFLINE', 'HF_HUB_OFFLINE'),
      },
    ],
  },
  'rvn-non-root': {
    checks: [
      { label: 'in a single-node submit', wrap: inSingleNode, saw: (ds) => nonRoot(one(ds, 'runai')) },
      { label: 'in a multi-node submit', wrap: inMultiNodeRdma, saw: (ds) => nonRoot(one(ds, 'runai')) },
    ],
  },
  'rvn-vllm-serve': {
    checks: [{
      label: 'as is',
      saw: (ds) => {
        const d = one(ds, 'shell');
        assert.equal(d.vllm?.model?.word.value, '/data/input/Models/My-Model-119B');
        assert.equal(vllmOption(d, '--served-model-name')?.value, 'my-model');
        assert.equal(vllmOption(d, '--max-model-len')?.value, '32768');
      },
    }],
  },
  'rvn-vllm-serve-production': {
    checks: [{
      label: 'as is',
      saw: (ds, text) => {
        const d = one(ds, 'shell');
        assert.equal(d.vllm?.model?.word.value, '/data/input/Models/My-Model-119B');
        for (const flag of ['--served-model-name', '--tensor-parallel-size', '--max-model-len', '--gpu-memory-utilization', '--host', '--port']) {
          assert.ok(vllmOption(d, flag), `${flag} is understood`);
        }
        assert.match(text, /--api-key "\$VLLM_API_KEY"/, 'the API key comes from the environment, not the command line');
      },
    }],
  },
  'rvn-hf-download': {
    checks: [{ label: 'as is', saw: (ds) => assert.equal(ds.length, 0) }],
    shape: (x) => assert.match(x, /^(?:huggingface-cli|hf) download [A-Za-z0-9][\w.-]*\/[\w.-]+ \\\n {2}--local-dir \/[\w./-]+$/),
  },
  'rvn-model-loader': {
    checks: [{ label: 'as is', saw: (ds) => assert.equal(ds.length, 0) }],
    shape: (x) => {
      const commands = x.replace(/ \\\n\s*/g, ' ').split('\n');
      assert.deepEqual(commands.map((c) => c.split(' ').slice(0, 2).join(' ')), ['kubectl run', 'kubectl wait', 'kubectl exec', 'kubectl cp', 'kubectl exec', 'kubectl delete']);
      const namespaces = new Set(commands.map((c) => / -n ([a-z0-9-]+) /.exec(`${c} `)?.[1]));
      assert.deepEqual([...namespaces], ['runai-my-project'], 'every command in the PVC’s namespace');
      const run = /^kubectl run model-loader -n \S+ --image=(\S+) --restart=Never --overrides='([^']+)'$/.exec(commands[0]);
      assert.ok(run, commands[0]);
      pinned(run[1]);
      const spec = JSON.parse(run[2]).spec;
      const [container] = spec.containers;
      assert.equal(container.image, run[1]);
      assert.deepEqual(container.command, ['sleep', '86400']);
      const mount = container.volumeMounts[0];
      assert.equal(spec.volumes[0].name, mount.name);
      assert.equal(spec.volumes[0].persistentVolumeClaim.claimName, 'my-project-pvc');
      assert.match(commands[1], /--for=condition=Ready pod\/model-loader --timeout=\d+[sm]$/);
      const models = `${mount.mountPath}/input/Models`;
      assert.match(commands[2], new RegExp(` model-loader -- mkdir -p ${models}$`));
      assert.match(commands[3], new RegExp(` /\\S+ model-loader:${models}/[\\w.-]+$`));
      assert.match(commands[4], new RegExp(` model-loader -- chown -R 2000:2000 ${models}$`));
      assert.match(commands[5], / pod -n \S+ model-loader$/);
    },
  },
  'rvn-mirror-skopeo': {
    checks: [{ label: 'as is', saw: (ds) => assert.equal(ds.length, 0) }],
    shape: (x) => {
      const m = /^skopeo copy \\\n {2}docker:\/\/(\S+) \\\n {2}docker:\/\/(\S+)$/.exec(x);
      assert.ok(m, x);
      const from = pinned(m[1]);
      const to = pinned(m[2]);
      assert.equal(to.tag, from.tag);
      assert.equal(`${to.repo}:${to.tag}`, IMAGE, 'the image the other snippets run');
    },
  },
  'rvn-mirror-podman': {
    checks: [{ label: 'as is', saw: (ds) => assert.equal(ds.length, 0) }],
    shape: (x) => {
      const m = /^podman pull (\S+)\npodman tag (\S+) \\\n {2}(\S+)\npodman push (\S+)$/.exec(x);
      assert.ok(m, x);
      assert.equal(m[2], m[1], 'tags what it pulled');
      assert.equal(m[4], m[3], 'pushes what it tagged');
      assert.equal(pinned(m[3]).tag, pinned(m[1]).tag);
      assert.equal(m[3], IMAGE, 'the image the other snippets run');
    },
  },
  'rvn-pvc': {
    checks: [{ label: 'as is', saw: (ds) => assert.equal(ds.length, 0) }],
    shape: (x) => {
      const pvc = parseAllDocuments(x)[0].toJS();
      assert.deepEqual(pvc.spec.accessModes, ['ReadWriteMany'], 'leader and workers mount it at once');
      assert.match(pvc.spec.resources.requests.storage, /^\d+[GT]i$/);
    },
  },
  'rvn-model-loader-pod': {
    checks: [{ label: 'as is' }],
  },
  'rvn-nad-macvlan': {
    checks: [{ label: 'as is', saw: (ds) => assert.equal(ds.length, 0) }],
    shape: (x) => {
      const nad = parseAllDocuments(x)[0].toJS();
      const config = JSON.parse(nad.spec.config);
      assert.equal(config.type, 'macvlan');
      assert.equal(config.ipam.type, 'whereabouts');
      assert.equal(config.name, nad.metadata.name);
      assert.match(config.ipam.range, /^\d+\.\d+\.\d+\.\d+\/\d+$/);
    },
  },
  'rvn-security-context': {
    checks: [{ label: 'in a pod spec', wrap: inPodSpec, saw: (ds) => nonRoot(one(ds, 'yaml')) }],
    shape: (x) => {
      const doc = parseAllDocuments(inPodSpec(x))[0].toJS();
      assert.equal(doc.spec.securityContext.fsGroupChangePolicy, 'OnRootMismatch');
      assert.equal(doc.spec.securityContext.fsGroup, 2000);
    },
  },
  'rvn-lws-vllm': {
    checks: [{
      label: 'as is',
      saw: (ds) => {
        const vllm = ds.filter((d) => d.vllm);
        assert.equal(vllm.length, 2, 'leader and worker');
        for (const d of vllm) {
          expectParallel(d, { tp: 8, pp: 2, gpus: 8, pods: 2 });
          hasEnv(d, 'NCCL_NET', 'NCCL_IB_HCA', 'NCCL_SOCKET_IFNAME', 'NCCL_DEBUG', 'TRANSFORMERS_OFFLINE', 'HF_HUB_OFFLINE');
          assert.equal(d.annotations.get('k8s.v1.cni.cncf.io/networks')?.value, 'rdma-net', 'net1 exists in every pod');
          assert.ok(d.resources.some((r) => r.value === 'openshift.io/mellanoxnics'));
          assert.deepEqual(d.mountPaths.map((p) => p.value).sort(), ['/data', '/dev/shm']);
          nonRoot(d);
        }
      },
    }],
    shape: (x) => {
      const lws = parseAllDocuments(x)[0].toJS();
      const { size, leaderTemplate, workerTemplate } = lws.spec.leaderWorkerTemplate;
      for (const template of [leaderTemplate, workerTemplate]) {
        const [c] = template.spec.containers;
        const gpus = c.resources.limits['nvidia.com/gpu'];
        assert.equal(typeof gpus, 'string', 'GPU counts quoted');
        assert.equal(c.args[c.args.indexOf('--tensor-parallel-size') + 1], gpus, 'TP = GPUs per pod');
        assert.equal(c.args[c.args.indexOf('--pipeline-parallel-size') + 1], String(size), 'PP = size');
        const shm = template.spec.volumes.find((v: { emptyDir?: { medium?: string } }) => v.emptyDir?.medium === 'Memory');
        assert.ok(c.volumeMounts.some((m: { name: string; mountPath: string }) => m.name === shm?.name && m.mountPath === '/dev/shm'), '/dev/shm is a memory emptyDir');
      }
      assert.ok(workerTemplate.spec.containers[0].args.includes('--headless'));
      assert.ok(!workerTemplate.spec.containers[0].args.includes('--served-model-name'), 'only the leader serves the API');
    },
  },
  'rvn-deployment-vllm': {
    checks: [{
      label: 'as is',
      saw: (ds) => {
        const d = one(ds, 'yaml');
        expectParallel(d, { tp: 2, pp: 1, gpus: 2, pods: 1 });
        hasEnv(d, 'TRANSFORMERS_OFFLINE', 'HF_HUB_OFFLINE', 'NCCL_DEBUG');
        nonRoot(d);
        assert.deepEqual(d.servingPorts.map((p) => p.value), [8000]);
      },
    }],
    shape: (x) => {
      const dep = parseAllDocuments(x)[0].toJS();
      assert.deepEqual(dep.spec.selector.matchLabels, dep.spec.template.metadata.labels, 'the selector matches the pod labels');
      assert.equal(dep.spec.strategy.type, 'Recreate');
    },
  },
  'rvn-env-nccl-hf': {
    checks: [{ label: 'in a container', wrap: inContainer, saw: (ds) => hasEnv(one(ds, 'yaml'), 'NCCL_NET', 'NCCL_IB_HCA', 'NCCL_SOCKET_IFNAME', 'NCCL_DEBUG', 'TRANSFORMERS_OFFLINE', 'HF_HUB_OFFLINE') }],
  },
};

// ---------------------------------------------------------------------------------------------
// Checks that hold for every YAML document: known kinds, containers named and pinned, every
// volume mount backed by a volume of its pod, every env value a string.

const KINDS: Record<string, string[]> = {
  v1: ['Pod', 'PersistentVolumeClaim'],
  'apps/v1': ['Deployment'],
  'leaderworkerset.x-k8s.io/v1': ['LeaderWorkerSet'],
  'k8s.cni.cncf.io/v1': ['NetworkAttachmentDefinition'],
};

/**
 * The fields the snippets may use in a pod spec and a container: no schema in the product covers
 * Pods and Deployments, so a misspelled key would otherwise go unnoticed (Kubernetes drops or
 * rejects it only when applied).
 */
const POD_SPEC_KEYS = new Set(['containers', 'initContainers', 'volumes', 'securityContext', 'restartPolicy', 'nodeSelector', 'tolerations', 'affinity', 'serviceAccountName', 'imagePullSecrets', 'terminationGracePeriodSeconds']);
const CONTAINER_KEYS = new Set(['name', 'image', 'imagePullPolicy', 'command', 'args', 'workingDir', 'env', 'envFrom', 'ports', 'resources', 'volumeMounts', 'readinessProbe', 'livenessProbe', 'startupProbe', 'securityContext']);
const VOLUME_SOURCES = new Set(['persistentVolumeClaim', 'emptyDir', 'configMap', 'secret', 'hostPath', 'nfs']);

const keysIn = (map: object, allowed: Set<string>, what: string) => {
  for (const k of Object.keys(map)) assert.ok(allowed.has(k), `${what} has no field ${k}`);
};

function checkManifest(text: string): void {
  for (const doc of parseAllDocuments(text)) {
    assert.deepEqual(doc.errors, []);
    const root = doc.toJS();
    assert.ok(KINDS[root.apiVersion]?.includes(root.kind), `known apiVersion/kind: ${root.apiVersion} ${root.kind}`);
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (!node || typeof node !== 'object') return;
      const map = node as Record<string, unknown>;
      if (Array.isArray(map.containers)) {
        keysIn(map, POD_SPEC_KEYS, 'a pod spec');
        const volumes = new Set<string>();
        for (const v of (map.volumes ?? []) as Record<string, unknown>[]) {
          keysIn(v, new Set(['name', ...VOLUME_SOURCES]), 'a volume');
          assert.equal(Object.keys(v).filter((k) => VOLUME_SOURCES.has(k)).length, 1, `volume ${v.name} has one source`);
          volumes.add(String(v.name));
        }
        for (const c of map.containers as Record<string, unknown>[]) {
          keysIn(c, CONTAINER_KEYS, 'a container');
          assert.match(String(c.name), /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'container name');
          pinned(String(c.image));
          for (const m of (c.volumeMounts ?? []) as Record<string, unknown>[]) {
            keysIn(m, new Set(['name', 'mountPath', 'readOnly', 'subPath']), 'a volume mount');
            assert.ok(volumes.has(String(m.name)), `volume ${m.name} is defined in the pod`);
            assert.match(String(m.mountPath), /^\//, 'an absolute mount path');
          }
          for (const e of (c.env ?? []) as { name: string; value: unknown }[]) assert.equal(typeof e.value, 'string', `${e.name} is a string`);
        }
      }
      Object.values(map).forEach(walk);
    };
    walk(root);
  }
}

// ---------------------------------------------------------------------------------------------

test('every snippet has a description, an rvn- prefix, and a prefix of its own', () => {
  assert.ok(SNIPPETS.length >= 20, `${SNIPPETS.length} snippets`);
  const prefixes = new Set<string>();
  for (const s of SNIPPETS) {
    assert.match(s.prefix, /^rvn-[a-z0-9-]+$/, `${s.file} "${s.name}": one prefix, starting with rvn-`);
    assert.ok(!prefixes.has(s.prefix), `prefix ${s.prefix} is used twice`);
    prefixes.add(s.prefix);
    assert.ok(s.description.trim().length >= 20, `${s.prefix} has a description`);
  }
});

test('every snippet is checked, and every check names a snippet', () => {
  assert.deepEqual(SNIPPETS.map((s) => s.prefix).sort(), Object.keys(CASES).sort());
});

for (const s of SNIPPETS) {
  test(`${s.prefix}: its expansion is clean`, () => {
    assert.equal(s.error, undefined, `${s.file} "${s.name}" does not expand`);
    const c = CASES[s.prefix];
    assert.ok(c, `no check for ${s.prefix}`);
    assert.ok(!s.expansion.includes('\t'), 'indented with spaces');
    c.shape?.(s.expansion);
    for (const check of c.checks) {
      const text = check.wrap ? check.wrap(s.expansion) : s.expansion;
      const result = analyzeText(text, s.kind);
      assert.equal(result.skipped, undefined);
      const shown = (severities: string[]) =>
        result.findings.filter((f) => severities.includes(f.severity)).map((f) => `${f.severity} ${f.rule} (line ${f.range.start.line + 1}): ${f.message}`);
      assert.deepEqual(shown(['error', 'warning']), [], `${check.label}:\n${text}`);
      const infos = [...new Set(result.findings.filter((f) => f.severity === 'info' || f.severity === 'hint').map((f) => f.rule))].sort();
      assert.deepEqual(infos, [...(check.infos ?? [])].sort(), `${check.label}: info findings\n${shown(['info', 'hint']).join('\n')}`);
      if (s.kind === 'yaml') checkManifest(text);
      const deployments = s.kind === 'yaml' ? yamlDeployments(result.yaml!) : shellDeployments(result.shell!);
      check.saw?.(deployments, text);
    }
  });
}
