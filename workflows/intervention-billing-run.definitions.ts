import { defineQuery } from '@temporalio/workflow';

/** Workflow id of the monthly grouping of field jobs for a period `YYYY-MM`: starting it twice does nothing new. */
export const interventionBillingRunId = (period: string): string => `intervention-billing-${period}`;

export interface InterventionBillingProgress {
  period: string;
  customers: number;
  invoiced: { customerId: string; invoiceId: string; number: string; interventions: number }[];
}

/** How far the run is. */
export const interventionBillingProgressQuery = defineQuery<InterventionBillingProgress>('interventionBillingProgress');
