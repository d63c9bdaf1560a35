import type { RequestAuth } from "../server/auth/middleware";
import type { AppServices } from "../server/services";

declare module "react-router" {
  interface AppLoadContext {
    services: AppServices;
    auth: RequestAuth;
  }
}

export {};
