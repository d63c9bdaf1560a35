/** What `npm start` prints once it listens: where to reach it, and for a demo how to try it. */
import { networkInterfaces } from "node:os";
import { demoUsers, type DemoPairing } from "./demo/seed";
import { pairingPath } from "./devices/service";

/** The machine's first IPv4 address on a local network, for kiosks, screens and other PCs. */
export function lanAddress(): string | null {
  for (const list of Object.values(networkInterfaces())) {
    for (const net of list ?? []) if (net.family === "IPv4" && !net.internal) return net.address;
  }
  return null;
}

export function startBanner(input: {
  mode: string;
  port: number;
  publicUrl: string | undefined;
  database: string;
  cookieSecure: boolean;
  demo: { pairings: DemoPairing[]; newPassword: string | null } | null;
}): string {
  const local = `http://localhost:${input.port}`;
  const base = input.publicUrl ?? local;
  const lan = lanAddress();
  const lines = ["", `Một Cửa is running (${input.mode}) on ${local}`];
  if (lan) lines.push(`  on this network:  http://${lan}:${input.port}  (kiosks, screens and other PCs)`);
  if (input.publicUrl) lines.push(`  public address:   ${input.publicUrl}  (PUBLIC_URL, used in printed links)`);
  lines.push(`  database:         ${input.database}`, `  staff login:      ${base}/login`, `  health:           ${base}/healthz (alive), ${base}/readyz (ready)`);
  if (input.cookieSecure && lan && !input.publicUrl?.startsWith("https://")) {
    lines.push(
      "",
      "  Sign-in cookies are Secure: browsers keep them on https:// or http://localhost only.",
      `  From another PC over plain http://${lan}:${input.port}, serve HTTPS, or for a trial set COOKIE_SECURE=false.`,
    );
  }
  if (input.demo) {
    lines.push("", "Demo centre (made-up data; every page says «Dữ liệu thử nghiệm») — logins:");
    for (const u of demoUsers) lines.push(`  ${u.username.padEnd(9)} ${u.role.padEnd(10)} ${u.fullName}`);
    if (input.demo.newPassword) {
      lines.push(
        `  Password for all of them: ${input.demo.newPassword}`,
        "  (made for this installation and shown only this once; `npm run demo:password` prints it again on this machine)",
      );
    } else {
      lines.push("  Password: run `npm run demo:password` on this machine.");
    }
    lines.push("", "Pairing links for the demo devices (one-time, valid 24 h; open on the device):");
    for (const p of input.demo.pairings) lines.push(`  ${p.kind.padEnd(8)} ${p.name}: ${base}${pairingPath(p.pairingCode)}`);
  }
  return lines.join("\n") + "\n";
}
