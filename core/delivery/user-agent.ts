/** Sent with every outbound request, so receivers can tell deliveries from other traffic. */
export const USER_AGENT = 'incident-intake-delivery/0.1';
