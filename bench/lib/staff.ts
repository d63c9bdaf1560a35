/**
 * The province's people and devices as clients of the API: officers sign in with their password
 * (POST /api/v1/auth/login) and to their counter (POST /api/v1/counters/:id/sign-in); a reception
 * desk signs in; kiosks and screens hold their device cookie.
 */
import { cookieName } from "../../server/auth/cookies";
import { cookieFrom, eachLimited, errorOf, type HttpClient } from "./http";
import { BENCH_PASSWORD, type BenchCentre, type BenchDevice, type Province } from "./province";

export type Officer = { centre: BenchCentre; counterId: number; userId: number; cookie: string; address: string };
export type Desk = { centre: BenchCentre; cookie: string; address: string };
export type Kiosk = { centre: BenchCentre; cookie: string; address: string };

/** A distinct private address per person, as a proxy on this machine forwards it. */
const addressOf = (n: number) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;

async function login(http: HttpClient, username: string, address: string): Promise<string> {
  const answer = await http.post("/api/v1/auth/login", { body: { username, password: BENCH_PASSWORD }, address });
  const cookie = answer.status === 200 ? cookieFrom(answer.setCookie, "motcua_session") : null;
  if (!cookie) throw new Error(`login of ${username} failed: ${answer.status} ${errorOf(answer)}`);
  return cookie;
}

/** Every officer of `centres` logs in and signs in to their counter; a few at a time, as a morning would. */
export async function signInOfficers(http: HttpClient, centres: readonly BenchCentre[], concurrency = 8): Promise<Officer[]> {
  const people = centres.flatMap((centre) => centre.officers.map((o, k) => ({ centre, userId: o.id, username: o.username, counterId: centre.counters[k]!.id })));
  const officers: Officer[] = new Array(people.length);
  await eachLimited(people, concurrency, async (p, i) => {
    const address = addressOf(p.userId);
    const cookie = await login(http, p.username, address);
    const signIn = await http.post(`/api/v1/counters/${p.counterId}/sign-in`, { cookie, address });
    if (signIn.status !== 200) throw new Error(`${p.username} could not sign in to counter ${p.counterId}: ${signIn.status} ${errorOf(signIn)}`);
    officers[i] = { centre: p.centre, counterId: p.counterId, userId: p.userId, cookie, address };
  });
  return officers;
}

export async function signInDesks(http: HttpClient, centres: readonly BenchCentre[], concurrency = 8): Promise<Desk[]> {
  const desks: Desk[] = new Array(centres.length);
  await eachLimited(centres, concurrency, async (centre, i) => {
    const address = addressOf(centre.reception.id);
    desks[i] = { centre, cookie: await login(http, centre.reception.username, address), address };
  });
  return desks;
}

/** The cookie a paired device holds (its name carries __Host- when cookies are Secure). */
export const deviceCookie = (device: BenchDevice, secure: boolean) => `${cookieName("device", { secure })}=${device.token}`;

export const kiosks = (province: Province, secure: boolean): Kiosk[] =>
  province.centres.map((centre) => ({ centre, cookie: deviceCookie(centre.kiosk, secure), address: addressOf(1_000_000 + centre.kiosk.id) }));
