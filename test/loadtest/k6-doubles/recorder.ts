// What the k6 scripts did against the doubles of k6's modules: the requests they sent, the checks
// they ran, the metrics they added and the response callback they set.
export interface K6Request {
  method: string;
  url: string;
  body: string | null;
  headers: Record<string, string>;
  tags: Record<string, string>;
}

export interface K6Response {
  status: number;
  body: string;
}

export const recorded = {
  requests: [] as K6Request[],
  checks: [] as { name: string; ok: boolean }[],
  metrics: [] as { name: string; value: number }[],
  responseCallback: undefined as unknown,
  /** How the double answers each request: by default, 200 with the code it was sent. */
  respond: (request: K6Request): K6Response => ({
    status: 200,
    body: JSON.stringify({ couponCode: (JSON.parse(request.body ?? '{}') as { code?: string }).code }),
  }),
};

export function resetRecording(): void {
  recorded.requests.length = 0;
  recorded.checks.length = 0;
  recorded.metrics.length = 0;
}
