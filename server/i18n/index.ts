import { vi, type MessageKey } from "./vi";

export type { MessageKey };
export type MessageParams = Record<string, string | number>;

const catalogue: Record<MessageKey, string> = vi;

/** Looks a message up in the catalogue and fills its {placeholders}. */
export function t(key: MessageKey, params?: MessageParams): string {
  const template = catalogue[key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}
