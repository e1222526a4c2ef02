// Node answers HTTP it cannot parse (a bad or doubled Content-Length, headers over the limit, a
// request that never completes) before any of our code sees a request, and by default with an empty
// body. This gives those answers the contract's JSON error body too, and closes the connection.
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from './logger.ts';
import type { MerchantError } from './problem.ts';

interface ClientError extends Error {
  code?: string;
}

export function answerClientErrors(server: http.Server, logger: Logger): void {
  server.on('clientError', (error: ClientError, socket: Duplex) => {
    // Nothing can be written to a socket the client reset, or once a response has begun on it.
    const current = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || current?.headersSent) {
      socket.destroy();
      return;
    }
    const [status, reason, body] = answerFor(error);
    const text = JSON.stringify(body);
    logger.info({ status, errorCode: body.code, reason: error.code }, 'protocol error');
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
    );
  });
}

function answerFor(error: ClientError): [number, string, MerchantError] {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return [
        431,
        'Request Header Fields Too Large',
        { code: 'payload_too_large', message: 'The request headers are over the server limit of 16 KiB.' },
      ];
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return [
        408,
        'Request Timeout',
        { code: 'invalid_json', message: 'The request did not arrive completely in time; send it again.' },
      ];
    case 'HPE_INVALID_CONTENT_LENGTH':
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
      return [
        400,
        'Bad Request',
        {
          code: 'invalid_json',
          message:
            'The body cannot be read: the request has an invalid Content-Length, two of them, or both Content-Length and Transfer-Encoding.',
        },
      ];
    default:
      return [
        400,
        'Bad Request',
        { code: 'invalid_json', message: `The request is not well-formed HTTP/1.1 (${error.code ?? 'parse error'}).` },
      ];
  }
}
