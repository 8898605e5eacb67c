import { describe, expect, it } from 'vitest';
import { blockingFindings, describeFinding, type ScanIssue } from './findings.ts';

function issue(severity: string, value: number, overrides: Partial<ScanIssue> = {}): ScanIssue {
  return {
    id: 'SOME_CHECK',
    file: 'electron/main.js',
    location: { line: 3, column: 1 },
    severity: { name: severity, value },
    confidence: { name: 'TENTATIVE' },
    description: 'Review this.',
    ...overrides,
  };
}

describe('blockingFindings', () => {
  it('fails on medium and high findings of any confidence, and lets low and informational ones pass', () => {
    const findings = [issue('HIGH', 3), issue('MEDIUM', 2), issue('LOW', 1), issue('INFORMATIONAL', 0)];
    expect(blockingFindings(findings).map((f) => f.severity.name)).toEqual(['HIGH', 'MEDIUM']);
    expect(blockingFindings([])).toEqual([]);
  });
});

describe('describeFinding', () => {
  it('names the check, where it is and how sure the scanner is', () => {
    expect(describeFinding(issue('HIGH', 3, { manualReview: true }))).toBe(
      'HIGH (TENTATIVE, needs review) SOME_CHECK at electron/main.js:3: Review this.',
    );
    expect(describeFinding(issue('MEDIUM', 2, { file: 'N/A', location: { line: 0, column: 0 } }))).toBe(
      'MEDIUM (TENTATIVE) SOME_CHECK at N/A: Review this.',
    );
  });
});
