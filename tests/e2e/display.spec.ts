import { expect, test, type Page } from "@playwright/test";
import { callClips } from "../../app/lib/call-clips";
import { t } from "../../server/i18n";
import { demoPairingLinks, newPage, pair, SCREENS, signIn, whenHydrated } from "./support";

// The waiting-room screen tells the truth and fits the TVs centres have. This file keeps to
// field Lao động – Thương binh và Xã hội (prefix F), counter 8 and officer canbo08.
const SIZES = [
  { width: 1280, height: 720 },
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
];

async function insideViewport(page: Page, testId: string) {
  const box = await page.getByTestId(testId).boundingBox();
  const size = page.viewportSize()!;
  expect(box, testId).not.toBeNull();
  expect(box!.y + box!.height, `${testId} bottom at ${size.width}×${size.height}`).toBeLessThanOrEqual(size.height);
  expect(box!.x + box!.width, `${testId} right edge at ${size.width}×${size.height}`).toBeLessThanOrEqual(size.width);
}

test("a no-show is never «now calling»; recent calls and every open counter fit 1280×720, 1366×768 and 1920×1080", async ({ browser }) => {
  test.setTimeout(120_000);
  const admin = await newPage(browser, { width: 1280, height: 900 });
  await signIn(admin.page, "quantri");
  const { displayLink } = await demoPairingLinks(admin.page);
  await admin.context.close();
  const display = await newPage(browser, SIZES[2]!);
  const dp = display.page;
  await pair(dp, displayLink, "display");
  await expect(dp.getByTestId("display")).toHaveAttribute("data-connection", "online");

  // An officer at counter 8 calls two citizens given numbers at reception.
  const officer = await newPage(browser, { width: 1366, height: 768 });
  const op = officer.page;
  await signIn(op, "canbo08");
  await expect(op).toHaveURL(/\/counter$/);
  const snapshot = (await (await op.request.get("/api/v1/snapshot")).json()).data;
  const field = snapshot.fields.find((f: { code: string }) => f.code === "LDTBXH");
  const issue = async () => (await (await op.request.post("/api/v1/reception/tickets", { data: { fieldId: field.id } })).json()).data.ticket.code as string;
  const [first, second] = [await issue(), await issue()];
  const counterSignIn = op.getByRole("button", { name: `${t("counter.signIn")} 8`, exact: true });
  await whenHydrated(counterSignIn);
  await counterSignIn.click();
  await expect(dp.getByTestId("counter-8")).toContainText(t("display.counterIdle"));
  await expect(dp.getByTestId("field-waiting-LDTBXH")).not.toContainText(t("display.unserved"));

  const latest = dp.getByTestId("latest-call");
  await op.keyboard.press("F2");
  await expect(latest).toContainText(first);
  await op.keyboard.press("F4");
  await expect(op.getByTestId("current-ticket")).toHaveText(t("counter.none"));
  await op.keyboard.press("F2");
  await expect(latest).toContainText(second);
  // Two recalls, then absent: the big box does not go on inviting that citizen, nor goes back to a finished one.
  await op.keyboard.press("F3");
  await expect(op.getByTestId("recall-count")).toHaveText(t("counter.recallCount", { n: 1 }));
  await op.keyboard.press("F3");
  await expect(op.getByTestId("recall-count")).toHaveText(t("counter.recallCount", { n: 2 }));
  await op.keyboard.press("F7");
  await expect(op.getByTestId("current-ticket")).toHaveText(t("counter.none"));
  await expect(latest).not.toContainText(second);
  await expect(latest).not.toContainText(first);
  // A freshly loaded screen says the same.
  const fresh = await newPage(browser, SIZES[0]!);
  await fresh.page.context().addCookies(await display.context.cookies());
  await fresh.page.goto("/display");
  await expect(fresh.page.getByTestId("latest-call")).not.toContainText(second);
  await fresh.context.close();

  // The layout with «Vừa gọi» full (two rows of five, as after a cut) and counter 8 serving, on each TV size.
  const api = (path: string) => op.request.post(`/api/v1${path}`);
  const counterId = snapshot.counters.find((c: { number: number }) => c.number === 8).id;
  for (let i = 0; i < 10; i++) {
    await issue();
    const called = (await (await api(`/counters/${counterId}/call-next`)).json()).data.ticket;
    expect((await api(`/tickets/${called.id}/finish`)).ok()).toBe(true);
  }
  const serving = await issue();
  await expect(op.getByTestId("waiting-total")).toHaveText(t("counter.people", { n: 1 }));
  await op.keyboard.press("F2");
  await expect(op.getByTestId("current-ticket")).toHaveText(serving);
  await expect(dp.getByTestId("recent-calls").getByRole("listitem")).toHaveCount(10);
  for (const size of SIZES) {
    await dp.setViewportSize(size);
    await expect(dp.getByRole("heading", { name: t("display.recent") })).toBeVisible();
    await insideViewport(dp, "recent-calls");
    await insideViewport(dp, "latest-call");
    for (const tile of await dp.locator('[data-testid^="counter-"]').all()) {
      const id = (await tile.getAttribute("data-testid"))!;
      await insideViewport(dp, id);
    }
    await insideViewport(dp, "recent-calls");
    await dp.screenshot({ path: `${SCREENS}/display-${size.width}x${size.height}.png` });
  }

  await op.keyboard.press("F4");
  await expect(op.getByTestId("current-ticket")).toHaveText(t("counter.none"));
  await op.getByRole("button", { name: t("counter.signOut"), exact: true }).click();
  await expect(dp.getByTestId("counter-8")).toHaveCount(0);
  for (const c of [display.context, officer.context]) await c.close();
});

