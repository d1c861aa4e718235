/**
 * The `ledger` payment provider: Refund Hub's own ledger is the record, and the operator pays out
 * of band from `npm run refunds:export`. There is nothing to call, so every refund and credit is
 * recorded at once (status `succeeded`: what the ledger says is what is owed).
 */
import type { PaymentProvider } from './provider.js';

export const ledgerProvider: PaymentProvider = {
  name: 'ledger',
  refund: async () => ({ providerRefundId: null, status: 'succeeded' }),
  // Nothing outside the ledger to compare with.
  refundStatus: async () => null,
  credit: async () => ({ providerCreditId: null }),
};
