/** Whatever was thrown, in one line: an Error's first line of message, anything else (null, a string) as it prints. */
export function describeThrown(thrown: unknown): string {
  const text = thrown instanceof Error ? thrown.message : String(thrown);
  return text.split("\n")[0] ?? "";
}
