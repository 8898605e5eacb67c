/**
 * axe-core over a live page (through @axe-core/playwright, injected into the
 * page like any test script). Only serious and critical findings fail a test:
 * those block people; the rest are reported in the failure message alone.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';

export interface BlockingViolation {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

export async function blockingAccessibilityViolations(page: Page): Promise<BlockingViolation[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? 'unknown',
      help: violation.help,
      targets: violation.nodes.map((node) => node.target.join(' ')),
    }));
}
