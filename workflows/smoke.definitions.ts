import { defineQuery, defineSignal } from '@temporalio/workflow';

/** Workflow id of a smoke run. */
export const smokeWorkflowId = (id: string): string => `smoke-${id}`;

export interface SmokeInput {
  id: string;
  email: string;
  message: string;
}

export type SmokeStep = 'recording' | 'emailing' | 'awaiting_confirmation' | 'confirmed';

export interface SmokeStatus {
  step: SmokeStep;
  confirmedBy?: string;
}

/** Someone confirmed the smoke run (fire and forget). */
export const confirmSmokeSignal = defineSignal<[{ by: string }]>('confirmSmoke');
/** Where the smoke run is. */
export const smokeStatusQuery = defineQuery<SmokeStatus>('smokeStatus');
