// A curl command that sends the same request, so a failure can be reproduced outside the tool.
import type { RenderedRequest } from '../render/render-delivery.ts';

const printableBody = 8 * 1024;

export function curlCommand(request: RenderedRequest): string {
  const parts = ['curl', '-sS', '-i', '-X', request.method, quote(request.url)];
  for (const [key, value] of Object.entries(request.headers)) {
    if (key === 'user-agent') continue;
    parts.push('-H', quote(`${key}: ${value}`));
  }
  if (request.body !== undefined) {
    if (request.bodyShell) {
      parts.push('--data-binary', `@<(${request.bodyShell})`);
    } else if (request.body.length > printableBody) {
      parts.push('--data-binary', '@body.json');
      return `${parts.join(' ')}  # body.json: the ${Math.round(request.body.length / 1024)} KiB body, too large to show`;
    } else {
      parts.push('--data-binary', quote(request.body));
    }
  }
  return parts.join(' ');
}

/**
 * A JSON object body padded past a size limit with one long string property, and the shell
 * command that rebuilds it byte for byte.
 */
export function paddedBody(json: string, totalBytes: number): { body: string; bodyShell: string } {
  const head = `${json.replace(/\}\s*$/, '')},"padding":"`;
  const fill = Math.max(0, totalBytes - Buffer.byteLength(head) - 2);
  return {
    body: `${head}${'x'.repeat(fill)}"}`,
    bodyShell: `node -e ${quote(`process.stdout.write(${JSON.stringify(head)} + "x".repeat(${fill}) + '"}')`)}`,
  };
}

/** Single-quote for POSIX shells. */
export function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
