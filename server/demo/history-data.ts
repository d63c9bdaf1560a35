/**
 * The demo centre's habits (server/demo/history.ts): service times and dossier shares by field,
 * the day's arrival profile, weekday factors, how often calls go out of order and why, what
 * citizens say — and the names, streets and codes the simulated people get.
 */
import type { OutOfOrderReason } from "../queue/reasons";
import type { UnsatisfiedReason } from "../ratings/rules";

export const MINUTE = 60_000;
export const SECOND = 1_000;
const VN_OFFSET = 7 * 60 * MINUTE;
/** The instant of minute `m` after midnight of `day`, Vietnam time (UTC+7, no daylight saving). */
export const at = (day: string, minutes: number) => Date.parse(`${day}T00:00:00Z`) - VN_OFFSET + Math.round(minutes * MINUTE);
export const hm = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));

/** Minutes of service by field code (the demo's fields); others use the field's default. */
export const SERVICE_MINUTES: Record<string, number> = { CT: 4, HT: 8, GTVT: 12, LDTBXH: 10, DKKD: 15, XD: 18, DD: 20 };
/** The share of visits that leave a dossier, by field code. */
export const DOSSIER_SHARE: Record<string, number> = { CT: 0.02, HT: 0.1, DD: 0.25, DKKD: 0.2, XD: 0.25, LDTBXH: 0.12, GTVT: 0.12 };

/** Arrivals per quarter hour from 07:30 (relative): the morning peak 08:30–09:30, the afternoon's 14:00–15:00. */
export const MORNING_PROFILE = [0.6, 1.0, 1.5, 1.9, 2.3, 2.5, 2.5, 2.3, 2.0, 1.7, 1.5, 1.3, 1.1, 0.9, 0.6, 0.35];
export const AFTERNOON_PROFILE = [0.9, 1.4, 1.8, 1.9, 1.8, 1.6, 1.3, 1.0, 0.8, 0.6, 0.4, 0.25];
export const MORNING_FROM = hm("07:30");
export const AFTERNOON_FROM = hm("13:30");
/** Monday … Friday: Mondays are busier, Fridays quieter. */
export const WEEKDAY_FACTOR = [1, 1.15, 1.0, 1.0, 0.95, 0.9, 0.6];

export const OUT_OF_ORDER: ReadonlyArray<readonly [OutOfOrderReason, number]> = [
  ["returning", 35],
  ["appointment", 15],
  ["urgent", 15],
  ["leader", 10],
  ["technical", 10],
  ["other", 15],
];
export const OTHER_NOTES = ["Công dân đến bổ sung giấy tờ theo hẹn", "Người nhà đón trẻ nhỏ, xin giải quyết trước", "Công dân đi nhầm lượt, đã xếp lại", "Phối hợp với quầy bên cạnh"];
export const CANCEL_REASONS = ["Công dân không chờ được, xin về", "Lấy nhầm lĩnh vực", null, "Công dân báo hẹn lại ngày khác"];
export const UNSATISFIED: ReadonlyArray<readonly [UnsatisfiedReason, number]> = [
  ["long_wait", 40],
  ["unclear_guidance", 20],
  ["extra_documents", 15],
  ["complex_procedure", 10],
  ["attitude", 8],
  ["facilities", 5],
  ["other", 2],
];
export const COMMENTS_GOOD = ["Cán bộ nhiệt tình, hướng dẫn rõ ràng", "Nhanh gọn, cảm ơn trung tâm", "Rất hài lòng", "Thủ tục đơn giản hơn trước nhiều"];
export const COMMENTS_BAD = ["Chờ lâu quá, cần thêm quầy vào buổi sáng", "Hướng dẫn chưa rõ, phải đi lại hai lần", "Phòng chờ nóng, thiếu ghế", "Yêu cầu thêm giấy tờ không có trong danh mục"];
export const SUPPLEMENT_REASONS = ["Bổ sung bản sao chứng thực giấy tờ tùy thân", "Bổ sung sơ đồ vị trí thửa đất", "Bổ sung giấy xác nhận của UBND cấp xã", "Tờ khai còn thiếu chữ ký"];
export const REFUSE_REASONS = ["Hồ sơ không đủ điều kiện theo quy định", "Không thuộc thẩm quyền giải quyết của trung tâm", "Thông tin kê khai không khớp với cơ sở dữ liệu dân cư"];

export const FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"];
export const MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quang", "Thu", "Hoài"];
export const GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng", "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trung", "Tuấn", "Vân", "Yến"];
export const STREETS = ["Trần Phú", "Lê Lợi", "Nguyễn Huệ", "Hai Bà Trưng", "Lý Thường Kiệt", "Quang Trung", "Phan Đình Phùng", "Hùng Vương"];
export const PROVINCES = ["001", "031", "036", "038", "040", "042", "045", "046", "048", "052", "079"];

export const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
