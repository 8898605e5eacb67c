import { type KeyboardEvent, type PointerEvent, useEffect, useRef, useState } from 'react';
import {
  DAY_COUNT,
  type GridCursor,
  moveCursor,
  SLOTS_PER_DAY,
  slotRangeLabel,
  slotStartLabel,
  type WeekGrid,
} from '../schedule/week-grid.ts';

const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const SLOTS = Array.from({ length: SLOTS_PER_DAY }, (_, slot) => slot);
const DAYS = Array.from({ length: DAY_COUNT }, (_, day) => day);
/** Hour labels over the grid every three hours; every column still has its time as an accessible name. */
const LABEL_EVERY_SLOTS = 6;

interface WeekGridEditorProps {
  grid: WeekGrid;
  disabled: boolean;
  describedBy: string;
  onPaint(day: number, slot: number, value: boolean): void;
}

/**
 * The weekly schedule as 7 × 48 half-hour cells. Drag with a mouse, pen or
 * finger to paint (starting on an empty cell paints, on a painted one
 * erases); with the keyboard, arrows move, Space toggles, and Shift+arrow
 * paints as it moves.
 */
export function WeekGridEditor({ grid, disabled, describedBy, onPaint }: WeekGridEditorProps) {
  const [cursor, setCursor] = useState<GridCursor>({ day: 0, slot: 18 });
  const paintValue = useRef<boolean | null>(null);
  const gridElement = useRef<HTMLTableElement>(null);
  const isKeyboardMove = useRef(false);

  useEffect(() => {
    const stop = () => {
      paintValue.current = null;
    };
    window.addEventListener('pointerup', stop);
    window.addEventListener('pointercancel', stop);
    return () => {
      window.removeEventListener('pointerup', stop);
      window.removeEventListener('pointercancel', stop);
    };
  }, []);

  useEffect(() => {
    if (!isKeyboardMove.current) return;
    isKeyboardMove.current = false;
    gridElement.current?.querySelector<HTMLElement>(`[data-cell="${cursor.day}-${cursor.slot}"]`)?.focus();
  }, [cursor]);

  const isOn = (day: number, slot: number) => grid[day]?.[slot] === true;

  const onPointerDown = (event: PointerEvent<HTMLTableCellElement>, day: number, slot: number) => {
    if (disabled || event.button !== 0) return;
    // Touch captures the pointer to the first cell; release it so the cells under the finger get pointerenter.
    event.currentTarget.releasePointerCapture?.(event.pointerId);
    event.preventDefault();
    paintValue.current = !isOn(day, slot);
    setCursor({ day, slot });
    onPaint(day, slot, paintValue.current);
  };

  const onPointerEnter = (day: number, slot: number) => {
    if (disabled || paintValue.current === null) return;
    onPaint(day, slot, paintValue.current);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTableElement>) => {
    if (disabled) return;
    if (event.key === ' ' || event.key === 'Enter') {
      event.preventDefault();
      onPaint(cursor.day, cursor.slot, !isOn(cursor.day, cursor.slot));
      return;
    }
    const next = moveCursor(cursor, event.key);
    if (next === null) return;
    event.preventDefault();
    if (event.shiftKey) onPaint(next.day, next.slot, isOn(cursor.day, cursor.slot));
    isKeyboardMove.current = true;
    setCursor(next);
  };

  return (
    // The ARIA grid pattern on a table: a two-dimensional widget moved through with arrow keys (WAI-ARIA APG "Grid").
    <table
      ref={gridElement}
      className={`week-grid${disabled ? ' week-grid--disabled' : ''}`}
      // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: a data grid is a table made interactive (APG).
      role="grid"
      aria-label="Weekly schedule: painted half hours are when this computer may earn"
      aria-describedby={describedBy}
      aria-readonly={disabled}
      aria-multiselectable="true"
      data-testid="week-grid"
      onKeyDown={onKeyDown}
    >
      <thead>
        <tr>
          <th className="week-grid__corner" scope="col">
            <span className="visually-hidden">Day</span>
          </th>
          {SLOTS.map((slot) => (
            <th key={slot} className="week-grid__hour" scope="col" aria-label={slotStartLabel(slot)}>
              {slot % LABEL_EVERY_SLOTS === 0 ? slotStartLabel(slot).slice(0, 2) : ''}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {DAYS.map((day) => (
          <tr key={day}>
            <th className="week-grid__day" scope="row" aria-label={DAY_NAMES[day]}>
              {DAY_NAMES[day]?.slice(0, 3)}
            </th>
            {SLOTS.map((slot) => {
              const on = isOn(day, slot);
              const isCursor = cursor.day === day && cursor.slot === slot;
              return (
                <td
                  key={slot}
                  // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: the cells of an APG grid are gridcells.
                  role="gridcell"
                  className={`week-grid__cell${on ? ' week-grid__cell--on' : ''}${slot % 2 === 0 ? ' week-grid__cell--hour' : ''}`}
                  aria-selected={on}
                  aria-label={`${DAY_NAMES[day]} ${slotRangeLabel(slot)}`}
                  tabIndex={isCursor ? 0 : -1}
                  data-cell={`${day}-${slot}`}
                  onPointerDown={(event) => onPointerDown(event, day, slot)}
                  onPointerEnter={() => onPointerEnter(day, slot)}
                  onFocus={() => {
                    if (!isCursor) setCursor({ day, slot });
                  }}
                />
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
