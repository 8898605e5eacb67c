/**
 * The caps a job's model must stay within. The defaults fit every benchmark
 * graph we generate and real exported models (Silero VAD v5 nests If bodies
 * four deep) while keeping a hostile model from costing minutes to load or
 * gigabytes to allocate before the worker's own limits apply.
 */
import { z } from 'zod';

export const ModelLimitsSchema = z.object({
  maxModelBytes: z.number().int().positive(),
  /** Protobuf message nesting; 100 is the default of protoc's and protobufjs' parsers. */
  maxMessageDepth: z.number().int().positive().max(100),
  minIrVersion: z.number().int().positive(),
  maxIrVersion: z.number().int().positive(),
  minOpsetVersion: z.number().int().positive(),
  maxOpsetVersion: z.number().int().positive(),
  /** Nodes in all graphs together: main graph, If/Loop/Scan bodies and functions. */
  maxNodes: z.number().int().positive(),
  /** How deep If/Loop/Scan bodies may nest; the main graph is depth 0. */
  maxSubgraphDepth: z.number().int().nonnegative(),
  /** Bytes of all initializers once materialized (sparse ones counted dense, as onnxruntime loads them). */
  maxInitializerBytes: z.number().int().positive(),
  /** Elements of any one declared tensor, and of any constant shape an op would allocate. */
  maxTensorElements: z.number().int().positive(),
  maxTensorRank: z.number().int().positive(),
  maxOutputs: z.number().int().positive(),
  /** Bytes of any one tensor stored in a node attribute (Constant values and the like). */
  maxAttributeTensorBytes: z.number().int().positive(),
});
export type ModelLimits = z.infer<typeof ModelLimitsSchema>;

const MiB = 1024 * 1024;

export const DEFAULT_MODEL_LIMITS: ModelLimits = Object.freeze({
  maxModelBytes: 256 * MiB,
  maxMessageDepth: 100,
  minIrVersion: 3,
  maxIrVersion: 11,
  minOpsetVersion: 7,
  maxOpsetVersion: 23,
  maxNodes: 50_000,
  maxSubgraphDepth: 6,
  maxInitializerBytes: 256 * MiB,
  maxTensorElements: 64 * MiB,
  maxTensorRank: 8,
  maxOutputs: 64,
  maxAttributeTensorBytes: 16 * MiB,
});
