// A list given as one option value, `redeem=3, campaign=1`: the items, trimmed, empty ones dropped.

export function commaList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
