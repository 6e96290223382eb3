import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes every lifecycle sets so operators can filter in the Temporal UI.
 * The dev script registers exactly these on the dev server (scripts/search-attributes.ts).
 */
export const CustomerId = defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD);
export const BusinessKey = defineSearchAttributeKey('BusinessKey', SearchAttributeType.KEYWORD);
export const ProcessStatus = defineSearchAttributeKey('ProcessStatus', SearchAttributeType.KEYWORD);
export const WaitingFor = defineSearchAttributeKey('WaitingFor', SearchAttributeType.KEYWORD);
export const AmountDueCents = defineSearchAttributeKey('AmountDueCents', SearchAttributeType.INT);
export const TechnicianId = defineSearchAttributeKey('TechnicianId', SearchAttributeType.KEYWORD);
export const SlaBreached = defineSearchAttributeKey('SlaBreached', SearchAttributeType.BOOL);
export const SerialNumber = defineSearchAttributeKey('SerialNumber', SearchAttributeType.KEYWORD);
export const SupplierId = defineSearchAttributeKey('SupplierId', SearchAttributeType.KEYWORD);
export const TermEnd = defineSearchAttributeKey('TermEnd', SearchAttributeType.DATETIME);

export const allSearchAttributes = [
  CustomerId,
  BusinessKey,
  ProcessStatus,
  WaitingFor,
  AmountDueCents,
  TechnicianId,
  SlaBreached,
  SerialNumber,
  SupplierId,
  TermEnd,
];

/** The type names `temporal server start-dev --search-attribute` and `temporal operator search-attribute create` take. */
export const cliTypeOf: Record<string, string> = {
  KEYWORD: 'Keyword',
  TEXT: 'Text',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};
