// The benchmark's SMTP receiver, in a process of its own: a minimal SMTP server (EHLO, MAIL,
// RCPT, DATA with pipelining) that answers at once, reads each message to its end and counts it.
// Not smtp-server (the tests' receiver): that one holds every greeting 100 ms to catch early
// talkers, which would make the benchmark measure that pause rather than our code (see
// docs/BENCHMARKS.md for the figures with it).
import net from 'node:net';
import type { AddressInfo } from 'node:net';

let received = 0;

const server = net.createServer((socket) => {
  socket.setNoDelay(true);
  let buffer = '';
  let inData = false;
  socket.write('220 bench ESMTP\r\n');
  socket.on('data', (chunk) => {
    buffer += chunk.toString('latin1');
    const replies: string[] = [];
    for (;;) {
      if (inData) {
        const end = buffer.indexOf('\r\n.\r\n');
        if (end === -1) {
          // Keep only what could start the terminator.
          if (buffer.length > 4) buffer = buffer.slice(-4);
          break;
        }
        buffer = buffer.slice(end + 5);
        inData = false;
        received += 1;
        replies.push('250 2.0.0 OK queued');
        continue;
      }
      const eol = buffer.indexOf('\r\n');
      if (eol === -1) break;
      const line = buffer.slice(0, eol);
      buffer = buffer.slice(eol + 2);
      const verb = line.slice(0, 4).toUpperCase();
      if (verb === 'EHLO') replies.push('250-bench\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SIZE 52428800');
      else if (verb === 'DATA') {
        inData = true;
        replies.push('354 End data with <CR><LF>.<CR><LF>');
        // The terminator may directly follow an empty body.
        buffer = `\r\n${buffer}`;
      } else if (verb === 'QUIT') {
        socket.end('221 Bye\r\n');
        return;
      } else replies.push('250 OK');
    }
    if (replies.length) socket.write(`${replies.join('\r\n')}\r\n`);
  });
  socket.on('error', () => {});
});

server.listen(0, '127.0.0.1', () => {
  process.send?.({ port: (server.address() as AddressInfo).port });
});
process.on('message', (m) => {
  if (m === 'count') process.send?.({ received });
  if (m === 'stop') {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  }
});
