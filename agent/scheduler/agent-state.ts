import { z } from 'zod';

/** The agent's states, shared by the scheduler's decision and the local API. */
export const AgentStateSchema = z.enum(['earning', 'waiting', 'paused', 'benchmarking', 'no-work', 'error']);
export type AgentState = z.infer<typeof AgentStateSchema>;