test("with no Vietnamese voice on the machine the TV says so and says a call with the recorded clips, in order", async ({ browser }) => {
  test.setTimeout(90_000);
  const admin = await newPage(browser, { width: 1280, height: 900 });
  await signIn(admin.page, "quantri");
  const { displayLink } = await demoPairingLinks(admin.page);
  await admin.context.close();

  const display = await newPage(browser, SIZES[2]!);
  const dp = display.page;
  // A kiosk PC without a Vietnamese speech voice (as Debian's Chromium has none).
  await dp.addInitScript(() => {
    if ("speechSynthesis" in window) window.speechSynthesis.getVoices = () => [];
  });
  // The clips asked for, in the order asked (answers may arrive in another order), and how each was answered.
  const clips: string[] = [];
  const answers = new Map<string, number>();
  const clipOf = (url: string) => /\/audio\/([a-z0-9-]+)\.wav$/.exec(new URL(url).pathname)?.[1];
  dp.on("request", (req) => {
    const clip = clipOf(req.url());
    if (clip) clips.push(clip);
  });
  dp.on("response", (res) => {
    const clip = clipOf(res.url());
    if (clip) answers.set(clip, res.status());
  });
  await pair(dp, displayLink, "display");
  await expect(dp.getByTestId("display")).toHaveAttribute("data-connection", "online");
  // Sound starts blocked until someone touches the TV: the button says so, in the header.
  const enable = dp.getByTestId("enable-sound");
  if (await enable.isVisible()) await enable.click();
  await expect(dp.getByTestId("voice")).toHaveText(t("display.voiceClips"));
  await dp.getByTestId("voice").screenshot({ path: `${SCREENS}/display-voice.png` });

  const officer = await newPage(browser, { width: 1366, height: 768 });
  const op = officer.page;
  await signIn(op, "canbo08");
  await expect(op).toHaveURL(/\/counter$/);
  const snapshot = (await (await op.request.get("/api/v1/snapshot")).json()).data;
  const field = snapshot.fields.find((f: { code: string }) => f.code === "LDTBXH");
  await op.request.post("/api/v1/reception/tickets", { data: { fieldId: field.id } });
  const counterSignIn = op.getByRole("button", { name: `${t("counter.signIn")} 8`, exact: true });
  await whenHydrated(counterSignIn);
  await counterSignIn.click();
  await expect(op.getByRole("heading", { name: "Quầy 8", level: 1, exact: true })).toBeVisible();
  await op.keyboard.press("F2");
  // The ticket called (another file may have left an older one waiting in this field).
  await expect(op.getByTestId("current-ticket")).toHaveText(/^F\d{3}$/);
  const code = (await op.getByTestId("current-ticket").textContent())!.trim();
  await expect(dp.getByTestId("latest-call")).toContainText(code);

  // «Mời công dân có số F0xx đến quầy số tám»: each clip fetched once, in the order it is said.
  const expected = [...new Set(callClips(code, 8))];
  await expect.poll(() => answers.size, { timeout: 10_000 }).toBeGreaterThanOrEqual(expected.length);
  expect(clips).toEqual(expected);
  for (const clip of expected) expect(answers.get(clip), clip).toBe(200);

  await op.keyboard.press("F4");
  await expect(op.getByTestId("current-ticket")).toHaveText(t("counter.none"));
  await op.getByRole("button", { name: t("counter.signOut"), exact: true }).click();
  await expect(dp.getByTestId("counter-8")).toHaveCount(0);
  for (const c of [display.context, officer.context]) await c.close();
});
