/**
 * One glyph per agent state, drawn inline as SVG so it inherits the pill's
 * colour (currentColor) and needs no image request. Decorative: the pill's
 * text says the same.
 */
import type { ReactNode } from 'react';
import type { AgentState } from '../../../agent/local-api/contract.ts';

const GLYPHS: Record<AgentState, ReactNode> = {
  // A lightning bolt: the machine is working and earning.
  earning: <path d="M11.5 1.5 4 11h5l-1 7.5L16 9h-5l.5-7.5Z" fill="currentColor" />,
  // A clock: waiting for the computer to be free.
  waiting: (
    <>
      <circle cx="10" cy="10" r="7.25" fill="none" stroke="currentColor" strokeWidth="1.75" />
      <path d="M10 5.5V10l3 2" fill="none" stroke="currentColor" strokeWidth="1.75" strokeLinecap="round" />
    </>
  ),
  // Two bars: paused by the owner.
  paused: (
    <>
      <rect x="5" y="4" width="3.5" height="12" rx="1" fill="currentColor" />
      <rect x="11.5" y="4" width="3.5" height="12" rx="1" fill="currentColor" />
    </>
  ),
  // A gauge: measuring what this machine can do.
  benchmarking: (
    <>
      <path d="M3 14a7 7 0 1 1 14 0" fill="none" stroke="currentColor" strokeWidth="1.75" strokeLinecap="round" />
      <path d="m10 14 3.5-4.5" fill="none" stroke="currentColor" strokeWidth="1.75" strokeLinecap="round" />
      <circle cx="10" cy="14" r="1.5" fill="currentColor" />
    </>
  ),
  // A crescent moon: idle, the network has nothing to do.
  'no-work': <path d="M12.5 2.5a7.5 7.5 0 1 0 5 12.5A6.5 6.5 0 0 1 12.5 2.5Z" fill="currentColor" />,
  // A warning triangle: something needs the owner.
  error: (
    <>
      <path d="M10 2.5 18 17H2L10 2.5Z" fill="none" stroke="currentColor" strokeWidth="1.75" strokeLinejoin="round" />
      <path d="M10 8v4" stroke="currentColor" strokeWidth="1.75" strokeLinecap="round" />
      <circle cx="10" cy="14.5" r="1" fill="currentColor" />
    </>
  ),
};

export function StateIcon({ state }: { state: AgentState }) {
  return (
    <svg className="state-icon" viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" focusable="false">
      {GLYPHS[state]}
    </svg>
  );
}
