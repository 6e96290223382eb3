/** The one list of non-retryable failure types raised by activities and workflows. */
export const ErrorType = {
  NotFound: 'NotFound',
  InvalidOrder: 'InvalidOrder',
  InvalidState: 'InvalidState',
  ApprovalRejected: 'ApprovalRejected',
} as const;

export type ErrorType = (typeof ErrorType)[keyof typeof ErrorType];
