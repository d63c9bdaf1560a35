/** Where a ticket's tracking page is: the path, and the absolute address printed in its QR code. */

export const trackingPathOf = (token: string) => `/t/${token}`;

/** `base`: the printed address (server/dossiers/receipt.ts `printedBase`), as for the dossier lookup's QR. */
export const trackingUrlOf = (token: string, base: string) => new URL(trackingPathOf(token), base).toString();
