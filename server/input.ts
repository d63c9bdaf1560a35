import { z } from "zod";
import { t } from "./i18n";

// Zod's own messages, for input no schema gave a message of its own, in Vietnamese too. Every
// input schema of the product is built on this module, so loading it sets them.
z.config(z.locales.vi());

/**
 * Characters nobody types into a form: NUL and the other control characters (tab and line
 * breaks aside). PostgreSQL refuses NUL in text, so they are refused at the door instead.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export const hasControlCharacters = (text: string) => CONTROL.test(text);

/** Text as people type it: at most `max` characters, no control characters. */
export const plainText = (max: number, messages: { required?: string } = {}) =>
  z
    .string({ error: messages.required ?? t("validation.text") })
    .max(max, { error: t("validation.tooLong", { max }) })
    .refine((text) => !CONTROL.test(text), { error: t("validation.controlCharacters") });
