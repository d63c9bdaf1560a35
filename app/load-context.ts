import type { RequestAuth } from "../server/auth/middleware";
import type { AppServices } from "../server/services";

declare module "react-router" {
  interface AppLoadContext {
    services: AppServices;
    auth: RequestAuth;
    /** The client's address as Express sees it (trusting only a loopback proxy). */
    clientAddress: string;
    /** This response's Content-Security-Policy nonce, for the scripts the page renders. */
    cspNonce: string;
  }
}

export {};
