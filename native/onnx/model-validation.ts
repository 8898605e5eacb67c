/**
 * Our own pre-parse of a job's model, before onnxruntime ever sees it. The
 * checks run in a fixed order, cheapest and most fundamental first, and the
 * first failure is the answer, named by its rule:
 *
 *  1. size, then a strict wire-format scan (parse errors, unknown or duplicated
 *     fields, nesting depth), then decoding;
 *  2. what could harm the host: external data and the memory-address marker,
 *     anywhere in the model;
 *  3. header: a graph, IR version, opset imports (standard domain only);
 *  4. nodes everywhere: count, subgraph depth, domain, op allowlist;
 *  5. sizes: stored tensors, declared types, attribute tensors, initializer
 *     total, graph inputs and outputs, constants that decide allocations;
 *  6. topology of every graph and function: definitions, references, cycles.
 */
import { checkConstantAllocations } from './constant-allocation-check.ts';
import { estimateModelFlops } from './flop-estimate.ts';
import { checkFunctionTopology, checkGraphTopology } from './graph-topology.ts';
import { toBigInt } from './int64.ts';
import { scanModelContent } from './model-content-scan.ts';
import { allGraphs, allNodes, functionPath } from './model-graphs.ts';
import { DEFAULT_MODEL_LIMITS, type ModelLimits } from './model-limits.ts';
import { decodeModel, type ModelProto, type OperatorSetIdProto, type ValueInfoProto } from './onnx-proto.ts';
import { scanModelWireFormat } from './onnx-wire-scan.ts';
import { ALLOWED_OPS, isStandardDomain } from './op-allowlist.ts';
import { checkSparseTensorProto, checkTensorProto, checkTypeProto } from './tensor-checks.ts';
import { dtypeOfOnnx, type TensorDtype } from './tensor-dtypes.ts';
import { type ModelRule, type Rejection, reject } from './validation-rules.ts';

/** A graph input or output as a job sees it. A dim is a number, a symbolic name, or null when unknown. */
export interface ModelValueSummary {
  readonly name: string;
  readonly dtype: TensorDtype;
  readonly dims: readonly (number | string | null)[] | null;
  /** An input that an initializer of the same name already provides; feeding it is optional. */
  readonly hasDefault: boolean;
}

export interface ModelSummary {
  readonly irVersion: number;
  readonly opsetVersion: number;
  /** Nodes in all graphs, bodies and functions. */
  readonly nodeCount: number;
  /** op_type -> how many nodes use it, over the whole model. */
  readonly opHistogram: Readonly<Record<string, number>>;
  readonly initializerCount: number;
  /** Materialized bytes of all initializers (sparse ones dense). */
  readonly initializerBytes: number;
  readonly maxSubgraphDepth: number;
  readonly inputs: readonly ModelValueSummary[];
  readonly outputs: readonly ModelValueSummary[];
  /**
   * 2 x multiply-accumulates of MatMul, Gemm and Conv nodes of the main graph,
   * when every such node's shapes can be inferred statically; otherwise null.
   */
  readonly estimatedFlops: number | null;
}

export type ModelValidation =
  | { readonly ok: true; readonly summary: ModelSummary; readonly model: ModelProto }
  | Rejection<ModelRule>;

type Check = Rejection<ModelRule> | null;

function checkOpsetImports(
  imports: readonly OperatorSetIdProto[],
  where: string,
  limits: ModelLimits,
  isRequired: boolean,
) {
  let standardVersion: number | undefined;
  for (const entry of imports) {
    if (!isStandardDomain(entry.domain)) {
      return reject(
        'onnx.domain',
        `${where} imports operator set '${entry.domain}'; only the standard ONNX domain is allowed.`,
      );
    }
    if (standardVersion !== undefined) {
      return reject('onnx.opset', `${where} imports the standard operator set twice.`);
    }
    const version = Number(toBigInt(entry.version));
    if (version < limits.minOpsetVersion || version > limits.maxOpsetVersion) {
      return reject(
        'onnx.opset',
        `${where} uses opset ${version}; jobs may use opsets ${limits.minOpsetVersion} to ${limits.maxOpsetVersion}.`,
      );
    }
    standardVersion = version;
  }
  if (isRequired && standardVersion === undefined) {
    return reject('onnx.opset', `${where} does not import the standard ONNX operator set.`);
  }
  return standardVersion ?? 0;
}

function checkHeader(
  model: ModelProto,
  limits: ModelLimits,
): Rejection<ModelRule> | { irVersion: number; opset: number } {
  if (!model.graph) return reject('onnx.missing_graph', 'the model has no graph.');
  const irVersion = Number(toBigInt(model.ir_version));
  if (irVersion < limits.minIrVersion || irVersion > limits.maxIrVersion) {
    return reject(
      'onnx.ir_version',
      `the model has IR version ${irVersion}; jobs may use IR versions ${limits.minIrVersion} to ${limits.maxIrVersion}.`,
    );
  }
  const opset = checkOpsetImports(model.opset_import ?? [], 'the model', limits, true);
  if (typeof opset !== 'number') return opset;
  for (const [index, fn] of (model.functions ?? []).entries()) {
    const where = functionPath(fn, index);
    if (!isStandardDomain(fn.domain)) {
      return reject('onnx.domain', `${where} is in domain '${fn.domain}'; only the standard ONNX domain is allowed.`);
    }
    const fnOpset = checkOpsetImports(fn.opset_import ?? [], where, limits, false);
    if (typeof fnOpset !== 'number') return fnOpset;
  }
  return { irVersion, opset };
}

