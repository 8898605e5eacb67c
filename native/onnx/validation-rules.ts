/**
 * Every reason a model or an input tensor is refused, as a stable code. A
 * rejection always names one of these, so a requester (and a test) can tell
 * exactly which rule failed; the codes double as IdlehiveError codes.
 */
import { IdlehiveError } from '../../agent/errors.ts';

export const MODEL_RULES = [
  /** Empty, or larger than the cap. */
  'onnx.model_bytes',
  /** Not a protobuf message: truncated, garbage, invalid wire types or invalid UTF-8 in strings. */
  'onnx.parse',
  /** A field onnx.proto has but we do not accept (training_info, opaque types...) or one no schema knows. */
  'onnx.unsupported_field',
  /** A singular field written twice: protobuf parsers disagree on merging it, so we refuse it. */
  'onnx.duplicate_field',
  /** Protobuf messages nested deeper than the cap (parser stack exhaustion). */
  'onnx.message_depth',
  'onnx.missing_graph',
  'onnx.ir_version',
  'onnx.opset',
  /** Anything outside the standard ONNX domain: nodes, opset imports, functions. */
  'onnx.domain',
  'onnx.op_not_allowed',
  'onnx.node_count',
  /** If/Loop/Scan bodies nested deeper than the cap (a known load-time bomb). */
  'onnx.subgraph_depth',
  'onnx.initializer_bytes',
  /** A dimension that is negative or not an integer, or a rank above the cap. */
  'onnx.tensor_shape',
  /** A declared tensor (or a constant shape it allocates) with more elements than the cap. */
  'onnx.tensor_elements',
  /** A tensor element type we refuse inside models (strings, complex, sub-byte types). */
  'onnx.tensor_dtype',
  /** Stored tensor data that does not match its declared shape and type. */
  'onnx.tensor_data',
  'onnx.attribute_tensor_bytes',
  'onnx.output_count',
  /** A graph input or output that is not a tensor. */
  'onnx.io_type',
  /** Tensor data read from outside the model (path traversal in onnxruntime). */
  'onnx.external_data',
  /** onnxruntime's in-memory address marker, which reads arbitrary process memory. */
  'onnx.memory_address_marker',
  'onnx.graph_cycle',
  'onnx.undefined_input',
  /** A value name defined twice in one graph. */
  'onnx.duplicate_value',
] as const;
export type ModelRule = (typeof MODEL_RULES)[number];

export const INPUT_RULES = [
  /** A feed names an input the model does not have. */
  'input.unknown_name',
  /** The same input name twice in one feed. */
  'input.duplicate_name',
  /** A model input that a feed does not provide. */
  'input.missing',
  /** A dtype jobs may not feed at all. */
  'input.dtype',
  /** A dtype other than the one the model declares for that input. */
  'input.dtype_mismatch',
  /** Dimensions that are negative, too many, or that contradict the model's fixed dimensions. */
  'input.shape',
  'input.elements',
  /** The data's byte length is not dtype size times element count. */
  'input.byte_length',
  'input.bytes_total',
  /** Inline data that is not canonical base64. */
  'input.base64',
] as const;
export type InputRule = (typeof INPUT_RULES)[number];

export interface Rejection<Rule extends string> {
  readonly ok: false;
  readonly rule: Rule;
  /** A sentence a requester can act on: what was found, where, and the limit. */
  readonly message: string;
}

export function reject<Rule extends string>(rule: Rule, message: string): Rejection<Rule> {
  return { ok: false, rule, message };
}

/** The rejection as the typed error the agent's boundaries understand; the rule is the code. */
export function rejectionError(rejection: Rejection<string>): IdlehiveError {
  return new IdlehiveError(rejection.rule, `The job was refused (${rejection.rule}): ${rejection.message}`);
}
