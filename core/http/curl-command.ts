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
function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * A shell script that sends a whole sequence again, in order: what a failure needs when one request
 * alone does not show it (a conflicting reuse needs the first delivery before it). A step of several
 * requests sends them at once.
 */
export function curlScript(steps: readonly (RenderedRequest | readonly RenderedRequest[])[], title: string): string {
  const lines = [
    '#!/usr/bin/env bash',
    `# ${title.replace(/\s*\n\s*/g, ' ')}`,
    '# Each step prints the answer it got.',
  ];
  steps.forEach((step, i) => {
    lines.push('');
    if (Array.isArray(step)) {
      const requests = step as readonly RenderedRequest[];
      const same = requests.every((r) => curlCommand(r) === curlCommand(requests[0]!));
      lines.push(`# ${i + 1}. ${requests.length} requests at once`);
      if (same) {
        lines.push(`for i in $(seq ${requests.length}); do ${curlCommand(requests[0]!)} & done; wait`);
      } else {
        for (const request of requests) lines.push(`${curlCommand(request)} &`);
        lines.push('wait');
      }
    } else {
      lines.push(`# ${i + 1}.`, curlCommand(step as RenderedRequest), 'echo');
    }
  });
  return `${lines.join('\n')}\n`;
}
