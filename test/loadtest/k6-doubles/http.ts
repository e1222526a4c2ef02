// Double of `k6/http`: request() records what would be sent and answers through recorded.respond.
import { type K6Request, recorded } from './recorder.ts';

function request(
  method: string,
  url: string,
  body: string | null,
  params: { headers?: Record<string, string>; tags?: Record<string, string> } = {},
) {
  const sent: K6Request = { method, url, body, headers: { ...params.headers }, tags: { ...params.tags } };
  recorded.requests.push(sent);
  return recorded.respond(sent);
}

const expectedStatuses = (...statuses: number[]) => ({ expectedStatuses: statuses });
const setResponseCallback = (callback: unknown): void => {
  recorded.responseCallback = callback;
};

export default {
  request,
  post: (url: string, body: string | null, params?: Parameters<typeof request>[3]) =>
    request('POST', url, body, params),
  expectedStatuses,
  setResponseCallback,
};