interface NodeStats {
  nodeCount: number;
  maxDepth: number;
  histogram: Record<string, number>;
}

function checkNodes(model: ModelProto, limits: ModelLimits): Rejection<ModelRule> | NodeStats {
  const stats: NodeStats = { nodeCount: 0, maxDepth: 0, histogram: {} };
  for (const site of allGraphs(model)) {
    if (site.depth > limits.maxSubgraphDepth) {
      return reject(
        'onnx.subgraph_depth',
        `${site.path} is nested ${site.depth} bodies deep; the limit is ${limits.maxSubgraphDepth} (deep If/Loop/Scan nesting can take minutes to load).`,
      );
    }
    stats.maxDepth = Math.max(stats.maxDepth, site.depth);
  }
  for (const { node, path } of allNodes(model)) {
    stats.nodeCount++;
    if (stats.nodeCount > limits.maxNodes) {
      return reject('onnx.node_count', `the model has more than ${limits.maxNodes} nodes.`);
    }
    if (!isStandardDomain(node.domain)) {
      return reject('onnx.domain', `${path} is in domain '${node.domain}'; only the standard ONNX domain is allowed.`);
    }
    const op = node.op_type ?? '';
    if (!ALLOWED_OPS.has(op)) {
      return reject('onnx.op_not_allowed', `${path} uses operator '${op}', which jobs may not use.`);
    }
    stats.histogram[op] = (stats.histogram[op] ?? 0) + 1;
  }
  return stats;
}

function checkAttributeTensors(model: ModelProto, limits: ModelLimits): Check {
  const maxBytes = {
    bytes: limits.maxAttributeTensorBytes,
    rule: 'onnx.attribute_tensor_bytes',
    what: 'an attribute tensor',
  } as const;
  for (const { node, path } of allNodes(model)) {
    for (const attribute of node.attribute ?? []) {
      const where = `attribute '${attribute.name ?? ''}' of ${path}`;
      for (const [index, tensor] of [...(attribute.t ? [attribute.t] : []), ...(attribute.tensors ?? [])].entries()) {
        const checked = checkTensorProto(tensor, `${where} (tensor ${index})`, limits, { maxBytes });
        if (!checked.ok) return checked;
      }
      const sparse = [
        ...(attribute.sparse_tensor ? [attribute.sparse_tensor] : []),
        ...(attribute.sparse_tensors ?? []),
      ];
      for (const [index, tensor] of sparse.entries()) {
        const checked = checkSparseTensorProto(tensor, `${where} (sparse tensor ${index})`, limits, { maxBytes });
        if (!checked.ok) return checked;
      }
      for (const type of [...(attribute.tp ? [attribute.tp] : []), ...(attribute.type_protos ?? [])]) {
        const checked = checkTypeProto(type, where, limits);
        if (checked) return checked;
      }
    }
  }
  return null;
}

function checkGraphTensors(
  model: ModelProto,
  limits: ModelLimits,
): Rejection<ModelRule> | { count: number; bytes: number } {
  let count = 0;
  let bytes = 0;
  const overTotal = () =>
    reject(
      'onnx.initializer_bytes',
      `the model's initializers need more than ${limits.maxInitializerBytes} bytes in memory (sparse ones count dense).`,
    );
  for (const { graph, path } of allGraphs(model)) {
    for (const [index, tensor] of (graph.initializer ?? []).entries()) {
      const checked = checkTensorProto(tensor, `${path}.initializer[${index}] '${tensor.name ?? ''}'`, limits);
      if (!checked.ok) return checked;
      count++;
      bytes += checked.bytes;
      if (bytes > limits.maxInitializerBytes) return overTotal();
    }
    for (const [index, sparse] of (graph.sparse_initializer ?? []).entries()) {
      const checked = checkSparseTensorProto(
        sparse,
        `${path}.sparse_initializer[${index}] '${sparse.values?.name ?? ''}'`,
        limits,
      );
      if (!checked.ok) return checked;
      count++;
      bytes += checked.bytes;
      if (bytes > limits.maxInitializerBytes) return overTotal();
    }
    const declared: [string, readonly ValueInfoProto[] | undefined][] = [
      ['input', graph.input],
      ['output', graph.output],
      ['value_info', graph.value_info],
    ];
    for (const [field, values] of declared) {
      for (const [index, value] of (values ?? []).entries()) {
        const checked = checkTypeProto(value.type, `${path}.${field}[${index}] '${value.name ?? ''}'`, limits);
        if (checked) return checked;
      }
    }
    const allocation = checkConstantAllocations(graph, path, limits);
    if (allocation) return allocation;
  }
  for (const [fnIndex, fn] of (model.functions ?? []).entries()) {
    for (const [index, value] of (fn.value_info ?? []).entries()) {
      const checked = checkTypeProto(value.type, `${functionPath(fn, fnIndex)}.value_info[${index}]`, limits);
      if (checked) return checked;
    }
  }
  return { count, bytes };
}

