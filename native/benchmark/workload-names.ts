/**
 * The benchmark's workload names, on their own so the report's schema (which
 * the local API contract and the dashboard bundle use) does not pull in the
 * graph builders and the file reads that build the workloads.
 */
export const WORKLOAD_NAMES = ['gemm', 'conv', 'transformer', 'memory', 'silero-vad'] as const;
export type WorkloadName = (typeof WORKLOAD_NAMES)[number];
