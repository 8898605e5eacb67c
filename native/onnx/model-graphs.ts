/**
 * Every graph and every node of a model, wherever it sits: the main graph,
 * If/Loop/Scan bodies at any depth (also inside other bodies), model-local
 * functions and the bodies inside their nodes. Checks iterate these instead of
 * walking the model themselves, so none of them can forget a place.
 */
import type { FunctionProto, GraphProto, ModelProto, NodeProto } from './onnx-proto.ts';

export interface GraphSite {
  readonly graph: GraphProto;
  readonly path: string;
  /** 0 for the main graph; a body is one deeper than the graph of its node; function bodies count from 1. */
  readonly depth: number;
}

export interface NodeSite {
  readonly node: NodeProto;
  readonly path: string;
  readonly depth: number;
}

function describeNode(node: NodeProto, path: string): string {
  return `${path} (${node.op_type ?? '?'}${node.name ? ` '${node.name}'` : ''})`;
}

function* bodiesOfNode(node: NodeProto, nodePath: string, depth: number): Generator<GraphSite> {
  for (const [index, attribute] of (node.attribute ?? []).entries()) {
    const attributePath = `${describeNode(node, nodePath)}.attribute[${index}] '${attribute.name ?? ''}'`;
    if (attribute.g) yield* graphTree(attribute.g, `${attributePath}.g`, depth + 1);
    for (const [graphIndex, graph] of (attribute.graphs ?? []).entries()) {
      yield* graphTree(graph, `${attributePath}.graphs[${graphIndex}]`, depth + 1);
    }
  }
}

/** A graph and all bodies inside it, parents before children. */
export function* graphTree(graph: GraphProto, path: string, depth: number): Generator<GraphSite> {
  yield { graph, path, depth };
  for (const [index, node] of (graph.node ?? []).entries()) {
    yield* bodiesOfNode(node, `${path}.node[${index}]`, depth);
  }
}

function functionPath(fn: FunctionProto, index: number): string {
  return `model.functions[${index}] '${fn.name ?? ''}'`;
}

/** Bodies inside the nodes of model-local functions. */
function* functionBodies(model: ModelProto): Generator<GraphSite> {
  for (const [fnIndex, fn] of (model.functions ?? []).entries()) {
    for (const [index, node] of (fn.node ?? []).entries()) {
      yield* bodiesOfNode(node, `${functionPath(fn, fnIndex)}.node[${index}]`, 1);
    }
  }
}

/** Every graph of the model, main graph first. */
export function* allGraphs(model: ModelProto): Generator<GraphSite> {
  if (model.graph) yield* graphTree(model.graph, 'model.graph', 0);
  yield* functionBodies(model);
}

/** Every node of the model: all graphs' nodes, then the functions' own nodes. */
export function* allNodes(model: ModelProto): Generator<NodeSite> {
  for (const site of allGraphs(model)) {
    for (const [index, node] of (site.graph.node ?? []).entries()) {
      yield { node, path: describeNode(node, `${site.path}.node[${index}]`), depth: site.depth };
    }
  }
  for (const [fnIndex, fn] of (model.functions ?? []).entries()) {
    for (const [index, node] of (fn.node ?? []).entries()) {
      yield { node, path: describeNode(node, `${functionPath(fn, fnIndex)}.node[${index}]`), depth: 1 };
    }
  }
}

export { functionPath };
