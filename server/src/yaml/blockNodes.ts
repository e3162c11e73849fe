/**
 * Node factories for the YAML fast path. They make instances of `yaml`'s own classes (Scalar,
 * YAMLMap, YAMLSeq, Pair) that every `isScalar`/`isMap`/… check and method treats as `yaml`'s,
 * but without the `Object.defineProperty` each constructor runs to tag its node, which was 40% of
 * the fast path's time: the type tag sits on a prototype shared by every node of a kind, and a
 * collection's hidden `schema` on one prototype per document.
 *
 * The tag is read off a real instance, not named here; if `yaml` ever tags nodes differently, the
 * factories fall back to the constructors (and test/unit/yamlBlockSubset.test.ts compares every
 * node with what `yaml` builds either way).
 */
import { Pair, Scalar, YAMLMap, YAMLSeq, type Node, type Schema } from 'yaml';

/** A prototype carrying the one symbol-keyed tag a real `sample` has, or undefined if it has another shape. */
function taggedPrototype(sample: object): object | undefined {
  const symbols = Object.getOwnPropertySymbols(sample);
  if (symbols.length !== 1) return undefined;
  const tag = symbols[0];
  return Object.create(Object.getPrototypeOf(sample), { [tag]: { value: (sample as Record<symbol, unknown>)[tag] } });
}

const SCALAR = taggedPrototype(new Scalar(null));
const PAIR = taggedPrototype(new Pair(null));
// Collections also get a non-enumerable own `schema`: left out of the sample's symbols above.
const MAP = taggedPrototype(new YAMLMap());
const SEQ = taggedPrototype(new YAMLSeq());

export function scalar(value: unknown): Scalar {
  if (!SCALAR) return new Scalar(value);
  const node = Object.create(SCALAR) as Scalar;
  node.value = value;
  return node;
}

export function pair(key: Node, value: Node): Pair {
  if (!PAIR) return new Pair(key, value);
  const node = Object.create(PAIR) as Pair;
  node.key = key;
  node.value = value;
  return node;
}

/** Collections of one document, sharing its schema. */
export class CollectionFactory {
  private readonly mapProto?: object;
  private readonly seqProto?: object;

  constructor(private readonly schema: Schema) {
    const hidden = { schema: { value: schema, configurable: true, writable: true } };
    this.mapProto = MAP && Object.create(MAP, hidden);
    this.seqProto = SEQ && Object.create(SEQ, hidden);
  }

  map(): YAMLMap {
    if (!this.mapProto) return new YAMLMap(this.schema);
    const node = Object.create(this.mapProto) as YAMLMap;
    node.items = [];
    return node;
  }

  seq(): YAMLSeq {
    if (!this.seqProto) return new YAMLSeq(this.schema);
    const node = Object.create(this.seqProto) as YAMLSeq;
    node.items = [];
    return node;
  }
}
