/** The carrier webhook's shared secret on the embedded runtime (CARRIER_WEBHOOK_SECRET overrides it). */
export const LOCAL_CARRIER_SECRET = 'local-carrier-webhook-secret';