function summarizeValue(value: ValueInfoProto, where: string, initializerNames: ReadonlySet<string>) {
  const name = value.name ?? '';
  const tensorType = value.type?.tensor_type;
  const dtype = tensorType ? dtypeOfOnnx(tensorType.elem_type ?? 0) : undefined;
  if (!tensorType || dtype === undefined || name === '') {
    return reject('onnx.io_type', `${where} '${name}' must be a named tensor of a type jobs can feed and read.`);
  }
  const dims = tensorType.shape
    ? (tensorType.shape.dim ?? []).map((dim) => {
        if (dim.dim_value !== undefined) return Number(toBigInt(dim.dim_value));
        return dim.dim_param ? dim.dim_param : null;
      })
    : null;
  return { name, dtype, dims, hasDefault: initializerNames.has(name) } satisfies ModelValueSummary;
}

function checkGraphInterface(model: ModelProto, limits: ModelLimits) {
  const graph = model.graph ?? {};
  const outputs = graph.output ?? [];
  if (outputs.length === 0 || outputs.length > limits.maxOutputs) {
    return reject('onnx.output_count', `the model has ${outputs.length} outputs; jobs need 1 to ${limits.maxOutputs}.`);
  }
  const initializerNames = new Set((graph.initializer ?? []).map((tensor) => tensor.name ?? ''));
  const inputs: ModelValueSummary[] = [];
  for (const value of graph.input ?? []) {
    const summary = summarizeValue(value, 'graph input', initializerNames);
    if (!('name' in summary)) return summary;
    inputs.push(summary);
  }
  const outputSummaries: ModelValueSummary[] = [];
  for (const value of outputs) {
    const summary = summarizeValue(value, 'graph output', new Set());
    if (!('name' in summary)) return summary;
    outputSummaries.push(summary);
  }
  return { inputs, outputs: outputSummaries };
}

function checkTopology(model: ModelProto): Check {
  const graph = model.graph;
  if (graph) {
    const checked = checkGraphTopology(graph, new Set(), 'model.graph');
    if (!checked.ok) return checked;
  }
  for (const [index, fn] of (model.functions ?? []).entries()) {
    const checked = checkFunctionTopology(fn, functionPath(fn, index));
    if (!checked.ok) return checked;
  }
  return null;
}

function decodeChecked(bytes: Uint8Array, limits: ModelLimits): Rejection<ModelRule> | ModelProto {
  if (bytes.length === 0) return reject('onnx.model_bytes', 'the model is empty.');
  if (bytes.length > limits.maxModelBytes) {
    return reject('onnx.model_bytes', `the model is ${bytes.length} bytes; the limit is ${limits.maxModelBytes}.`);
  }
  const scanned = scanModelWireFormat(bytes, limits.maxMessageDepth);
  if (!scanned.ok) return scanned;
  try {
    return decodeModel(bytes);
  } catch (error) {
    return reject(
      'onnx.parse',
      `the model could not be decoded: ${error instanceof Error ? error.message : String(error)}.`,
    );
  }
}

/** Validates untrusted model bytes; nothing else may hand a job's model to onnxruntime. */
export function validateModel(bytes: Uint8Array, limits: ModelLimits = DEFAULT_MODEL_LIMITS): ModelValidation {
  const model = decodeChecked(bytes, limits);
  if ('ok' in model) return model;
  const content = scanModelContent(model, bytes);
  if (content) return content;
  const header = checkHeader(model, limits);
  if ('ok' in header) return header;
  const nodes = checkNodes(model, limits);
  if ('ok' in nodes) return nodes;
  const attributes = checkAttributeTensors(model, limits);
  if (attributes) return attributes;
  const tensors = checkGraphTensors(model, limits);
  if ('ok' in tensors) return tensors;
  const graphInterface = checkGraphInterface(model, limits);
  if ('ok' in graphInterface) return graphInterface;
  const topology = checkTopology(model);
  if (topology) return topology;
  return {
    ok: true,
    model,
    summary: {
      irVersion: header.irVersion,
      opsetVersion: header.opset,
      nodeCount: nodes.nodeCount,
      opHistogram: nodes.histogram,
      initializerCount: tensors.count,
      initializerBytes: tensors.bytes,
      maxSubgraphDepth: nodes.maxDepth,
      inputs: graphInterface.inputs,
      outputs: graphInterface.outputs,
      estimatedFlops: estimateModelFlops(model),
    },
  };
}
