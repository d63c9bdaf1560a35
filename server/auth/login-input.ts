import { z } from "zod";
import { t } from "../i18n";
import { plainText } from "../input";

/**
 * What a sign-in sends, on the login page and to /api/v1/auth/login alike. On its own: the
 * login page checks it in the browser too, which must not pull the password hashing in.
 */
export const loginInput = z.object({
  username: plainText(200, { required: t("validation.username_required") })
    .trim()
    .min(1, t("validation.username_required")),
  password: plainText(1000, { required: t("validation.password_required") }).min(1, t("validation.password_required")),
});
