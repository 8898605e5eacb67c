/**
 * Saves text as a file through the browser's own download (a blob link), so
 * the same code works in a browser tab and in the desktop window.
 */
export function downloadTextFile(fileName: string, text: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own copy once it started; the next turn frees ours.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** idlehive-diagnostics-2026-11-29T18-20-05Z.json: sortable, and valid on every file system. */
export function diagnosticsFileName(createdAt: number): string {
  return `idlehive-diagnostics-${new Date(createdAt)
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replaceAll(':', '-')}.json`;
}
