import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";

/** Every centre today is in Vietnam; dates and times are shown in its time zone. */
export const TIME_ZONE = "Asia/Ho_Chi_Minh";

const inZone = (value: Date | string | number) => new TZDate(new Date(value).getTime(), TIME_ZONE);

/** The service day (YYYY-MM-DD) of an instant: ticket numbers restart on it. */
export function serviceDate(at: Date = new Date()): string {
  return format(inZone(at), "yyyy-MM-dd");
}

export const formatDate = (value: Date | string | number) => format(inZone(value), "dd/MM/yyyy");
export const formatTime = (value: Date | string | number) => format(inZone(value), "HH:mm");
export const formatDateTime = (value: Date | string | number) => format(inZone(value), "HH:mm dd/MM/yyyy");
