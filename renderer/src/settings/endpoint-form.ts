/**
 * The network and chain endpoints as the Settings screen edits them: empty
 * means "the embedded local network", anything else is sent as typed for the
 * agent to check (its sentence is what the screen shows).
 */
import type { Settings } from '../../../agent/local-api/contract.ts';

export interface EndpointForm {
  coordinatorUrl: string;
  chainRpcUrl: string;
}

export function endpointFormFrom(settings: Settings): EndpointForm {
  return { coordinatorUrl: settings.coordinatorUrl ?? '', chainRpcUrl: settings.chainRpcUrl ?? '' };
}

function endpointValue(text: string): string | null {
  const trimmed = text.trim();
  return trimmed === '' ? null : trimmed;
}

/** Only the endpoints that changed. */
export function endpointPatch(form: EndpointForm, settings: Settings): Partial<Settings> {
  const patch: Partial<Settings> = {};
  const coordinatorUrl = endpointValue(form.coordinatorUrl);
  const chainRpcUrl = endpointValue(form.chainRpcUrl);
  if (coordinatorUrl !== settings.coordinatorUrl) patch.coordinatorUrl = coordinatorUrl;
  if (chainRpcUrl !== settings.chainRpcUrl) patch.chainRpcUrl = chainRpcUrl;
  return patch;
}
