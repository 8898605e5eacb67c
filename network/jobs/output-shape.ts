/**
 * Whether a set of output groups is what a spec asks for: one group per feed
 * (inference) or one group of final parameters (training), each naming the
 * wanted tensors in order, hashed with the canonical digest it claims. Used
 * for providers' results and for operators' known answers alike.
 */
import { type JobSpec, outputGroupCount, outputNames } from './job-spec-view.ts';
import { type OutputGroups, outputGroupsSha256 } from './tensors.ts';

/** Null when the outputs fit; otherwise what is wrong, as a phrase. */
export function outputsProblem(
  spec: JobSpec,
  outputs: OutputGroups,
  outputSha256: string,
  groups = outputGroupCount(spec),
): string | null {
  if (outputs.length !== groups) {
    return `the job expects ${groups} output group${groups === 1 ? '' : 's'} (${spec.kind === 'inference' ? 'one per feed' : 'the final parameters'}), and there are ${outputs.length}`;
  }
  const names = outputNames(spec);
  for (const [index, group] of outputs.entries()) {
    const got = group.map((tensor) => tensor.name);
    if (got.length !== names.length || got.some((name, i) => name !== names[i])) {
      return `output group ${index} names [${got.join(', ')}]; the job asks for [${names.join(', ')}] in that order`;
    }
  }
  const hash = outputGroupsSha256(outputs);
  if (hash !== outputSha256) {
    return `outputSha256 is ${outputSha256} but the outputs hash to ${hash} (canonicalTensorDigest of the groups in order)`;
  }
  return null;
}
