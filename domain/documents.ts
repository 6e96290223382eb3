import type { ComputedLine, VatBreakdownEntry } from './invoice';

/** Who is named on a billing document (French mandatory mentions). */
export interface PartyIdentity {
  name: string;
  addressLines: string[];
  siren?: string | null;
  siret?: string | null;
  vatNumber?: string | null;
  email?: string | null;
}

/** Everything an invoice or credit note shows, snapshotted at issue time; the PDF is rendered from this alone. */
export interface BillingDocument {
  kind: 'invoice' | 'credit_note';
  number: string;
  /** ISO date-time of issue. */
  issuedAt: string;
  /** ISO date; invoices only. */
  dueDate?: string;
  seller: PartyIdentity & { iban?: string };
  buyer: PartyIdentity;
  /** Business customers get the late-payment penalty and the 40 EUR recovery indemnity mentions. */
  buyerIsBusiness: boolean;
  lines: ComputedLine[];
  vatBreakdown: VatBreakdownEntry[];
  totalHtCents: number;
  totalVatCents: number;
  totalTtcCents: number;
  references: { orderId?: string; customerRef?: string | null; invoiceNumber?: string };
  /** Credit notes: why the invoice is cancelled or reduced. */
  reason?: string;
  paymentTermsDays?: number;
}
