/**
 * The shape of the diagnostics bundle, on its own so the local API contract
 * (which the dashboard bundles) imports no Node module with it.
 */
import { z } from 'zod';
import { DevicesViewSchema } from '../compute/compute-views.ts';
import { AgentStateSchema } from '../scheduler/agent-state.ts';
import { DecisionCauseSchema } from '../scheduler/decision.ts';

export const DiagnosticsBundleSchema = z.object({
  kind: z.literal('idlehive-diagnostics'),
  version: z.literal(1),
  createdAt: z.number().int(),
  versions: z.object({ app: z.string(), onnxruntime: z.string(), node: z.string() }),
  platform: z.object({
    os: z.string(),
    release: z.string(),
    arch: z.string(),
    cpus: z.number().int(),
    memoryBytes: z.number(),
  }),
  /** The device report, or why it could not be read. */
  devices: DevicesViewSchema.nullable(),
  devicesProblem: z.string().nullable(),
  status: z.unknown(),
  policy: z.unknown(),
  settings: z.unknown(),
  timeline: z.array(
    z.object({ at: z.number().int(), state: AgentStateSchema, cause: DecisionCauseSchema, reason: z.string() }),
  ),
  /** The agent's log, oldest first: parsed pino objects (or the text of a line that is not JSON), redacted. */
  log: z.array(z.unknown()),
});
export type DiagnosticsBundle = z.infer<typeof DiagnosticsBundleSchema>;
