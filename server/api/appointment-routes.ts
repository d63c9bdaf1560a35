/** /api/v1 routes of appointments: the public booking side (throttled) and the kiosk's check-in, the staff's day list. */
import { z } from "zod";
import { bookAppointment, cancelAppointment } from "../appointments/booking";
import { checkInAppointment } from "../appointments/check-in";
import { appointmentSlots, bookableDays, bookingChoices } from "../appointments/days";
import { appointmentsOfDay } from "../appointments/register";
import { id } from "../queue/inputs";
import { body, parse, type ApiRoute } from "./route";
import type { Request } from "express";

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const slotsQuery = z.object({ fieldId: id, day: day.optional() });
const bookBody = z.object({ fieldId: id, procedureId: id.nullish(), day, slotStart: z.string().max(5), phone: z.string().max(40) });
const cancelBody = z.object({ code: z.string().max(40), phoneLast4: z.string().max(10) });
const checkInBody = z.object({ code: z.string().max(40) });
const address = (req: Request) => req.ip ?? "unknown";

export const appointmentRoutes: ApiRoute[] = [
  {
    // The centres and fields that take appointments, with the fields' procedures.
    method: "get",
    path: "/appointments/choices",
    access: "public",
    handle: async ({ req, services }) => ({ centres: await bookingChoices(services, { address: address(req) }) }),
  },
  {
    // ?fieldId=: the working days ahead with places left; ?fieldId=&day=: that day's slots.
    method: "get",
    path: "/appointments/slots",
    access: "public",
    handle: async ({ req, services }) => {
      const query = parse(slotsQuery, req.query);
      const from = address(req);
      return query.day ? appointmentSlots(services, { fieldId: query.fieldId, day: query.day, address: from }) : bookableDays(services, { fieldId: query.fieldId, address: from });
    },
  },
  {
    method: "post",
    path: "/appointments",
    access: "public",
    handle: async ({ req, res, services }) => {
      const booking = await bookAppointment(services, { ...parse(bookBody, body(req)), address: address(req) });
      res.status(201);
      return { booking };
    },
  },
  {
    method: "post",
    path: "/appointments/cancel",
    access: "public",
    handle: async ({ req, services }) => ({ booking: await cancelAppointment(services, { ...parse(cancelBody, body(req)), address: address(req) }) }),
  },
  {
    // The kiosk (or reception) checks a booking in: the ticket, placed as policy.ts says.
    method: "post",
    path: "/appointments/check-in",
    access: "ticket.issue",
    as: "any",
    handle: async ({ req, res, actor, services }) => {
      const issued = await checkInAppointment(services, actor, parse(checkInBody, body(req)));
      res.status(201);
      return issued;
    },
  },
  {
    method: "get",
    path: "/appointments",
    access: "appointments.view",
    as: "user",
    handle: ({ req, actor, services }) => appointmentsOfDay(services, actor, { day: typeof req.query.day === "string" ? req.query.day : undefined }),
  },
];
