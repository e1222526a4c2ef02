// A merchant endpoint in its own process, for the arrival-rate test: answers each delivery with its
// code at once and records when it arrived; GET /arrivals returns those times (ms) and clears them.
// Its own process, so that the runner's work does not delay the arrivals it measures.
import { createServer } from 'node:http';

let arrivals = [];
const server = createServer((req, res) => {
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(arrivals));
    arrivals = [];
    return;
  }
  const arrivedAt = performance.now();
  let body = '';
  req.on('data', (chunk) => {
    body += chunk;
  });
  req.on('end', () => {
    arrivals.push(arrivedAt);
    const code = /"code":"([^"]*)"/.exec(body)?.[1];
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ couponCode: code }));
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
