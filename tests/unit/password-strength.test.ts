import { describe, expect, it } from "vitest";
import { passwordWeakness } from "../../server/auth/password-strength";

const person = ["lethihoa", "Lê Thị Hoa"];

describe("a new password", () => {
  it.each(["password123", "123456789012", "qwertyuiop12", "Admin@12345", "matkhau123456", "iloveyou2026"])("is refused when common or a keyboard walk: %s", (password) => {
    expect(passwordWeakness(password, person)).toMatch(/phổ biến|dễ đoán/);
  });

  it.each(["Lê Thị Hoa 1990", "hoa.le.thi.2026", "LETHIHOA!!2026", "lethihoa-2026", "MotCua@2025!!", "trungtam-motcua"])(
    "is refused when built on the person's name, username or this product: %s",
    (password) => {
      expect(passwordWeakness(password, person)).toBeTruthy();
    },
  );

  it("is refused under 10 characters, saying how many are needed", () => {
    expect(passwordWeakness("Xk9#qT2", person)).toBe("Mật khẩu cần ít nhất 10 ký tự.");
  });

  it.each(["hoa sen nở muộn 2027", "k7fqm-x2pta-9hwne", "Ba con mèo ngủ trưa!", "correct horse battery staple"])("is accepted when hard to guess: %s", (password) => {
    expect(passwordWeakness(password, person)).toBeNull();
  });
});
