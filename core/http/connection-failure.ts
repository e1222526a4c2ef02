// A connection that failed, in the words a merchant's engineer acts on: the same words from verify,
// trigger and flow (through send-request.ts) and the load runner (through its client).

/** OpenSSL's reasons for refusing a certificate that a private certificate authority would explain. */
const untrustedCertificate = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);

/** What went wrong, from the error's code; the error's own message when the code says nothing more. */
export function describeConnectionFailure(code: string | undefined, message: string | undefined): string {
  if (code === 'ECONNREFUSED') return 'connection refused: nothing is listening at that address';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET') {
    return 'the connection was closed without an answer';
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name does not resolve';
  if (code !== undefined && untrustedCertificate.has(code)) {
    return `the endpoint's TLS certificate is not trusted (${message ?? code}); if your own certificate authority signed it, start with NODE_EXTRA_CA_CERTS=its-certificate.pem`;
  }
  return message ?? 'the connection failed';
}
