// Uses POST /pins/{pin_id}/save, which the changed release removes: type-checks with the types of Pinterest's
// release and fails once the types are made again from the changed release.
import type { PinterestApi } from "@pintoken/core/api";
import type { paths } from "./pinterest.js";

export function savePin(api: PinterestApi<paths>, pinId: string, boardId: string) {
  return api.POST("/pins/{pin_id}/save", { params: { path: { pin_id: pinId } }, body: { board_id: boardId } });
}
