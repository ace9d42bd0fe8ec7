// login, callback, session, refresh and logout: @pintoken/next's route handler (see its README for the contract).
import { pinterest } from "@/lib/pinterest";

export const { GET, POST } = pinterest.handlers;
