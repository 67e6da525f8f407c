/**
 * API tokens: what an organisation's own platform presents to Roster's HTTP API. Pure: no I/O, no clock.
 * A token is limited to one organisation and carries the scopes it may use; the sign-in API needs `sign-in`, SCIM
 * provisioning (`/scim/v2`) needs `scim`.
 */
export const API_SCOPES = ['sign-in', 'scim'] as const;
export type ApiScope = (typeof API_SCOPES)[number];
