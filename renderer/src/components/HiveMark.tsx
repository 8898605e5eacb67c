/** The Idlehive mark: a honeycomb cell with a spark, the same shape as the app and tray icons. */
export function HiveMark() {
  return (
    <svg className="hive-mark" viewBox="0 0 32 32" width="28" height="28" aria-hidden="true" focusable="false">
      <path d="M16 2.5 27.7 9.25v13.5L16 29.5 4.3 22.75V9.25L16 2.5Z" fill="currentColor" />
      <path d="M17.5 8.5 11 17.5h4.5l-1 6 6.5-9h-4.5l1-6Z" className="hive-mark__spark" />
    </svg>
  );
}
