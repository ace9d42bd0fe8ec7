import { pinterest } from "../../../../lib/pinterest";

export const { GET, POST } = pinterest.handlers;
