/**
 * What `idlehive schedule set` sends: its key=value words and its option
 * flags as one policy patch. Values go as typed; the agent's schema checks
 * them and words any problem, so the rules live once.
 */
import { IdlehiveError } from '../errors.ts';
import { parseAssignments } from './cli-output.ts';

/** The assignments and option flags of `schedule set` as one patch; the agent validates every value. */
export function policyPatchFromWords(
  words: string[],
  options: { gpuTemperatureLimit?: string },
): Record<string, unknown> {
  const patch = parseAssignments(words, 'invalid_policy_field', 'idleMinutes=10');
  if (options.gpuTemperatureLimit !== undefined) {
    const text = options.gpuTemperatureLimit.trim();
    // Sent as typed when it is no number, so the agent's schema words the problem.
    patch.gpuTemperatureLimitC = text !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
  }
  if (Object.keys(patch).length === 0) {
    throw new IdlehiveError(
      'invalid_policy_field',
      'Name a change, e.g. `idlehive schedule set idleMinutes=10` or `idlehive schedule set --gpu-temperature-limit 78`.',
    );
  }
  return patch;
}
