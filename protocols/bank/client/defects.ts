/**
 * The defects of broken-client.ts, by name, each with the one client rule it breaks: test/client-bank-broken.test.ts
 * checks each and requires exactly that rule unmet.
 */
export const BANK_CLIENT_DEFECTS = {
  "newline-sent": "BANKC-SEND-EXACT",
  "credentials-unspaced": "BANKC-CREDENTIALS-EXACT",
  "sender-unchecked": "BANKC-SPOOF-IGNORED",
  "waits-forever": "BANKC-LOST-REPLY",
  "resends-operation": "BANKC-NO-RESEND",
  "notices-hidden": "BANKC-SHOW-REPLIES",
} as const;
