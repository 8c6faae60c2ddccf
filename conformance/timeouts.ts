/** How a check waits for answers, with every server. */
export interface Timeouts {
  /** How long a correct server may take to answer or to close. */
  replyMs: number;
  /** Once bytes arrived that no correct server would send, how long a pause ends the message. */
  settleMs: number;
  /**
   * UDP: how many times a datagram that got no answer is sent again before the silence counts (0: never).
   * Every resend is in the transcript and counted in the report, never hidden.
   */
  udpRetries: number;
}
