/** The no-op activity of W1: what Temporal costs with no work of ours inside. */
export const noopActivities = {
  async noop(): Promise<void> {},
};
export type NoopActivities = typeof noopActivities;
