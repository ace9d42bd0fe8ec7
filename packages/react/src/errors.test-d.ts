import type { CallbackErrorCode } from "@pintoken/next/contract";
import { expectTypeOf, test } from "vitest";
import type { callbackCodes } from "./errors.ts";

test("the provider knows every callback code of the contract, and no other", () => {
  expectTypeOf<(typeof callbackCodes)[number]>().toEqualTypeOf<CallbackErrorCode>();
});
