import { useSyncExternalStore } from "react";

const never = () => () => {};

/**
 * False while the page is only server HTML, true once React runs in the browser. A button that
 * needs JavaScript (a fetcher) stays disabled until then, so a tap before it never posts a form
 * whose answer nobody would see.
 */
export const useHydrated = () =>
  useSyncExternalStore(
    never,
    () => true,
    () => false,
  );
