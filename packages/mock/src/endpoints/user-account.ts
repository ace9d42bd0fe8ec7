import { successStatus } from "../operations.ts";
import type { Endpoint } from "./endpoint.ts";

/** `GET /user_account` (`user_account/get`): the mock's account, for user and client-credentials tokens alike. */
export const userAccount: Endpoint = (context) => ({
  kind: "json",
  status: successStatus(context.op),
  body: context.config.account,
});
