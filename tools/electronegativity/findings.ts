/**
 * Which electronegativity findings fail `npm test`: any of medium severity or
 * higher, whatever its confidence (a tentative high finding still needs a
 * person to look; a reviewed one is marked in the source with an
 * `eng-disable` comment saying why, which the scanner honours).
 */

/** The part of an electronegativity issue this project reads. */
export interface ScanIssue {
  id: string;
  file: string;
  location: { line: number; column: number };
  severity: { name: string; value: number };
  confidence: { name: string };
  description?: string;
  manualReview?: boolean;
}

/** electronegativity's own scale: INFORMATIONAL 0, LOW 1, MEDIUM 2, HIGH 3. */
export const MEDIUM_SEVERITY = 2;

/** The check that downloads Electron release data to list available fixes; nothing here may reach the internet. */
export const OFFLINE_EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck'];

export function blockingFindings(issues: readonly ScanIssue[]): ScanIssue[] {
  return issues.filter((issue) => issue.severity.value >= MEDIUM_SEVERITY);
}

export function describeFinding(issue: ScanIssue): string {
  const where = issue.location.line > 0 ? `${issue.file}:${issue.location.line}` : issue.file;
  const review = issue.manualReview ? ', needs review' : '';
  return `${issue.severity.name} (${issue.confidence.name}${review}) ${issue.id} at ${where}: ${issue.description ?? ''}`.trim();
}
