/**
 * Topological checks of a graph and, recursively, of its If/Loop/Scan bodies:
 * every value is defined once, every node input and graph output refers to a
 * value that exists, and the nodes have no cycle. A body's references to its
 * enclosing graphs count as inputs of the node that owns it, so a cycle that
 * runs through a subgraph is found too.
 */
import type { AttributeProto, FunctionProto, GraphProto, NodeProto } from './onnx-proto.ts';
import { type ModelRule, type Rejection, reject } from './validation-rules.ts';

type TopologyRule = Extract<ModelRule, 'onnx.graph_cycle' | 'onnx.undefined_input' | 'onnx.duplicate_value'>;
type TopologyRejection = Rejection<TopologyRule>;

/** Names a body refers to that it does not define itself, or the reason it is invalid. */
type FreeNames = { readonly ok: true; readonly names: ReadonlySet<string> } | TopologyRejection;

function subgraphsOf(node: NodeProto): { graph: GraphProto; attribute: AttributeProto }[] {
  const found: { graph: GraphProto; attribute: AttributeProto }[] = [];
  for (const attribute of node.attribute ?? []) {
    if (attribute.g) found.push({ graph: attribute.g, attribute });
    for (const graph of attribute.graphs ?? []) found.push({ graph, attribute });
  }
  return found;
}

function nodeLabel(node: NodeProto, index: number, path: string): string {
  const name = node.name ? ` '${node.name}'` : '';
  return `${path}.node[${index}] (${node.op_type ?? '?'}${name})`;
}

interface Body {
  readonly path: string;
  readonly nodes: readonly NodeProto[];
  /** Values available before any node runs: inputs and initializers. */
  readonly sources: readonly string[];
  readonly outputs: readonly string[];
}

function checkBody(body: Body, outerScope: ReadonlySet<string>): FreeNames {
  const sourceSet = new Set<string>();
  for (const name of body.sources) sourceSet.add(name);
  const producer = new Map<string, number>();
  for (const [index, node] of body.nodes.entries()) {
    for (const output of node.output ?? []) {
      if (output === '') continue;
      if (producer.has(output) || sourceSet.has(output)) {
        return reject(
          'onnx.duplicate_value',
          `value '${output}' is defined twice in ${body.path} (again by ${nodeLabel(node, index, body.path)}).`,
        );
      }
      producer.set(output, index);
    }
  }
  const visible = new Set<string>([...outerScope, ...sourceSet, ...producer.keys()]);
  const free = new Set<string>();
  const dependents: number[][] = body.nodes.map(() => []);
  const pending = body.nodes.map(() => 0);

  for (const [index, node] of body.nodes.entries()) {
    const needs = new Set((node.input ?? []).filter((name) => name !== ''));
    for (const { graph, attribute } of subgraphsOf(node)) {
      const inner = checkGraphTopology(graph, visible, `${nodeLabel(node, index, body.path)}.${attribute.name ?? '?'}`);
      if (!inner.ok) return inner;
      for (const name of inner.names) needs.add(name);
    }
    for (const name of needs) {
      const from = producer.get(name);
      if (from !== undefined) {
        if (!dependents[from]?.includes(index)) {
          dependents[from]?.push(index);
          pending[index] = (pending[index] ?? 0) + 1;
        }
      } else if (!sourceSet.has(name)) {
        if (!outerScope.has(name)) {
          return reject(
            'onnx.undefined_input',
            `${nodeLabel(node, index, body.path)} reads '${name}', which nothing defines.`,
          );
        }
        free.add(name);
      }
    }
  }

  const ready = pending.flatMap((count, index) => (count === 0 ? [index] : []));
  let done = 0;
  while (ready.length > 0) {
    const index = ready.pop() as number;
    done++;
    for (const next of dependents[index] ?? []) {
      pending[next] = (pending[next] ?? 0) - 1;
      if (pending[next] === 0) ready.push(next);
    }
  }
  if (done < body.nodes.length) {
    const stuck = pending.findIndex((count) => count > 0);
    const node = body.nodes[stuck] as NodeProto;
    return reject(
      'onnx.graph_cycle',
      `the nodes of ${body.path} form a cycle through ${nodeLabel(node, stuck, body.path)}.`,
    );
  }

  for (const output of body.outputs) {
    if (producer.has(output) || sourceSet.has(output)) continue;
    if (!outerScope.has(output)) {
      return reject('onnx.undefined_input', `${body.path} outputs '${output}', which nothing defines.`);
    }
    free.add(output);
  }
  return { ok: true, names: free };
}

/** Checks a graph whose enclosing graphs define outerScope; returns the outer names it uses. */
export function checkGraphTopology(graph: GraphProto, outerScope: ReadonlySet<string>, path: string): FreeNames {
  const sources = [
    ...(graph.input ?? []).map((value) => value.name ?? ''),
    ...(graph.initializer ?? []).map((tensor) => tensor.name ?? ''),
    ...(graph.sparse_initializer ?? []).map((sparse) => sparse.values?.name ?? ''),
  ];
  const initializerNames = sources.slice((graph.input ?? []).length);
  const duplicate = initializerNames.find((name, index) => initializerNames.indexOf(name) !== index);
  if (duplicate !== undefined) {
    return reject('onnx.duplicate_value', `initializer '${duplicate}' is defined twice in ${path}.`);
  }
  return checkBody(
    {
      path,
      nodes: graph.node ?? [],
      sources: sources.filter((name) => name !== ''),
      outputs: (graph.output ?? []).map((value) => value.name ?? ''),
    },
    outerScope,
  );
}

/** Checks a function body: its inputs are its only sources and it sees no outer scope. */
export function checkFunctionTopology(fn: FunctionProto, path: string): FreeNames {
  return checkBody({ path, nodes: fn.node ?? [], sources: fn.input ?? [], outputs: fn.output ?? [] }, new Set());
}
