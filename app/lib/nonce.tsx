import { createContext, useContext } from "react";

/**
 * The request's Content-Security-Policy nonce, for the scripts React Router renders. Only the
 * server knows it; in the browser it is "" (browsers hide nonce attributes from scripts anyway).
 */
const NonceContext = createContext("");
export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
