/** Vietnamese messages of the administration pages (part of the one catalogue, see vi.ts). */
export const viAdmin = {} as const;
