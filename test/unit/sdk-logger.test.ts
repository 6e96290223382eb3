import { Writable } from 'node:stream';
import pino from 'pino';
import { log } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { sdkLogger } from '../../worker';

/** A pino logger writing its JSON lines into an array. */
function capture(level = 'info') {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { lines, logger: pino({ name: 'worker', level }, stream) };
}

describe('SDK logger over pino', () => {
  it('writes SDK log calls as pino JSON lines with their level and metadata', () => {
    const { lines, logger } = capture();
    const sdk = sdkLogger(logger);
    sdk.warn('Activity failed', { attempt: 3, activityType: 'sendEmail' });
    sdk.error('Worker failed');
    sdk.debug('below the pino level');
    expect(lines).toEqual([
      expect.objectContaining({ level: 40, name: 'worker', msg: 'Activity failed', attempt: 3, activityType: 'sendEmail' }),
      expect.objectContaining({ level: 50, msg: 'Worker failed' }),
    ]);
  });

  it('gives activity log lines the correlation of the activity context, without the task token', async () => {
    const { lines, logger } = capture();
    const env = new MockActivityEnvironment(
      { activityType: 'sendEmail', workflowExecution: { workflowId: 'order-42', runId: 'run-1' }, workflowType: 'orderToCash' },
      { logger: sdkLogger(logger) },
    );
    await env.run(async () => log.info('email sent', { messageId: '<m@backoffice.local>', template: 'invoice', outboxId: 'o-1' }));
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'email sent',
        messageId: '<m@backoffice.local>',
        template: 'invoice',
        outboxId: 'o-1',
        workflowId: 'order-42',
        workflowRunId: 'run-1',
        activityType: 'sendEmail',
      }),
    );
    expect(lines.find((l) => l.msg === 'email sent')).not.toHaveProperty('taskToken');
  });
});
