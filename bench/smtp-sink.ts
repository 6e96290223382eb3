// The benchmark's SMTP receiver in a process of its own: accepts every message over real SMTP,
// reads it to the end and counts it (no parsing: its CPU is the receiving side only).
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';

let received = 0;
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  size: 20 * 1024 * 1024,
  onData(stream, _session, callback) {
    stream.on('data', () => {});
    stream.on('end', () => {
      received += 1;
      callback();
    });
  },
});

server.listen(0, '127.0.0.1', () => {
  process.send?.({ port: (server.server.address() as AddressInfo).port });
});
process.on('message', (m) => {
  if (m === 'count') process.send?.({ received });
  if (m === 'stop') server.close(() => process.exit(0));
});
