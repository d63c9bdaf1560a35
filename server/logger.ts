import pino, { type DestinationStream, type Logger } from "pino";
import { currentRequestId } from "./http/request-context";

/** The process's logger: every line written while a request is handled carries its id (`reqId`). */
export function createLogger(options: { level: string; pretty?: boolean }, destination?: DestinationStream): Logger {
  return pino(
    {
      level: options.level,
      mixin: () => {
        const reqId = currentRequestId();
        return reqId ? { reqId } : {};
      },
      ...(options.pretty ? { transport: { target: "pino-pretty", options: { ignore: "pid,hostname" } } } : {}),
    },
    destination,
  );
}
