import type { z } from 'zod';

/** Turns schema issues into one sentence a person can act on. */
export function describeSchemaIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.length > 0 ? issue.path.join('.') : 'value';
      if (issue.code === 'unrecognized_keys') {
        return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}${where === 'value' ? '' : ` in ${where}`}`;
      }
      return `${where}: ${issue.message}`;
    })
    .join('; ');
}
